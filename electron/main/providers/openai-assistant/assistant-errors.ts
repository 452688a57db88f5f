/**
 * The AppErrors of the Assistants API (exact English texts from the issue where it gives them), and the
 * mapping of a failed request: a 404 is probed to tell an unknown assistant from a server without the
 * Assistants API and from a wrong base URL.
 */
import type { AppError } from '../../../../shared/result';
import { hostOf, mapHttpFailure, mapProviderError, notOpenAIApi, parseServerError, type ErrorContext } from '../errors/request-failure';
import type { ResolvedProvider } from '../provider-kind';
import { serverDetail } from '../wire/secret-scrub';
import type { WireRun } from './api-objects';
import { HttpStatusError, NotApiError, type AssistantEndpoint, type AssistantsClient } from './assistants-client';

/** Function arguments longer than this are shortened in the requires_action message. */
const MAX_ARGUMENTS_CHARS = 500;

export function missingAssistantIdError(): AppError {
  return {
    code: 'MISSING_ASSISTANT_ID',
    message: 'OpenAI Assistant ID is required',
    hint: 'Enter the assistant’s ID (asst_…) for this provider in Settings.',
    retryable: false,
  };
}

export function runTimeoutError(timeoutMs: number): AppError {
  const seconds = Math.round(timeoutMs / 1000);
  return {
    code: 'ASSISTANT_RUN_TIMEOUT',
    message: 'Assistant run timeout',
    hint: `The run took longer than ${seconds} s and was cancelled on the server. Try again, or raise the run timeout of this provider in Settings.`,
    retryable: true,
    params: { seconds },
  };
}

export function noResponseError(): AppError {
  return {
    code: 'ASSISTANT_NO_RESPONSE',
    message: 'No assistant response found',
    hint: 'The run finished without writing a message. Try again, or check the assistant’s instructions and tools.',
    retryable: true,
  };
}

/** `lastError` is the server's `last_error` as one line (`code: message`), '' when it gave none. */
function lastErrorParams(run: WireRun, secrets: readonly string[]): { errorCode: string; detail: string; lastError: string } {
  const errorCode = run.last_error?.code ?? '';
  const detail = serverDetail(run.last_error?.message ?? '', secrets);
  return { errorCode, detail, lastError: [errorCode, detail].filter(Boolean).join(': ') };
}

function withLastError(sentence: string, run: WireRun, secrets: readonly string[]): string {
  const { lastError } = lastErrorParams(run, secrets);
  return lastError ? `${sentence}. ${lastError}` : `${sentence}.`;
}

/** `secrets`: the key and header values, removed from the server's `last_error` before it is shown. */
export function terminalError(run: WireRun, secrets: readonly string[]): AppError | null {
  switch (run.status) {
    case 'failed':
      return {
        code: 'ASSISTANT_RUN_FAILED',
        message: withLastError('The assistant run failed', run, secrets),
        hint: 'Try again. If it keeps failing, check the assistant on the server (model, tools, files).',
        retryable: true,
        params: lastErrorParams(run, secrets),
      };
    case 'cancelled':
      return {
        code: 'ASSISTANT_RUN_CANCELLED',
        message: withLastError('The assistant run was cancelled on the server', run, secrets),
        hint: 'Something other than Switchboard cancelled the run. Try again.',
        retryable: true,
        params: lastErrorParams(run, secrets),
      };
    case 'expired':
      return {
        code: 'ASSISTANT_RUN_EXPIRED',
        message: withLastError('The assistant run expired before it finished', run, secrets),
        hint: 'The server gave up on the run. Try again.',
        retryable: true,
        params: lastErrorParams(run, secrets),
      };
    case 'incomplete': {
      const reason = run.incomplete_details?.reason ?? 'unknown';
      return {
        code: 'ASSISTANT_RUN_INCOMPLETE',
        message: `The assistant run ended incomplete (${reason}); the reply above is what arrived.`,
        hint: 'The run hit a token limit (max_completion_tokens or max_prompt_tokens). Ask for a shorter answer, or raise the limits of the assistant on the server.',
        retryable: true,
        params: { reason },
      };
    }
    default:
      return null;
  }
}

export function requiresActionError(run: WireRun): AppError {
  const calls = run.required_action?.submit_tool_outputs?.tool_calls ?? [];
  const names = calls.map((c) => c.function?.name ?? '?');
  const name = names.join(', ') || '?';
  let args = calls.map((c) => c.function?.arguments ?? '').join(', ');
  if (args.length > MAX_ARGUMENTS_CHARS) args = `${args.slice(0, MAX_ARGUMENTS_CHARS - 1)}…`;
  return {
    code: 'ASSISTANT_REQUIRES_ACTION',
    message: `The assistant asked to call the function ${name} with arguments ${args}. Switchboard cannot run functions, so the run was cancelled.`,
    hint: 'Remove function tools from this assistant on the server, or use an assistant whose tools run on the server (code interpreter, file search).',
    retryable: false,
    params: { name, arguments: args },
  };
}

/** What must never appear in a message: the key and every custom header value. */
export function providerSecrets(provider: { apiKey: string | null; config: { customHeaders: readonly { value: string }[] } }): string[] {
  return [provider.apiKey ?? '', ...provider.config.customHeaders.map((h) => h.value)].filter((s) => s.length >= 4);
}

function errorContext(endpoint: AssistantEndpoint, timeoutMs: number): ErrorContext {
  const secrets = [endpoint.apiKey ?? '', ...endpoint.customHeaders.map((h) => h.value)].filter((s) => s.length >= 4);
  return { baseUrl: endpoint.baseUrl, assistantId: endpoint.assistantId, operation: 'assistants-run', timeoutMs, secrets };
}

function assistantNotFound(endpoint: AssistantEndpoint, status: number): AppError {
  const host = hostOf(endpoint.baseUrl);
  const assistantId = endpoint.assistantId;
  return {
    code: 'ASSISTANT_NOT_FOUND',
    message: `${host} has no assistant with the ID “${assistantId}”.`,
    hint: 'Check the Assistant ID and that the API key belongs to the project that owns the assistant.',
    retryable: false,
    params: { status, assistantId, host },
  };
}

function apiUnavailable(endpoint: AssistantEndpoint, status: number): AppError {
  const host = hostOf(endpoint.baseUrl);
  return {
    code: 'ASSISTANTS_API_UNAVAILABLE',
    message: `${host} does not serve the Assistants API (HTTP ${status}). OpenAI retired it on 2026-08-26.`,
    hint: 'OpenAI retired the Assistants API on 2026-08-26; use an OpenAI Compatible provider with a chat model instead, or a server that still offers Assistants.',
    retryable: false,
    params: { status, host },
  };
}

/**
 * Maps any failure to an AppError. A 404 is probed: if `/assistants` itself is not served, the server has
 * no Assistants API (or, when `/models` is missing as well, no OpenAI-style API at this base URL);
 * otherwise the assistant (or, for `thread`, the thread) is unknown.
 */
export async function toAppError(
  error: unknown,
  client: AssistantsClient,
  endpoint: AssistantEndpoint,
  timeoutMs: number,
  signal: AbortSignal,
  subject: 'assistant' | 'run' | 'thread',
): Promise<AppError> {
  const ctx = errorContext(endpoint, timeoutMs);
  if (error instanceof NotApiError) return notOpenAIApi(error.contentType, error.bodyText, ctx);
  if (error instanceof HttpStatusError) {
    if (error.status === 404 || error.status === 405 || error.status === 410) {
      const served = await client.apiServed(signal).catch(() => true);
      if (!served) {
        const wrongUrl = await client.modelsMissing(signal).catch(() => false);
        // As for any OpenAI-style request to a wrong address: NOT_FOUND_PATH, with the /v1 hint.
        if (wrongUrl) return mapHttpFailure({ status: error.status, headers: error.headers, bodyText: error.bodyText }, { ...ctx, operation: 'models' });
        return apiUnavailable(endpoint, error.status);
      }
      const text = parseServerError(error.bodyText).message ?? '';
      if (subject === 'assistant' || /assistant/i.test(text)) return assistantNotFound(endpoint, error.status);
    }
    return mapHttpFailure({ status: error.status, headers: error.headers, bodyText: error.bodyText }, ctx);
  }
  return mapProviderError(error, ctx);
}

/** A failure decided by the turn itself (run status), already an AppError. */
export class TurnError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'TurnError';
  }
}

export function streamError(message: string, provider: ResolvedProvider): AppError {
  const host = hostOf(provider.config.baseUrl);
  const detail = serverDetail(message, providerSecrets(provider));
  return {
    code: 'STREAM_ERROR',
    message: `${host} reported an error while writing the reply. ${detail}`,
    hint: 'What arrived is kept. Try again; if it keeps happening, the server log says more.',
    retryable: true,
    params: { host, detail },
  };
}
