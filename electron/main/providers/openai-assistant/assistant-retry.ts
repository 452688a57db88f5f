/**
 * The bounded, visible wait after an HTTP 429 (or a 503 that says when to come back) on the requests that
 * start an Assistants reply (the thread, its message, the run), as the Chat Completions and Responses
 * adapters wait before their stream opens (wire/rate-limit.ts). `maxRateLimitRetries` of the request wins
 * over the app's: the reply router sets 0 when another key or provider can answer at once, so a 429 on one
 * key moves to the next without a wait.
 */
import type { ChatEvent } from '../../../../shared/models/chat-event';
import type { ChatRequest } from '../provider-kind';
import { waitOutRetry, type RateLimitOptions } from '../wire/rate-limit';
import { toAppError } from './assistant-errors';
import { HttpStatusError, type AssistantEndpoint, type AssistantsClient } from './assistants-client';

export interface AssistantRetryContext {
  request: Pick<ChatRequest, 'maxRateLimitRetries'>;
  client: AssistantsClient;
  endpoint: AssistantEndpoint;
  connectTimeoutMs: number;
  options: RateLimitOptions | undefined;
  signal: AbortSignal;
}

/** True when the failure was waited out (the wait shown, then slept) and the request should be made again. */
export async function* waitOutAssistantRetry(error: unknown, retriesSoFar: number, ctx: AssistantRetryContext): AsyncGenerator<ChatEvent, boolean> {
  if (!(error instanceof HttpStatusError) || (error.status !== 429 && error.status !== 503)) return false;
  const appError = await toAppError(error, ctx.client, ctx.endpoint, ctx.connectTimeoutMs, ctx.signal, 'run');
  const base = ctx.options ?? {};
  const options = ctx.request.maxRateLimitRetries === undefined ? base : { ...base, maxRateLimitRetries: ctx.request.maxRateLimitRetries };
  return yield* waitOutRetry(error, appError, retriesSoFar, options, ctx.signal);
}
