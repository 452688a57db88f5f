/**
 * What every provider failure is mapped with: the request's context (host, model, operation, secrets to
 * keep out of messages) and the readers of what a server sent back (its error body, `retry-after`).
 */
import type { AppError, ErrorCode } from '../../../../shared/result';
import { serverDetail } from '../wire/secret-scrub';

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

export function hostnameOf(ctx: ErrorContext): string {
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
export function cleanDetail(text: string, ctx: ErrorContext): string {
  return serverDetail(text, ctx.secrets, MAX_DETAIL);
}

export interface ServerError {
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

/**
 * A Go-style duration as OpenAI's `x-ratelimit-reset-requests` / `-tokens` carry it ("1s", "6m0s", "20ms",
 * "1h2m3.5s", or plain seconds "0.5"), in milliseconds; undefined when it is not one.
 */
export function parseResetDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;
  let total = 0;
  let at = 0;
  while (at < trimmed.length) {
    part.lastIndex = at;
    const match = part.exec(trimmed);
    if (!match) return undefined;
    total += Number(match[1]) * (unitMs[match[2] as string] ?? 0);
    at = part.lastIndex;
  }
  return Math.round(total);
}

/** When the exhausted limit resets (`x-ratelimit-reset-requests`/`-tokens`; the later of the two), in ms. */
export function parseRateLimitResetMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const values = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => headers.get(name))
    .map((value) => (value === null ? undefined : parseResetDuration(value)))
    .filter((ms): ms is number => ms !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
}

export function err(code: ErrorCode, message: string, extra: Omit<AppError, 'code' | 'message'>): AppError {
  return { code, message, ...extra };
}
