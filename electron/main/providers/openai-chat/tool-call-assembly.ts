/**
 * Chat Completions streams function calls as `delta.tool_calls[]` pieces keyed by `index`: the first piece
 * of a call carries its id and name, the arguments JSON arrives in fragments across many chunks, and
 * several calls may interleave (parallel tool calls). This puts them back together, in index order.
 */
import type OpenAI from 'openai';
import type { ModelToolCall } from '../../../../shared/models/chat-event';
import { toolMessageFor } from '../../tools/tool-result';
import { chatCompletionsMessage } from '../attachment-parts';
import type { HistoryMessage, ToolSpec } from '../provider-kind';

type ToolCallDelta = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall;

export class ToolCallAssembly {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  push(deltas: readonly ToolCallDelta[] | null | undefined): void {
    if (!Array.isArray(deltas)) return;
    for (const [position, delta] of deltas.entries()) {
      // A server that leaves out `index` (some do for a single call) means the call at that position.
      const index = typeof delta.index === 'number' ? delta.index : position;
      let call = this.calls.get(index);
      if (!call) {
        call = { id: '', name: '', arguments: '' };
        this.calls.set(index, call);
      }
      if (typeof delta.id === 'string' && delta.id) call.id = delta.id;
      const fn = delta.function;
      // The name comes whole in the first piece; some servers repeat it on later pieces, which must not double it.
      if (typeof fn?.name === 'string' && fn.name && !call.name) call.name = fn.name;
      if (typeof fn?.arguments === 'string') call.arguments += fn.arguments;
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The finished calls, in index order; a call without an id gets one (a few servers leave it out). */
  finish(): ModelToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.name !== '')
      .map(([index, call]) => ({ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments || '{}' }));
  }
}

/** The conversation's functions as Chat Completions `tools`. */
export function chatTools(tools: readonly ToolSpec[]): OpenAI.Chat.Completions.ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

/**
 * History as Chat Completions messages: a reply that called tools becomes, per round, an assistant message
 * with its text so far and `tool_calls`, then one `tool` message per call with what the model was told;
 * the text after the last round is the final assistant message.
 */
export function chatHistoryMessages(history: readonly HistoryMessage[], omitImages = false): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  const out: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [];
  for (const m of history) {
    if (m.role === 'user' || !m.toolRounds || m.toolRounds.length === 0) {
      // A user message's attachments become content parts (attachment-parts.ts).
      out.push(chatCompletionsMessage(m, omitImages));
      continue;
    }
    let from = 0;
    for (const round of m.toolRounds) {
      const text = m.content.slice(from, round.contentLength);
      from = Math.max(from, round.contentLength);
      out.push({
        role: 'assistant',
        content: text || null,
        tool_calls: round.calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
      });
      for (const c of round.calls) out.push({ role: 'tool', tool_call_id: c.id, content: toolMessageFor(c) });
    }
    const rest = m.content.slice(from);
    if (rest.trim()) out.push({ role: 'assistant', content: rest });
  }
  return out;
}

