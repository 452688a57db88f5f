/**
 * Function tools on the Responses API: the conversation's tools as `function` tools, the model's calls read
 * from the finished response's `function_call` output items, and tool rounds as input items
 * (`function_call` + `function_call_output`), for the whole history (stateless) or, with a server
 * conversation that already holds the calls, only the outputs of the round just answered.
 */
import type OpenAI from 'openai';
import type { ModelToolCall } from '../../../../shared/models/chat-event';
import { toolMessageFor } from '../../tools/tool-result';
import type { HistoryMessage, ToolSpec } from '../provider-kind';

type InputItem = OpenAI.Responses.ResponseInputItem;

export function responsesTools(tools: readonly ToolSpec[]): OpenAI.Responses.FunctionTool[] {
  return tools.map((t) => ({ type: 'function' as const, name: t.name, description: t.description, parameters: t.parameters, strict: false }));
}

export function functionCallsOf(response: OpenAI.Responses.Response): ModelToolCall[] {
  return (response.output ?? []).flatMap((item) =>
    item.type === 'function_call' ? [{ id: item.call_id, name: item.name, arguments: item.arguments || '{}' }] : [],
  );
}

/** The whole history as input items; a reply that called tools becomes its text, calls and outputs, round by round. */
export function historyInput(
  history: readonly HistoryMessage[],
  message: (m: HistoryMessage) => InputItem = (m) => ({ role: m.role, content: m.content }),
): InputItem[] {
  const items: InputItem[] = [];
  for (const m of history) {
    if (m.role === 'user' || !m.toolRounds?.length) {
      // `message` makes a user message's attachments input parts (server-conversation.ts inputMessage).
      items.push(message(m));
      continue;
    }
    let from = 0;
    for (const round of m.toolRounds) {
      const text = m.content.slice(from, round.contentLength);
      from = Math.max(from, round.contentLength);
      if (text.trim()) items.push({ role: 'assistant', content: text });
      for (const c of round.calls) items.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.arguments });
      for (const c of round.calls) items.push({ type: 'function_call_output', call_id: c.id, output: toolMessageFor(c) });
    }
    const rest = m.content.slice(from);
    if (rest.trim()) items.push({ role: 'assistant', content: rest });
  }
  return items;
}

/** The reply being written called tools and they were answered: the next request continues it. */
export function continuation(history: readonly HistoryMessage[]): InputItem[] | null {
  const last = history.at(-1);
  const round = last?.role === 'assistant' ? last.toolRounds?.at(-1) : undefined;
  if (!round) return null;
  return round.calls.map((c) => ({ type: 'function_call_output' as const, call_id: c.id, output: toolMessageFor(c) }));
}
