/** The AppErrors of the Responses API: no such API here, a failed, cancelled or incomplete response. */
import { APIError } from 'openai';
import type OpenAI from 'openai';
import type { AppError } from '../../../../shared/result';
import { hostOf, parseServerError, type ErrorContext } from '../errors/request-failure';
import { contentFilteredError, cutOffError } from '../errors/reply-failure';
import { serverDetail } from '../wire/secret-scrub';

type ResponseObject = OpenAI.Responses.Response;

export function statusOf(error: unknown): number | null {
  return error instanceof APIError && typeof error.status === 'number' ? error.status : null;
}

export function serverMessage(error: unknown): string {
  if (!(error instanceof APIError)) return '';
  return parseServerError({ error: error.error }).message ?? error.message;
}

/** The server has no Responses API (or, with `conversations`, no Conversations API) at all. */
export function responsesApiUnavailable(baseUrl: string, status: number, api: 'responses' | 'conversations' = 'responses'): AppError {
  const host = hostOf(baseUrl);
  if (api === 'conversations') {
    return {
      code: 'RESPONSES_API_UNAVAILABLE',
      message: `${host} serves the Responses API but not the Conversations API (HTTP ${status}), so it cannot keep the conversation.`,
      hint: 'In Settings, set this provider\'s conversation state to “Send the history”.',
      retryable: false,
      params: { host, status, context: 'conversations' },
    };
  }
  return {
    code: 'RESPONSES_API_UNAVAILABLE',
    message: `${host} does not serve the Responses API (HTTP ${status}).`,
    hint: 'Use an OpenAI Compatible provider (Chat Completions) for this server, or a server that serves /responses (OpenAI, vLLM, LiteLLM, Azure OpenAI v1 and OpenRouter do).',
    retryable: false,
    params: { host, status },
  };
}

export function responseFailed(response: ResponseObject, ctx: ErrorContext): AppError {
  const errorCode = response.error?.code ?? '';
  const detail = serverDetail(response.error?.message ?? '', ctx.secrets);
  const lastError = [errorCode, detail].filter(Boolean).join(': ');
  return {
    code: 'RESPONSE_FAILED',
    message: lastError ? `The response failed. ${lastError}` : 'The response failed.',
    hint: "Try again. If it keeps failing, the server's message above says why.",
    retryable: true,
    params: { errorCode, detail, lastError },
  };
}

export function responseCancelled(): AppError {
  return {
    code: 'RESPONSE_CANCELLED',
    message: 'The response was cancelled on the server before it was complete.',
    hint: 'Something other than Switchboard cancelled it. What arrived is kept; try again.',
    retryable: true,
  };
}

export function incompleteError(reason: string, ctx: ErrorContext): AppError {
  if (reason === 'max_output_tokens') return cutOffError(ctx);
  if (reason === 'content_filter') return contentFilteredError(ctx);
  return {
    code: 'RESPONSE_INCOMPLETE',
    message: `The response ended incomplete (${reason}); the reply above is what arrived.`,
    hint: 'Try again, or ask for a shorter answer.',
    retryable: true,
    params: { reason },
  };
}

/** A failure of a Conversations API request (create, items), told apart when a 404 is probed. */
export class ConversationStepError extends Error {
  constructor(readonly failure: unknown) {
    super('A Conversations API request failed');
    this.name = 'ConversationStepError';
  }
}
