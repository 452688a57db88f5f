/**
 * Some models (DeepSeek R1 distills, QwQ on plain servers) put their reasoning inline in the answer, between
 * `<think>` and `</think>`. Main moves it into `reasoning` when it sees it; this keeps the display right for
 * messages that still carry the tags (older history, a server that streams the tags split oddly).
 */
export interface ThinkSplit {
  answer: string;
  thinking: string | null;
  /** The closing tag has not arrived yet: the model is still thinking. */
  thinkingOpen: boolean;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export function splitThinkTags(content: string): ThinkSplit {
  // Only a leading block counts: a `<think>` in the middle of an answer is text the model meant to show.
  let start = 0;
  while (start < content.length && start < 64 && /\s/.test(content[start]!)) start++;
  if (!content.startsWith(OPEN, start)) return { answer: content, thinking: null, thinkingOpen: false };
  const bodyStart = start + OPEN.length;
  const end = content.indexOf(CLOSE, bodyStart);
  if (end === -1) return { answer: '', thinking: content.slice(bodyStart).trim(), thinkingOpen: true };
  return {
    answer: content.slice(end + CLOSE.length).replace(/^\s+/, ''),
    thinking: content.slice(bodyStart, end).trim(),
    thinkingOpen: false,
  };
}
