/**
 * The bounded, visible wait after HTTP 429 (`retry-after-ms`, `retry-after`, or a back-off) and after a 503
 * that says when to come back (`retry-after`: vLLM, LiteLLM and others while a model loads).
 */
import { APIError } from 'openai';
import type { ChatEvent, RetryReason } from '../../../../shared/models/chat-event';
import type { AppError } from '../../../../shared/result';
import { parseRetryAfterMs } from '../errors/error-context';

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
  const answer = httpAnswerOf(error);
  if (!answer || !appError.retryable) return null;
  if (answer.status !== 429 && answer.status !== 503) return null;
  if (retriesSoFar >= (options.maxRateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES)) return null;
  const asked = parseRetryAfterMs(answer.headers, options.now);
  // A plain 503 may be a server that is down for good; only one that names a time is waited out.
  if (answer.status === 503 && asked === undefined) return null;
  const waitMs = asked ?? (options.backoffMs ?? ((n: number) => 1000 * 2 ** (n - 1)))(retriesSoFar + 1);
  return waitMs <= (options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS) ? waitMs : null;
}

/** What the wait before an automatic retry is shown as (see rateLimitWaitMs). */
export function retryReasonOf(error: unknown): RetryReason {
  return httpAnswerOf(error)?.status === 503 ? 'unavailable' : 'rate-limited';
}

/**
 * The status and headers of a failed request: the openai SDK's APIError, or the Assistants client's own
 * HTTP error (any error carrying a numeric `status` and its `Headers`).
 */
function httpAnswerOf(error: unknown): { status: number; headers: Headers | undefined } | null {
  if (error instanceof APIError) return typeof error.status === 'number' ? { status: error.status, headers: error.headers ?? undefined } : null;
  const candidate = error as { status?: unknown; headers?: unknown } | null;
  if (candidate && typeof candidate === 'object' && typeof candidate.status === 'number' && candidate.headers instanceof Headers) {
    return { status: candidate.status, headers: candidate.headers };
  }
  return null;
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
