/**
 * Errors are values across IPC: Electron keeps only `message` of a thrown error, so every handler answers
 * with a Result. The renderer shows `message` (translated by `code` + `params` when it knows the code) and
 * `hint`, never a stack trace.
 */

export type ErrorCode =
  // IPC / app
  | 'INVALID_INPUT'
  | 'UNTRUSTED_SENDER'
  | 'UNKNOWN_CHANNEL'
  | 'INTERNAL'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'FORBIDDEN_URL'
  | 'BUSY'
  /** A write failed because the disk (or the user's quota) is full. */
  | 'DISK_FULL'
  /** Our own cancellation (Stop, window closed): not a provider failure. */
  | 'CANCELLED'
  // keychain
  | 'KEYCHAIN_UNAVAILABLE'
  | 'KEYCHAIN_LOCKED'
  | 'KEYCHAIN_DENIED'
  | 'KEYCHAIN_ERROR'
  // provider / network
  | 'NO_PROVIDER'
  | 'MISSING_API_KEY'
  | 'MISSING_ASSISTANT_ID'
  | 'AUTH_FAILED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND_PATH'
  | 'MODEL_NOT_FOUND'
  | 'BAD_REQUEST'
  /** A 400 naming one parameter of the conversation's settings (`params.parameter`): "Send without it". */
  | 'PARAMETER_REJECTED'
  /** The model asked for tools more times in one reply than the tool loop allows. */
  | 'TOOL_ROUNDS_EXCEEDED'
  | 'RATE_LIMITED'
  /** Several keys or providers were tried before the first token and none could answer (`params.tried`). */
  | 'ALL_ROUTES_FAILED'
  | 'SERVER_ERROR'
  | 'CONNECTION_REFUSED'
  | 'DNS_FAILED'
  | 'TLS_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'IDLE_TIMEOUT'
  | 'NOT_OPENAI_API'
  | 'STREAM_ERROR'
  | 'CONNECTION_DROPPED'
  | 'MALFORMED_STREAM'
  | 'CUT_OFF_LENGTH'
  | 'CONTENT_FILTERED'
  | 'NETWORK_ERROR'
  /** A provider redirected a request to another origin (or in a loop); not followed. */
  | 'REDIRECT_REFUSED'
  // assistants
  | 'ASSISTANT_NOT_FOUND'
  | 'ASSISTANTS_API_UNAVAILABLE'
  | 'ASSISTANT_RUN_TIMEOUT'
  | 'ASSISTANT_NO_RESPONSE'
  | 'ASSISTANT_RUN_FAILED'
  | 'ASSISTANT_RUN_CANCELLED'
  | 'ASSISTANT_RUN_EXPIRED'
  | 'ASSISTANT_RUN_INCOMPLETE'
  | 'ASSISTANT_REQUIRES_ACTION'
  // responses (OpenAI Responses and Conversations APIs)
  | 'RESPONSES_API_UNAVAILABLE'
  | 'RESPONSE_FAILED'
  | 'RESPONSE_INCOMPLETE'
  | 'RESPONSE_CANCELLED'
  // import
  /** The file is not JSON (params: file, line, column). */
  | 'IMPORT_NOT_JSON'
  /** A zip that cannot be read (params: file). */
  | 'IMPORT_UNREADABLE'
  /** Neither our export nor ChatGPT's (params: file). */
  | 'IMPORT_FOREIGN'
  /** Exported by a newer version of the app (params: file, version). */
  | 'IMPORT_NEWER_VERSION'
  /** One conversation in the file does not fit (params: index, title, detail). */
  | 'IMPORT_BAD_CONVERSATION'
  // prompt library import (params: file; all refuse the whole file)
  | 'PROMPTS_IMPORT_NOT_JSON'
  | 'PROMPTS_IMPORT_FOREIGN'
  /** params: file, version */
  | 'PROMPTS_IMPORT_NEWER_VERSION'
  /** params: file, count, max */
  | 'PROMPTS_IMPORT_TOO_MANY'
  /** One prompt does not fit (params: file, index, field). */
  | 'PROMPTS_IMPORT_BAD_PROMPT'
  /** The library is full (params: max). */
  | 'PROMPTS_LIBRARY_FULL'
  /** Browser host only: a call larger than the WebSocket's frame limit (the bridge refuses to send it). */
  | 'PAYLOAD_TOO_LARGE'
  // attachments
  /** The model or server does not take image input (params: model, parameter 'images'): "Send without images". */
  | 'IMAGES_REJECTED'
  /** HTTP 413 from the provider (params: host). */
  | 'REQUEST_TOO_LARGE'
  /** A file of a type we cannot send (params: name, type). */
  | 'ATTACHMENT_UNSUPPORTED'
  /** A file over the size limit (params: name, maxMb; context 'text' for a text over the character limit, with maxChars). */
  | 'ATTACHMENT_TOO_LARGE'
  /** More attachments than one message takes (params: max). */
  | 'ATTACHMENT_TOO_MANY'
  /** An image that cannot be decoded, or a PDF that cannot be read (params: name; context 'pdf_no_text'). */
  | 'ATTACHMENT_UNREADABLE';

export interface AppError {
  code: ErrorCode;
  /** One clear English sentence. The renderer translates by `code` and falls back to this. */
  message: string;
  /** What to do about it, in English; translated by `code` like `message`. */
  hint?: string;
  retryable?: boolean;
  /** Values interpolated into the translated sentence (status codes, seconds, names). Never secrets. */
  params?: Record<string, string | number>;
  /** Per-field messages for form validation: field name -> error. */
  fields?: Record<string, FieldIssue>;
}

export interface FieldIssue {
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppError): { ok: false; error: AppError } => ({ ok: false, error });

/** An Error that carries an AppError, thrown inside services and turned into a Result at the IPC edge. */
export class AppFailure extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message);
    this.name = 'AppFailure';
    this.appError = appError;
  }
}

/** A form that failed validation: the first field's message as the sentence, every field's issue in `fields`. */
export function fieldsFailure(fields: Record<string, FieldIssue>): AppFailure {
  const first = Object.values(fields)[0];
  return new AppFailure({
    code: 'VALIDATION',
    message: first ? `Some fields need attention: ${first.message}` : 'Some fields need attention.',
    hint: 'Fix the fields marked in the form, then save again.',
    fields,
    params: { count: Object.keys(fields).length },
  });
}

export function appError(code: ErrorCode, message: string, extra: Omit<AppError, 'code' | 'message'> = {}): AppError {
  return { code, message, ...extra };
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string'
  );
}
