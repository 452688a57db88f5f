/**
 * What a turn takes from a conversation and records with its reply: the title from the first message, the
 * history sent back to the model, and the settings in effect.
 */
import type { Message } from '../../../shared/models/conversation';
import type { GenerationSettings } from '../../../shared/models/generation-settings';
import { omittedFor } from '../providers/generation-parameters';
import type { HistoryMessage, ResolvedProvider } from '../providers/provider-kind';

const TITLE_MAX = 80;

export function titleFromMessage(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  if (single.length <= TITLE_MAX) return single;
  const cut = single.slice(0, TITLE_MAX - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > TITLE_MAX / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** What goes back to the model: user and assistant text, the user's attachments, and tool calls with their results. Reasoning never does (DeepSeek answers 400). */
export function historyFor(messages: readonly Message[]): HistoryMessage[] {
  return messages
    .filter((m) => m.role === 'user' || m.content.trim().length > 0 || (m.toolRounds?.length ?? 0) > 0)
    .map((m) =>
      m.role === 'user' && m.attachments?.length
        ? { role: m.role, content: m.content, attachments: structuredClone(m.attachments) }
        : m.role === 'assistant' && m.toolRounds?.length
          ? { role: m.role, content: m.content, toolRounds: m.toolRounds }
          : { role: m.role, content: m.content },
    );
}

/** What a reply records of the request: the settings in effect and the parameters left out for this model. */
export function inEffect(settings: GenerationSettings | undefined, provider: ResolvedProvider, model: string): Pick<Message, 'settings' | 'omittedParameters'> {
  const omitted = [...omittedFor(provider.quirks, model)];
  return {
    ...(settings && Object.keys(settings).length > 0 ? { settings: structuredClone(settings) } : {}),
    ...(omitted.length > 0 ? { omittedParameters: omitted } : {}),
  };
}
