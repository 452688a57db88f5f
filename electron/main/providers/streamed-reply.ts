/**
 * What every streamed reply over an OpenAI-style API needs around the openai SDK, whichever endpoint it
 * streams from (Chat Completions in openai-chat.ts, Responses in openai-responses.ts):
 * - activity on the wire: the response body passes through a counter, so SSE comments (`: keep-alive`)
 *   count as life and a stream that goes silent is cut after the idle timeout (the SDK's own timeout stops
 *   at the response headers);
 * - the bounded, visible wait after HTTP 429 (`retry-after-ms`, `retry-after`, or a back-off) and after a
 *   503 that says when to come back (`retry-after`: vLLM, LiteLLM and others while a model loads);
 * - the AppErrors of a reply that breaks after it started: silence, a dropped connection, an error inside
 *   the 200 stream, a malformed event, a reply cut off at the token limit or by a content filter.
 */
import { APIError } from 'openai';
import type { ChatEvent, RetryReason } from '../../../shared/models/chat-event';
import type { ChatRequest, ProviderAdapter } from './provider-adapter';
import type { AppError } from '../../../shared/result';
import { serverDetail } from './secret-scrub';
import { SseEventTooLarge } from './sse-decoder';
import { eventTooLargeError, hostOf, notOpenAIApi, parseRetryAfterMs, parseServerError, type ErrorContext } from './error-mapper';

export const DEFAULT_RATE_LIMIT_RETRIES = 3;
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

/** How 429 answers (and 503s with `retry-after`) are waited out; every field has a default. */
export interface RateLimitOptions {
  /** Automatic retries after HTTP 429 / 503 before giving up (each one shown to the user as a wait). */
  maxRateLimitRetries?: number;
  /** A wait longer than this is not waited out automatically: the user is told instead. */
  maxRetryWaitMs?: number;
  /** Wait before retry n (1-based) when the server gave no `retry-after`. */
  backoffMs?: (attempt: number) => number;
  /** Abortable sleep; tests may shorten waits. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => Date;
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks the signal afterwards). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * How long to wait before retry `retriesSoFar + 1` of a request the server answered with 429, or with 503
 * and a `retry-after` (the server said when it will be ready), or null when it must not be retried
 * automatically (quota exhausted, a 503 that gave no time, too many retries, or a wait longer than allowed).
 */
export function rateLimitWaitMs(error: unknown, appError: AppError, retriesSoFar: number, options: RateLimitOptions): number | null {
  if (!(error instanceof APIError) || !appError.retryable) return null;
  if (error.status !== 429 && error.status !== 503) return null;
  if (retriesSoFar >= (options.maxRateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES)) return null;
  const asked = parseRetryAfterMs(error.headers ?? undefined, options.now);
  // A plain 503 may be a server that is down for good; only one that names a time is waited out.
  if (error.status === 503 && asked === undefined) return null;
  const waitMs = asked ?? (options.backoffMs ?? ((n: number) => 1000 * 2 ** (n - 1)))(retriesSoFar + 1);
  return waitMs <= (options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS) ? waitMs : null;
}

/** What the wait before an automatic retry is shown as (see rateLimitWaitMs). */
export function retryReasonOf(error: unknown): RetryReason {
  return error instanceof APIError && error.status === 503 ? 'unavailable' : 'rate-limited';
}

/** The seconds shown while waiting `waitMs` (never 0). */
export function waitSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/**
 * After a failed request: when the failure is waited out (see rateLimitWaitMs), shows the wait, sleeps it
 * (an abort ends it early; the caller checks its signal) and returns true, so the caller makes the request
 * again as retry `retriesSoFar + 1`; false when the failure must be reported instead.
 */
export async function* waitOutRetry(
  error: unknown,
  appError: AppError,
  retriesSoFar: number,
  options: RateLimitOptions,
  signal: AbortSignal,
): AsyncGenerator<Extract<ChatEvent, { type: 'retry-wait' }>, boolean> {
  const waitMs = rateLimitWaitMs(error, appError, retriesSoFar, options);
  if (waitMs === null) return false;
  yield { type: 'retry-wait', attempt: retriesSoFar + 1, seconds: waitSeconds(waitMs), reason: retryReasonOf(error) };
  await (options.sleep ?? abortableSleep)(waitMs, signal);
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Wire activity and the idle timeout

/** Where the fetch wrapper reports bytes arriving; set while a stream is being read. */
export interface WireWatch {
  onActivity: (() => void) | null;
}

/**
 * Wraps fetch so every chunk of a response body calls `watch.onActivity`, and so `cancel` (Stop, or the
 * idle timeout) aborts the HTTP request at once, before or after the headers.
 *
 * `cancel` is joined here with listeners rather than handed to the SDK: the SDK would combine it with its
 * own signal (`AbortSignal.any`), whose `aborted` getter re-checks every source and is read for every line
 * of the stream.
 */
export function watchedFetch(inner: typeof globalThis.fetch, watch: WireWatch, cancel?: AbortSignal): typeof globalThis.fetch {
  return async (input, init) => {
    let forwarded = init;
    if (cancel) {
      const joined = new AbortController();
      const abort = (signal: AbortSignal) => () => joined.abort(signal.reason);
      for (const signal of [cancel, init?.signal]) {
        if (!signal) continue;
        if (signal.aborted) joined.abort(signal.reason);
        else signal.addEventListener('abort', abort(signal), { once: true, signal: joined.signal });
      }
      forwarded = { ...init, signal: joined.signal };
    }
    const response = await inner(input, forwarded);
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          watch.onActivity?.();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** Aborts `controller` when nothing arrived on the wire for `idleMs`; re-armed by every chunk. */
export class IdleWatch {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** True once the silence lasted too long (the abort that followed was ours, not the user's). */
  fired = false;

  constructor(
    private readonly watch: WireWatch,
    private readonly controller: AbortController,
    private readonly idleMs: number,
  ) {
    watch.onActivity = () => this.arm();
    this.arm();
  }

  private arm(): void {
    // Re-arming runs for every network read: refreshing the one timer is cheaper than replacing it.
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.idleMs);
  }

  stop(): void {
    this.watch.onActivity = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Events in batches

/**
 * An adapter that can hand over its events in batches (about one per network read). A fast server puts
 * hundreds of chunks in one read; passing each event on through its own `await` cost the chat service
 * more than the SDK spent parsing the stream.
 */
export interface BatchingProviderAdapter extends ProviderAdapter {
  /** The same events as `streamChat`, in the same order, grouped; no batch is empty. */
  streamChatBatches(request: ChatRequest): AsyncGenerator<ChatEvent[], void, undefined>;
}

export function isBatchingAdapter(adapter: ProviderAdapter): adapter is BatchingProviderAdapter {
  return typeof (adapter as Partial<BatchingProviderAdapter>).streamChatBatches === 'function';
}

/**
 * A batch is handed over once it is this old, even while the reader is still busy parsing. Only a stream
 * faster than we parse reaches it; there, fewer and larger updates leave the CPU to the parse (with 8 ms,
 * a 20,000-token burst became 3x as many window updates and arrived later as a whole).
 */
export const MAX_BATCH_AGE_MS = 50;

/**
 * Reads `source` as fast as it produces, turning each item into events with `take` (which pushes onto the
 * batch it is given), and yields the events gathered meanwhile: the first event at once (the first words
 * show without delay), later ones once per turn of the event loop, or once the batch is `maxAgeMs` old.
 * Node parses everything the socket holds (up to 32 reads) before the loop turns, so without the age
 * limit a fast stream arrived in a few huge batches, its first text late. A slow stream still yields each
 * event as it comes. An error of `source` is thrown after the events taken before it were yielded.
 * Leaving early leaves `source` running: the caller ends it (its request is aborted).
 */
export async function* inBatches<T, E>(
  source: AsyncIterable<T>,
  take: (item: T, batch: E[]) => void,
  options: { maxAgeMs?: number; now?: () => number } = {},
): AsyncGenerator<E[], void, undefined> {
  const maxAgeMs = options.maxAgeMs ?? MAX_BATCH_AGE_MS;
  const now = options.now ?? (() => performance.now());
  let batch: E[] = [];
  let batchStarted = 0;
  let yielded = false;
  let ended = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  let scheduled = false;
  const wakeNow = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // setImmediate runs after the microtasks in which the SDK parses the rest of the read.
  const signal = () => {
    if (scheduled || !wake) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      wakeNow();
    });
  };
  const taken = (before: number) => {
    if (batch.length === before) return;
    if (before === 0) batchStarted = now();
    if (!yielded || now() - batchStarted >= maxAgeMs) wakeNow();
    else signal();
  };
  void (async () => {
    try {
      for await (const item of source) {
        const before = batch.length;
        take(item, batch);
        taken(before);
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wakeNow();
    }
  })();
  for (;;) {
    if (batch.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yielded = true;
      yield out;
      continue;
    }
    if (ended) break;
  }
  if (failure) throw (failure as { error: unknown }).error;
}

// ---------------------------------------------------------------------------------------------------------
// Failures of a reply that already started

export function idleTimeoutError(ctx: ErrorContext, idleTimeoutMs: number): AppError {
  const seconds = Math.max(1, Math.round(idleTimeoutMs / 1000));
  const host = hostOf(ctx.baseUrl);
  return {
    code: 'IDLE_TIMEOUT',
    message: `${host} stopped sending the reply: nothing arrived for ${seconds} seconds.`,
    hint: 'The server may be overloaded or stuck. What arrived is kept; try again.',
    retryable: true,
    params: { host, seconds },
  };
}

export function droppedError(ctx: ErrorContext): AppError {
  const host = hostOf(ctx.baseUrl);
  return {
    code: 'CONNECTION_DROPPED',
    message: `The connection to ${host} was lost before the reply was complete.`,
    hint: 'What arrived is kept. Try again.',
    retryable: true,
    params: { host },
  };
}

export function malformedStreamError(ctx: ErrorContext): AppError {
  const host = hostOf(ctx.baseUrl);
  return {
    code: 'MALFORMED_STREAM',
    message: `${host} sent part of the reply in a form Switchboard cannot read.`,
    hint: 'What arrived is kept. Try again; if it keeps happening, the server may not be fully OpenAI-compatible.',
    retryable: true,
    params: { host },
  };
}

/** An error the server reported inside the 200 stream (`data: {"error": …}`, or an `error` event). */
export function inStreamError(body: unknown, ctx: ErrorContext): AppError {
  const server = parseServerError(body);
  const host = hostOf(ctx.baseUrl);
  const detail = server.message ? serverDetail(server.message, ctx.secrets) : '';
  return {
    code: 'STREAM_ERROR',
    message: detail ? `${host} reported an error while writing the reply: ${detail}` : `${host} reported an error while writing the reply.`,
    hint: 'What arrived is kept. Try again; if it keeps happening, the server log says more.',
    retryable: true,
    params: { host, ...(detail ? { detail } : {}), ...(server.code ? { serverCode: server.code } : {}) },
  };
}

/**
 * The body of an answer that came as one JSON document although a stream was asked for (a server that
 * ignores `stream: true`), with its text for later error messages; or the error to show when the body
 * breaks off or is not JSON.
 */
export async function readUnstreamedJson(
  response: Response,
  contentType: string,
  ctx: ErrorContext,
): Promise<{ body: unknown; text: string } | { error: AppError }> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { error: streamFailure(error, ctx) };
  }
  try {
    return { body: JSON.parse(text) as unknown, text };
  } catch {
    return { error: notOpenAIApi(contentType, text, ctx) };
  }
}

/** An error thrown while reading the stream: an error payload, malformed JSON, or a broken connection. */
export function streamFailure(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof SseEventTooLarge) return eventTooLargeError(ctx, error.limitBytes);
  if (error instanceof APIError && typeof error.status !== 'number') {
    return inStreamError({ error: error.error ?? { message: error.message } }, ctx);
  }
  if (error instanceof SyntaxError) return malformedStreamError(ctx);
  return droppedError(ctx);
}

export function cutOffError(ctx: ErrorContext): AppError {
  return {
    code: 'CUT_OFF_LENGTH',
    message: 'The reply was cut off at the token limit.',
    hint: 'Ask the model to continue, or raise the maximum output tokens on the server.',
    retryable: true,
    params: { host: hostOf(ctx.baseUrl) },
  };
}

export function contentFilteredError(ctx: ErrorContext): AppError {
  return {
    code: 'CONTENT_FILTERED',
    message: "The provider's content filter stopped the reply.",
    hint: 'Rephrase the request; the filter is applied by the provider, not by Switchboard.',
    retryable: true,
    params: { host: hostOf(ctx.baseUrl) },
  };
}
