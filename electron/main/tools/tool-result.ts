/**
 * What the model is told about a call. A huge result is cut for the model (it costs tokens and may exceed
 * the context) and kept whole for the user; the cut is the same every time the history is rebuilt.
 */
import type { ToolCallRecord } from '../../../shared/models/tools';

/** The most characters of one result the model receives. */
export const MODEL_RESULT_MAX_CHARS = 20_000;

export function truncateForModel(text: string, max = MODEL_RESULT_MAX_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n\n[The result was ${text.length} characters long; only the first ${max} are shown to you.]`;
}

export function toolMessageFor(call: Pick<ToolCallRecord, 'state' | 'result' | 'message'>): string {
  if (call.state === 'done') return truncateForModel(call.result ?? '');
  if (call.state === 'error' && call.result !== undefined) return truncateForModel(`Error: ${call.result}`);
  return call.message ?? 'The tool call did not run.';
}
