/** An HTTP error status (with the server's error body) as an AppError: 4xx and 5xx, with the `/v1` hint. */
import type { AppError } from '../../../../shared/result';
import { suggestVersionFix } from '../../../../shared/validation/provider-validation';
import { cleanDetail, err, hostOf, parseRateLimitResetMs, parseRetryAfterMs, parseServerError, type ErrorContext, type HttpFailure, type ServerError } from './error-context';

/** OpenAI's (and many gateways') wording for a path that does not exist. */
const INVALID_URL = /Invalid URL|Not Found$|^Not Found|no route|unknown (?:path|endpoint|route)/i;

function notFound(server: ServerError, status: number, ctx: ErrorContext): AppError {
  const host = hostOf(ctx.baseUrl);
  const text = [server.message, server.code].filter(Boolean).join(' ');
  if (ctx.operation === 'assistant' || ctx.operation === 'assistants-run') {
    // OpenAI answers "No assistant found with id 'asst_…'" for a wrong ID; a server without the API at
    // all answers a generic 404 (or 405/410).
    if (status === 404 && !INVALID_URL.test(text) && /no assistant|assistant\b.*\b(?:not found|does not exist|no such)/i.test(text)) {
      const id = ctx.assistantId ?? '';
      return err('ASSISTANT_NOT_FOUND', `${host} has no assistant with the ID “${id}”.`, {
        hint: 'Check the Assistant ID and that the API key belongs to the project that owns the assistant.',
        retryable: false,
        params: { status, assistantId: ctx.assistantId ?? '', host },
      });
    }
    return err('ASSISTANTS_API_UNAVAILABLE', `${host} does not serve the Assistants API (HTTP ${status}).`, {
      hint: 'OpenAI retired the Assistants API on 2026-08-26; use an OpenAI Compatible provider with a chat model instead, or a server that still offers Assistants.',
      retryable: false,
      params: { status, host },
    });
  }
  const modelMissing =
    server.code === 'model_not_found' ||
    (!INVALID_URL.test(text) && /model/i.test(text) && /not (?:be )?found|does not exist|no such|unknown|not available|pull/i.test(text));
  if (modelMissing && ctx.operation !== 'models') {
    const model = ctx.model ?? '';
    return err('MODEL_NOT_FOUND', `The model “${model}” was not found on ${host}.`, {
      hint: 'Pick a model from the list (Settings → Model → refresh) or check its spelling.',
      retryable: false,
      params: { status, model, host, detail: server.message ? cleanDetail(server.message, ctx) : '' },
    });
  }
  const fix = ctx.baseUrl ? suggestVersionFix(ctx.baseUrl) : null;
  return err('NOT_FOUND_PATH', `${host} has no OpenAI-style API at this address (HTTP ${status}). Check the API Base URL.`, {
    ...(fix
      ? {
          hint:
            fix.kind === 'missing'
              ? `The base URL may be missing /v1: try ${fix.suggestion}`
              : `The base URL contains /v1 twice: try ${fix.suggestion}`,
        }
      : {}),
    retryable: false,
    params: { status, host, suggestion: fix?.suggestion ?? '', ...(fix?.kind === 'double' ? { context: 'double' } : {}) },
  });
}

/** Maps an HTTP error status and its body to an AppError. */
export function mapHttpFailure(failure: HttpFailure, ctx: ErrorContext = {}): AppError {
  const { status, headers } = failure;
  const server = parseServerError(failure.bodyText);
  return mapStatus(status, headers, server, ctx);
}

export function mapStatus(status: number, headers: Headers | undefined, server: ServerError, ctx: ErrorContext): AppError {
  const host = hostOf(ctx.baseUrl);
  const detail = server.message ? cleanDetail(server.message, ctx) : '';
  const withDetail = (sentence: string) => (detail ? `${sentence} The server said: ${detail}` : sentence);
  const base = { status, host, detail };

  if (status === 401) {
    // The server's wording may echo part of the key; it is left out on purpose.
    return err('AUTH_FAILED', `${host} rejected the API key (HTTP 401).`, {
      hint: 'Check the API key for this provider in Settings, paste it again and save.',
      retryable: false,
      params: { status, host },
    });
  }
  if (status === 403) {
    return err('PERMISSION_DENIED', withDetail(`${host} refused access with this API key (HTTP 403).`), {
      hint: 'Check that the key is valid and allowed to use this model or endpoint (project, region or gateway rules).',
      retryable: false,
      params: base,
    });
  }
  if (status === 404 || status === 405 || (status === 410 && (ctx.operation === 'assistant' || ctx.operation === 'assistants-run'))) {
    return notFound(server, status, ctx);
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers, ctx.now);
    const quota = server.code === 'insufficient_quota' || server.type === 'insufficient_quota';
    if (quota) {
      return err('RATE_LIMITED', withDetail(`${host} says this account has run out of quota (HTTP 429).`), {
        hint: 'Check the plan and billing of this account; waiting will not help.',
        retryable: false,
        params: { ...base, context: 'quota' },
      });
    }
    const seconds = retryAfterMs !== undefined ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : undefined;
    return err('RATE_LIMITED', `${host} is limiting how often requests can be sent (HTTP 429). Wait a moment, then try again.`, {
      ...(seconds !== undefined ? { hint: `The server asked to wait ${seconds} s before trying again.` } : {}),
      retryable: true,
      params: { ...base, ...(retryAfterMs !== undefined ? { retryAfterMs, seconds: seconds ?? 0 } : {}), ...resetParam(headers) },
    });
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfterMs(headers, ctx.now);
    const context = status === 502 || status === 504 ? 'gateway' : status === 503 ? 'unavailable' : null;
    const sentence =
      context === 'gateway'
        ? `${host} or a proxy in front of it could not reach the model server (HTTP ${status}).`
        : context === 'unavailable'
          ? `${host} is unavailable or overloaded right now (HTTP ${status}).`
          : `${host} had an internal error (HTTP ${status}).`;
    return err('SERVER_ERROR', withDetail(sentence), {
      hint: 'This is usually temporary: try again in a moment. If it persists, check the server’s logs or status page.',
      retryable: true,
      params: { ...base, ...(context ? { context } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    });
  }
  if (status === 408) {
    return err('CONNECT_TIMEOUT', `${host} gave up waiting for the request (HTTP 408).`, {
      hint: 'Try again; if it keeps happening, check your network or proxy.',
      retryable: true,
      params: { ...base, seconds: ctx.timeoutMs ? Math.round(ctx.timeoutMs / 1000) : 0, context: 'server' },
    });
  }
  return err('BAD_REQUEST', withDetail(`${host} rejected the request (HTTP ${status}).`), {
    hint: 'Check the model name and the provider settings; the server’s message above says what it did not accept.',
    retryable: false,
    params: base,
  });
}

/** When a 429 names no `retry-after`, OpenAI's `x-ratelimit-reset-*` still says when the limit resets (key cooldowns use it). */
function resetParam(headers: Headers | undefined): { resetMs?: number } {
  const resetMs = parseRateLimitResetMs(headers);
  return resetMs !== undefined ? { resetMs } : {};
}
