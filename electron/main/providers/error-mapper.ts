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
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import { AppFailure, type AppError, type ErrorCode } from '../../../shared/result';
import { suggestVersionFix } from '../../../shared/validation/provider-validation';
import { serverDetail } from './secret-scrub';
import { SseEventTooLarge } from './sse-decoder';

export type ProviderOperation = 'models' | 'chat' | 'assistant' | 'assistants-run' | 'other';

export interface ErrorContext {
  /** The provider's base URL: names the host in messages and drives the `/v1` hint. */
  baseUrl?: string;
  /** The model the request asked for, to tell "model not found" from "wrong path". */
  model?: string;
  /** The Assistant ID, for "assistant not found". */
  assistantId?: string;
  operation?: ProviderOperation;
  /** The connect timeout that was in force, to say how long we waited. */
  timeoutMs?: number;
  /** Values that must never appear in a message (the API key, secret header values). */
  secrets?: readonly string[];
  /** For parsing an HTTP-date `retry-after`. */
  now?: () => Date;
}

/** An HTTP error response, already read. */
export interface HttpFailure {
  status: number;
  headers: Headers;
  bodyText: string;
}

const MAX_DETAIL = 300;

// ---------------------------------------------------------------------------------------------------------
// Helpers

function hostnameOf(ctx: ErrorContext): string {
  if (!ctx.baseUrl) return 'the server';
  try {
    return new URL(ctx.baseUrl).hostname;
  } catch {
    return 'the server';
  }
}

/** The host an error message names: `host[:port]` of the base URL, or "the server" when there is none. */
export function hostOf(baseUrl: string | undefined): string {
  try {
    return new URL(baseUrl ?? '').host;
  } catch {
    return 'the server';
  }
}

export function looksLikeHtml(text: string): boolean {
  const head = text.trimStart().slice(0, 512).toLowerCase();
  return head.startsWith('<') && (head.includes('<html') || head.includes('<!doctype') || head.includes('<head') || head.includes('<body') || head.includes('<h1') || head.includes('<title'));
}

/** A short, single-line, secret-free version of a server's own message (secrets go before the cut). */
function cleanDetail(text: string, ctx: ErrorContext): string {
  return serverDetail(text, ctx.secrets, MAX_DETAIL);
}

interface ServerError {
  message: string | null;
  code: string | null;
  type: string | null;
  html: boolean;
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Reads the server's message from any of the body styles in the wild: OpenAI `{"error": {message, type,
 * code}}`, `{"error": "text"}`, FastAPI `{"detail": "text" | [{msg}]}`, `{"message": "…"}` (vLLM, many
 * gateways), or a non-JSON body (HTML from a proxy, plain text).
 */
export function parseServerError(body: unknown): ServerError {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed === '') return { message: null, code: null, type: null, html: false };
    try {
      return parseServerError(JSON.parse(trimmed) as unknown);
    } catch {
      if (looksLikeHtml(trimmed)) return { message: null, code: null, type: null, html: true };
      return { message: trimmed, code: null, type: null, html: false };
    }
  }
  if (typeof body !== 'object' || body === null) return { message: null, code: null, type: null, html: false };
  const obj = body as Record<string, unknown>;
  const inner = obj.error;
  if (typeof inner === 'object' && inner !== null) {
    const e = inner as Record<string, unknown>;
    const nested = parseServerError(e);
    return {
      message: stringField(e.message) ?? nested.message,
      code: stringField(e.code) ?? (typeof e.code === 'number' ? String(e.code) : null) ?? nested.code,
      type: stringField(e.type) ?? nested.type,
      html: false,
    };
  }
  let message = stringField(inner) ?? stringField(obj.message) ?? stringField(obj.detail) ?? stringField(obj.error_description);
  if (!message && Array.isArray(obj.detail)) {
    const parts = obj.detail
      .map((d) => (typeof d === 'object' && d !== null ? stringField((d as Record<string, unknown>).msg) : stringField(d)))
      .filter((m): m is string => m !== null);
    if (parts.length) message = parts.join('; ');
  }
  return {
    message,
    code: stringField(obj.code) ?? (typeof obj.code === 'number' ? String(obj.code) : null),
    type: stringField(obj.type),
    html: false,
  };
}

/**
 * How long the server asked us to wait, in milliseconds: `retry-after-ms` (OpenAI), then `retry-after` as
 * seconds or an HTTP date. Undefined when absent or unparseable.
 */
export function parseRetryAfterMs(headers: Headers | undefined, now: () => Date = () => new Date()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(ra);
  if (Number.isFinite(date)) return Math.max(0, date - now().getTime());
  return undefined;
}

function err(code: ErrorCode, message: string, extra: Omit<AppError, 'code' | 'message'>): AppError {
  return { code, message, ...extra };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP status

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

function mapStatus(status: number, headers: Headers | undefined, server: ServerError, ctx: ErrorContext): AppError {
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
      params: { ...base, ...(retryAfterMs !== undefined ? { retryAfterMs, seconds: seconds ?? 0 } : {}) },
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

// ---------------------------------------------------------------------------------------------------------
// Network errors

/** Every `code` and message found along an error's cause chain (and inside AggregateErrors). */
function collectCauses(error: unknown): { codes: string[]; messages: string[]; names: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  const names: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (depth > 8 || e === null || e === undefined || seen.has(e)) return;
    seen.add(e);
    if (typeof e === 'object') {
      const o = e as Record<string, unknown>;
      if (typeof o.code === 'string') codes.push(o.code);
      if (typeof o.message === 'string') messages.push(o.message);
      if (typeof o.name === 'string') names.push(o.name);
      if ('cause' in o) visit(o.cause, depth + 1);
      if (Array.isArray(o.errors)) for (const inner of o.errors) visit(inner, depth + 1);
    } else if (typeof e === 'string') {
      messages.push(e);
    }
  };
  visit(error, 0);
  return { codes, messages, names };
}

const TLS_CODES = /^(?:CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:VERIFY|GET)|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_CERT)/;

type TlsReason = 'self_signed' | 'expired' | 'not_yet_valid' | 'wrong_host' | 'not_https' | 'untrusted' | 'other';

const TLS_REASON_TEXT: Record<TlsReason, string> = {
  self_signed: 'its certificate is self-signed',
  expired: 'its certificate has expired',
  not_yet_valid: 'its certificate is not valid yet',
  wrong_host: 'its certificate is for a different host name',
  not_https: 'it does not speak HTTPS on this port',
  untrusted: 'its certificate is not trusted by this computer',
  other: 'the certificate could not be verified',
};

function tlsReason(codes: string[], messages: string[]): TlsReason {
  const all = `${codes.join(' ')} ${messages.join(' ')}`;
  if (/SELF_SIGNED|self[- ]signed/i.test(all)) return 'self_signed';
  if (/EXPIRED|CERT_DATE_INVALID/i.test(all)) return 'expired';
  if (/NOT_YET_VALID/i.test(all)) return 'not_yet_valid';
  if (/ALTNAME|COMMON_NAME|HOSTNAME_MISMATCH|does not match/i.test(all)) return 'wrong_host';
  if (/WRONG_VERSION_NUMBER|SSL_PROTOCOL|EPROTO|packet length too long/i.test(all)) return 'not_https';
  if (/UNABLE_TO_(?:VERIFY|GET)|AUTHORITY_INVALID|issuer/i.test(all)) return 'untrusted';
  return 'other';
}

function networkFailure(error: unknown, ctx: ErrorContext): AppError | null {
  const { codes, messages, names } = collectCauses(error);
  const all = `${codes.join(' ')} ${messages.join(' ')}`;
  const host = hostOf(ctx.baseUrl);
  const seconds = ctx.timeoutMs ? Math.round(ctx.timeoutMs / 1000) : 0;
  const has = (re: RegExp) => codes.some((c) => re.test(c)) || re.test(messages.join(' '));

  if (has(/ECONNREFUSED|ERR_CONNECTION_REFUSED/)) {
    return err('CONNECTION_REFUSED', `Could not connect to ${host}: the connection was refused.`, {
      hint: 'Is the server running? Check that it is started and listening on this address and port.',
      retryable: true,
      params: { host },
    });
  }
  if (has(/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/)) {
    const hostname = hostnameOf(ctx);
    return err('DNS_FAILED', `The host name ${hostname} could not be found.`, {
      hint: 'Check the spelling of the API Base URL and your internet connection.',
      retryable: codes.includes('EAI_AGAIN'),
      params: { host: hostname },
    });
  }
  if (codes.some((c) => TLS_CODES.test(c)) || /net::ERR_(?:CERT|SSL)|certificate|ssl routines|wrong version number/i.test(all)) {
    const reason = tlsReason(codes, messages);
    return err('TLS_FAILED', `The secure connection to ${host} failed: ${TLS_REASON_TEXT[reason]}.`, {
      hint:
        reason === 'not_https'
          ? 'The server may only speak plain HTTP on this port: try http:// if it runs on this machine or a network you trust.'
          : 'Use a certificate this computer trusts, or http:// for a server on this machine. Switchboard never skips certificate checks.',
      retryable: false,
      params: { host, context: reason },
    });
  }
  if (
    error instanceof APIConnectionTimeoutError ||
    names.includes('TimeoutError') ||
    has(/UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|ETIMEDOUT|ERR_CONNECTION_TIMED_OUT|ERR_TIMED_OUT/)
  ) {
    return err(
      'CONNECT_TIMEOUT',
      seconds ? `${host} did not answer within ${seconds} seconds.` : `${host} did not answer in time.`,
      {
        hint: 'Check that the address is right and the server is reachable (VPN, proxy or firewall), then try again.',
        retryable: true,
        params: { host, seconds, ...(seconds ? {} : { context: 'unknown' }) },
      },
    );
  }
  if (has(/ECONNRESET|UND_ERR_SOCKET|EPIPE|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|other side closed/)) {
    return err('NETWORK_ERROR', `The connection to ${host} was closed before it answered.`, {
      hint: 'The server or a proxy dropped the connection. Check that the URL points at the API, then try again.',
      retryable: true,
      params: { host, context: 'reset' },
    });
  }
  if (has(/EHOSTUNREACH|ENETUNREACH|ENETDOWN|ERR_INTERNET_DISCONNECTED|ERR_ADDRESS_UNREACHABLE|ERR_NETWORK_CHANGED|ERR_PROXY/)) {
    return err('NETWORK_ERROR', `${host} cannot be reached from this computer.`, {
      hint: 'Check your network connection, VPN or proxy settings.',
      retryable: true,
      params: { host, context: 'unreachable' },
    });
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Public entry points

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

/** One event of a streamed reply grew past the decoder's bound (see sse-decoder.ts): reading stopped. */
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
