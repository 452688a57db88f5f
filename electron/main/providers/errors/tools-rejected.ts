/**
 * A server or model that refuses `tools` (Ollama: "<model> does not support tools", 400; others name the
 * `tools` field). It is told as a refused parameter, so the reply's "Send without it" leaves tools out for
 * this provider and model and answers again (chat:sendWithout with `tools`).
 */
import { APIError } from 'openai';
import { appError, type AppError } from '../../../../shared/result';
import { rejectedParameter } from './rejected-parameter';

const TOOL_SENTENCES = /does not support tools|tools? (?:are|is) not supported|tool(?:s| calls| calling| use) (?:is |are )?not supported|not support (?:function|tool) call/i;

export function toolsRejected(error: unknown): boolean {
  if (rejectedParameter(error, new Set(['tools', 'tool_choice'])) !== null) return true;
  const e = error as { status?: unknown; bodyText?: unknown } | null;
  const status = error instanceof APIError ? error.status : typeof e?.status === 'number' ? e.status : undefined;
  if (status !== 400 && status !== 422 && status !== 500) return false;
  let text = error instanceof APIError ? error.message : typeof e?.bodyText === 'string' ? e.bodyText : '';
  if (error instanceof APIError) {
    try {
      text += JSON.stringify(error.error ?? '');
    } catch {
      // a body that cannot be stringified adds nothing
    }
  }
  return TOOL_SENTENCES.test(text);
}

export function toolsRejectedError(model: string): AppError {
  return appError('PARAMETER_REJECTED', `${model || 'This model'} does not accept tools on this server.`, {
    hint: 'Send without it: Switchboard then answers without tools for this provider and model.',
    params: { parameter: 'tools', model },
  });
}
