/** What a finished response object holds: how it ended, its usage, its text and reasoning. */
import type OpenAI from 'openai';
import type { TokenUsage } from '../../../../shared/models/conversation';

type ResponseObject = OpenAI.Responses.Response;

/** `finish_reason`-style name for how a response ended, saved with the message. */
export function finishReasonOf(response: ResponseObject): string {
  if (response.status !== 'incomplete') return 'stop';
  const reason = response.incomplete_details?.reason ?? 'incomplete';
  return reason === 'max_output_tokens' ? 'length' : reason;
}

export function usageOf(response: ResponseObject): TokenUsage | null {
  const u = response.usage;
  if (!u || typeof u.total_tokens !== 'number') return null;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  return {
    promptTokens: u.input_tokens ?? 0,
    completionTokens: u.output_tokens ?? 0,
    totalTokens: u.total_tokens,
    ...(typeof reasoning === 'number' && reasoning > 0 ? { reasoningTokens: reasoning } : {}),
  };
}

/** The reply text of a finished response (for servers that send it only at the end, or not streamed). */
export function outputText(response: ResponseObject): string {
  return (response.output ?? [])
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : ''))
    .join('');
}

export function outputReasoning(response: ResponseObject): string {
  return (response.output ?? [])
    .flatMap((item) => (item.type === 'reasoning' ? [...item.summary.map((s) => s.text), ...(item.content ?? []).map((c) => c.text)] : []))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}
