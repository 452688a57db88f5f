/**
 * One mapper from every way a provider request can fail to an AppError: one clear English sentence, a
 * hint saying what to do, whether a retry can help, and the params the UI interpolates into its
 * translation (errors.json). It understands HTTP errors with every body style real servers send, undici's
 * `TypeError: fetch failed` with its `cause.code`, Electron's `net::ERR_*` messages, and the openai SDK's
 * error classes. Server text is shortened, stripped of HTML and scrubbed of the caller's secrets before it
 * appears anywhere.
 *
 * `params.context`, when present, selects a variant of the translation through i18next's context feature
 * (`errors:TLS_FAILED_self_signed`, `errors:hints.RATE_LIMITED_quota` …), so one code can say precisely
 * what happened in every language without new codes. `params` always carries every value the translations
 * of that code interpolate.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { AppFailure, type AppError } from '../../../../shared/result';
import { SseEventTooLarge } from '../wire/sse-decoder';
import { err, hostOf, looksLikeHtml, parseServerError, type ErrorContext } from './error-context';
import { mapStatus } from './http-status';
import { collectCauses, networkFailure } from './network-failure';

export { hostOf, looksLikeHtml, parseRetryAfterMs, parseServerError, type ErrorContext, type HttpFailure, type ProviderOperation } from './error-context';
export { mapHttpFailure } from './http-status';

function isAbort(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** True when the failure is our own cancellation (the user pressed Stop), not a provider problem. */
export function isUserAbort(error: unknown): boolean {
  return isAbort(error);
}

const NOT_OPENAI_API_HINT = 'Check the API Base URL: it must point at the API (often ending in /v1), not at a web page or a login portal.';

/** The answer was 200 but not JSON from an OpenAI-style API (a web page, a login portal, plain text). */
export function notOpenAIApi(contentType: string | null, bodyText: string, ctx: ErrorContext = {}): AppError {
  const host = hostOf(ctx.baseUrl);
  const html = looksLikeHtml(bodyText) || /html/i.test(contentType ?? '');
  const mediaType = contentType?.split(';')[0]?.trim() ?? '';
  const kind = html ? 'a web page' : mediaType ? `“${mediaType}” content` : 'something that is not JSON';
  return err('NOT_OPENAI_API', `${host} answered, but not like an OpenAI-style API (it sent ${kind}).`, {
    hint: NOT_OPENAI_API_HINT,
    retryable: false,
    params: { host, ...(html ? { context: 'html' } : {}) },
  });
}

/** JSON, but not the OpenAI object asked for (`what`: "model list", "assistant", …): the base URL is off. */
export function notOpenAIJson(baseUrl: string | undefined, what: string): AppError {
  const host = hostOf(baseUrl);
  return err('NOT_OPENAI_API', `${host} answered with JSON, but not with an OpenAI-style ${what}.`, {
    hint: NOT_OPENAI_API_HINT,
    retryable: false,
    params: { host, context: 'json' },
  });
}

function appFailureIn(error: unknown): AppFailure | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof AppFailure) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** One event of a streamed reply grew past the decoder's bound (see wire/sse-decoder.ts): reading stopped. */
export function eventTooLargeError(ctx: ErrorContext, limitBytes: number): AppError {
  const host = hostOf(ctx.baseUrl);
  const limitMb = Math.round(limitBytes / (1024 * 1024));
  return err('MALFORMED_STREAM', `${host} sent one event of the reply larger than ${limitMb} MB, so Switchboard stopped reading it.`, {
    hint: 'What arrived is kept. The server may be misbehaving, or it is not an OpenAI-style API.',
    retryable: false,
    params: { host, limitMb, context: 'too_large' },
  });
}

/** Maps anything a provider request can throw to an AppError. */
export function mapProviderError(error: unknown, ctx: ErrorContext = {}): AppError {
  // Our own fetch wrappers throw AppFailures (a refused redirect); the SDK wraps them as a connection error.
  const ours = appFailureIn(error);
  if (ours) return ours.appError;
  if (error instanceof SseEventTooLarge) return eventTooLargeError(ctx, error.limitBytes);
  if (isAbort(error)) {
    return err('CANCELLED', 'The request was cancelled.', { retryable: true, params: {} });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    // The SDK keeps the JSON body's `error` (or, for other shapes, the whole body) in `.error`, and for a
    // non-JSON body only its text inside the message, after the status.
    const body: unknown =
      error.error !== undefined && error.error !== null
        ? { error: error.error }
        : error.message.replace(new RegExp(`^${error.status}\\s*`), '').replace(/^status code \(no body\)$/, '');
    const server = typeof body === 'string' ? parseServerError(body) : parseServerError(body);
    return mapStatus(error.status, error.headers ?? undefined, server, ctx);
  }
  const network = networkFailure(error, ctx);
  if (network) return network;
  if (error instanceof SyntaxError) {
    return notOpenAIApi(null, '', ctx);
  }
  if (error instanceof APIConnectionError) {
    return err('NETWORK_ERROR', `Could not connect to ${hostOf(ctx.baseUrl)}.`, {
      hint: 'Check the API Base URL and your network connection, then try again.',
      retryable: true,
      params: { host: hostOf(ctx.baseUrl) },
    });
  }
  const { messages } = collectCauses(error);
  if (error instanceof TypeError && /fetch failed|network|failed to fetch/i.test(messages.join(' '))) {
    return err('NETWORK_ERROR', `Could not connect to ${hostOf(ctx.baseUrl)}.`, {
      hint: 'Check the API Base URL and your network connection, then try again.',
      retryable: true,
      params: { host: hostOf(ctx.baseUrl) },
    });
  }
  return err('INTERNAL', 'Something went wrong while talking to the provider.', {
    hint: 'Try again. If it keeps happening, check the app log for details.',
    retryable: true,
    params: { context: 'provider' },
  });
}
