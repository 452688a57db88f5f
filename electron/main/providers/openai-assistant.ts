/**
 * The `openai-assistant` provider: a pre-configured assistant on a server that speaks the Assistants API
 * (v2): threads, messages, runs. One conversation = one thread (saved with the conversation), one reply =
 * one run, streamed (`stream: true`) or, for servers that cannot stream runs, polled.
 *
 * Why raw fetch and not `client.beta.threads…` of the openai SDK: the SDK's whole Assistants surface is
 * deprecated (OpenAI retired the API on 2026-08-26) and will leave the SDK, while the servers that still
 * serve it are the reason this provider exists; its poll helper has no back-off, no overall deadline and no
 * way to fall back when a server ignores `stream: true` and answers JSON. The protocol is small: JSON
 * requests plus one named-event SSE stream (sse-decoder.ts).
 *
 * Every failure becomes an AppError event; a run this adapter started is never left running on the server
 * when it stops listening (Stop, timeout, requires_action, a stream error): it is cancelled.
 */
import type { ChatEvent } from '../../../shared/models/chat-event';
import type { Conversation, MessageAnnotation, TokenUsage } from '../../../shared/models/conversation';
import type { ConnectionTestResult } from '../../../shared/models/provider';
import { DEFAULT_ASSISTANT_RUN_TIMEOUT_MS } from '../../../shared/models/provider';
import { AppFailure, type AppError } from '../../../shared/result';
import type { Logger } from '../logger';
import { decodeSseEvents } from './sse-decoder';
import { serverDetail } from './secret-scrub';
import { hostOf, mapHttpFailure, mapProviderError, notOpenAIApi, notOpenAIJson, parseServerError, type ErrorContext } from './error-mapper';
import { providerRequestHeaders, type ProviderEndpoint } from './openai-client';
import type { ChatRequest, HttpDeps, ProviderAdapter, ResolvedProvider } from './provider-adapter';
import { turnKind } from './turn-alignment';

// ---------------------------------------------------------------------------------------------------------
// Tunables

/** First wait between polls when the server gives no `openai-poll-after-ms`. */
export const POLL_INITIAL_MS = 500;
/** Polls back off by this factor… */
export const POLL_BACKOFF = 1.5;
/** …up to this wait (unless the server asks for longer). */
export const POLL_MAX_MS = 5000;
/** Bound on the cancel request sent when we stop listening (Stop must not hang on a slow server). */
const CANCEL_TIMEOUT_MS = 5000;
/** Function arguments longer than this are shortened in the requires_action message. */
const MAX_ARGUMENTS_CHARS = 500;

export const TOOL_STATUS_TEXT: Record<string, string> = {
  code_interpreter: 'Running code interpreter…',
  file_search: 'Searching files…',
};

export interface AssistantAdapterDeps extends HttpDeps {
  log: Logger;
  /** Waits between polls; tests pass one that records the delays. Must reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Wire shapes (only the fields this adapter reads)

type RunStatus = 'queued' | 'in_progress' | 'requires_action' | 'cancelling' | 'cancelled' | 'failed' | 'completed' | 'incomplete' | 'expired';

interface WireRun {
  id: string;
  status: RunStatus | string;
  last_error?: { code?: string; message?: string } | null;
  incomplete_details?: { reason?: string } | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  required_action?: {
    submit_tool_outputs?: { tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }> };
  } | null;
}

interface WireAnnotation {
  type?: string;
  text?: string;
  file_citation?: { file_id?: string; quote?: string };
  file_path?: { file_id?: string };
}

interface WireContentPart {
  type?: string;
  text?: { value?: string; annotations?: WireAnnotation[] } | string;
  refusal?: string;
}

interface WireMessage {
  id: string;
  role?: string;
  run_id?: string | null;
  content?: WireContentPart[];
}

interface WireStep {
  id?: string;
  status?: string;
  step_details?: { type?: string; tool_calls?: Array<{ type?: string }> };
  delta?: { step_details?: { type?: string; tool_calls?: Array<{ type?: string }> } };
}

const TERMINAL: ReadonlySet<string> = new Set(['cancelled', 'failed', 'completed', 'incomplete', 'expired']);

// ---------------------------------------------------------------------------------------------------------
// Errors of this provider (exact English texts from the issue where it gives them)

export function missingAssistantIdError(): AppError {
  return {
    code: 'MISSING_ASSISTANT_ID',
    message: 'OpenAI Assistant ID is required',
    hint: 'Enter the assistant’s ID (asst_…) for this provider in Settings.',
    retryable: false,
  };
}

function runTimeoutError(timeoutMs: number): AppError {
  const seconds = Math.round(timeoutMs / 1000);
  return {
    code: 'ASSISTANT_RUN_TIMEOUT',
    message: 'Assistant run timeout',
    hint: `The run took longer than ${seconds} s and was cancelled on the server. Try again, or raise the run timeout of this provider in Settings.`,
    retryable: true,
    params: { seconds },
  };
}

function noResponseError(): AppError {
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
function terminalError(run: WireRun, secrets: readonly string[]): AppError | null {
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

function requiresActionError(run: WireRun): AppError {
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

function usageOf(run: WireRun): TokenUsage | null {
  const u = run.usage;
  if (!u || typeof u.total_tokens !== 'number') return null;
  return {
    promptTokens: u.prompt_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
    totalTokens: u.total_tokens,
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

/** An HTTP error answer from the server, already read. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly bodyText: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`HTTP ${status} on ${method} ${path}`);
    this.name = 'HttpStatusError';
  }
}

/** A 200 answer that is not what an Assistants API sends (HTML, not JSON). */
class NotApiError extends Error {
  constructor(
    readonly contentType: string | null,
    readonly bodyText: string,
  ) {
    super('The server did not answer with JSON');
    this.name = 'NotApiError';
  }
}

/** The stream went silent for longer than the idle timeout (not fatal: the run is polled instead). */
class StreamIdleError extends Error {
  constructor() {
    super('The event stream went silent');
    this.name = 'StreamIdleError';
  }
}

function timeoutReason(): Error {
  const error = new Error('The server did not answer in time');
  error.name = 'TimeoutError';
  return error;
}

type CreateRunAnswer = { kind: 'stream'; body: ReadableStream<Uint8Array>; abort: () => void; touch: () => void } | { kind: 'run'; run: WireRun; pollAfterMs: number | null };

function pollAfterOf(headers: Headers): number | null {
  const raw = headers.get('openai-poll-after-ms');
  if (raw === null) return null;
  const ms = Number.parseInt(raw, 10);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/**
 * What the Assistants requests of one provider need: where, with which credentials, which assistant. A
 * saved provider (endpointOf) and the Settings form's unsaved draft (Test Connection) both give one.
 */
export interface AssistantEndpoint extends ProviderEndpoint {
  assistantId: string;
}

export function endpointOf(provider: ResolvedProvider): AssistantEndpoint {
  const { type, baseUrl, customHeaders, assistantId } = provider.config;
  return { type, baseUrl, apiKey: provider.apiKey, customHeaders, assistantId: assistantId.trim() };
}

/** Talks to one provider's Assistants API; every request carries `OpenAI-Beta: assistants=v2`. */
export class AssistantsClient {
  constructor(
    private readonly endpoint: AssistantEndpoint,
    private readonly deps: HttpDeps,
  ) {}

  get baseUrl(): string {
    return this.endpoint.baseUrl.replace(/\/+$/, '');
  }

  private headers(hasBody: boolean, accept: string): Headers {
    const headers = new Headers({ 'OpenAI-Beta': 'assistants=v2', Accept: accept });
    if (hasBody) headers.set('Content-Type', 'application/json');
    // The user's custom headers come last so a gateway's own requirements win.
    for (const [name, value] of Object.entries(providerRequestHeaders(this.endpoint))) {
      headers.set(name, value);
    }
    return headers;
  }

  /**
   * Sends one request. The connect timeout covers headers (and, for JSON, the body); `signal` is the
   * caller's (Stop / run deadline).
   */
  private async send(method: string, path: string, body: unknown, signal: AbortSignal, accept = 'application/json') {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => controller.abort(timeoutReason()), this.deps.connectTimeoutMs);
    const stopTimer = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    const release = () => {
      stopTimer();
      signal.removeEventListener('abort', onAbort);
    };
    try {
      const response = await this.deps.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(body !== undefined, accept),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: controller.signal,
      });
      return { response, controller, stopTimer, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  async json<T>(method: string, path: string, body: unknown, signal: AbortSignal): Promise<{ data: T; headers: Headers }> {
    const { response, release } = await this.send(method, path, body, signal);
    try {
      const text = await response.text();
      if (!response.ok) throw new HttpStatusError(response.status, response.headers, text, method, path);
      try {
        return { data: JSON.parse(text) as T, headers: response.headers };
      } catch {
        throw new NotApiError(response.headers.get('content-type'), text);
      }
    } finally {
      release();
    }
  }

  /** Creates a run, asking for a stream; a server that ignores `stream` answers the run as JSON. */
  async createRun(threadId: string, assistantId: string, stream: boolean, signal: AbortSignal): Promise<CreateRunAnswer> {
    const path = `/threads/${encodeURIComponent(threadId)}/runs`;
    const body = { assistant_id: assistantId, ...(stream ? { stream: true } : {}) };
    const { response, controller, stopTimer, release } = await this.send('POST', path, body, signal, stream ? 'text/event-stream' : 'application/json');
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok && /text\/event-stream/i.test(contentType) && response.body) {
      // Headers are in: from here the stream's own idle timer (set by the caller through `touch`) applies.
      stopTimer();
      let idle: ReturnType<typeof setTimeout> | undefined;
      const touch = () => {
        if (idle !== undefined) clearTimeout(idle);
        idle = setTimeout(() => controller.abort(new StreamIdleError()), this.deps.idleTimeoutMs);
      };
      touch();
      const body = response.body;
      const cleanup = () => {
        if (idle !== undefined) clearTimeout(idle);
        release();
      };
      return {
        kind: 'stream',
        body: body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            flush: cleanup,
          }),
        ),
        abort: () => {
          cleanup();
          controller.abort(new Error('stream closed by the client'));
        },
        touch,
      };
    }
    try {
      const text = await response.text();
      if (!response.ok) throw new HttpStatusError(response.status, response.headers, text, 'POST', path);
      let run: WireRun;
      try {
        run = JSON.parse(text) as WireRun;
      } catch {
        throw new NotApiError(contentType, text);
      }
      if (typeof run?.id !== 'string') throw new NotApiError(contentType, text);
      return { kind: 'run', run, pollAfterMs: pollAfterOf(response.headers) };
    } finally {
      release();
    }
  }

  retrieveRun(threadId: string, runId: string, signal: AbortSignal) {
    return this.json<WireRun>('GET', `/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}`, undefined, signal);
  }

  cancelRun(threadId: string, runId: string, signal: AbortSignal) {
    return this.json<WireRun>('POST', `/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}/cancel`, undefined, signal);
  }

  async runMessages(threadId: string, runId: string, signal: AbortSignal): Promise<WireMessage[]> {
    const query = new URLSearchParams({ run_id: runId, order: 'asc', limit: '100' });
    const { data } = await this.json<{ data?: WireMessage[] }>('GET', `/threads/${encodeURIComponent(threadId)}/messages?${query}`, undefined, signal);
    return (data.data ?? []).filter((m) => m.role === 'assistant' && (m.run_id === undefined || m.run_id === null || m.run_id === runId));
  }

  async runSteps(threadId: string, runId: string, signal: AbortSignal): Promise<WireStep[]> {
    const query = new URLSearchParams({ order: 'desc', limit: '20' });
    const { data } = await this.json<{ data?: WireStep[] }>(
      'GET',
      `/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}/steps?${query}`,
      undefined,
      signal,
    );
    return data.data ?? [];
  }

  /** Is the Assistants API served here at all? Decides what a 404 means. */
  async apiServed(signal: AbortSignal): Promise<boolean> {
    try {
      await this.json('GET', '/assistants?limit=1', undefined, signal);
      return true;
    } catch (error) {
      if (error instanceof HttpStatusError && MISSING_ENDPOINT.includes(error.status)) return false;
      // Any other answer (401, 403, 500 …) comes from something that routes /assistants.
      return !(error instanceof NotApiError);
    }
  }

  /**
   * Without the Assistants API, is this still an OpenAI-style API (then the server just does not offer
   * Assistants), or does nothing OpenAI-like live at this base URL (then the URL is wrong)? `/models` tells.
   */
  async modelsMissing(signal: AbortSignal): Promise<boolean> {
    try {
      await this.json('GET', '/models', undefined, signal);
      return false;
    } catch (error) {
      return error instanceof HttpStatusError && MISSING_ENDPOINT.includes(error.status);
    }
  }
}

/** Statuses with which a server says it has no such endpoint at all. */
const MISSING_ENDPOINT: readonly number[] = [404, 405, 410, 501];

// ---------------------------------------------------------------------------------------------------------
// Mapping failures

/** What must never appear in a message: the key and every custom header value. */
function providerSecrets(provider: { apiKey: string | null; config: { customHeaders: readonly { value: string }[] } }): string[] {
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

// ---------------------------------------------------------------------------------------------------------
// Annotations: OpenAI marks citations in the text (`【4:0†source】`); they become numbered `[1]` markers
// with the cited file listed under the message.

class AnnotationBook {
  readonly list: MessageAnnotation[] = [];
  private readonly markers = new Map<string, string>();

  /** Replaces the citation markers in `value` by `[n]`, recording each annotation once. */
  apply(value: string, annotations: WireAnnotation[] | undefined): string {
    let text = value;
    for (const a of annotations ?? []) {
      const raw = a.text ?? '';
      if (a.type === 'file_citation' && a.file_citation?.file_id) {
        let marker = this.markers.get(raw);
        if (!marker || !raw) {
          marker = `[${this.list.length + 1}]`;
          if (raw) this.markers.set(raw, marker);
          this.list.push({
            type: 'file_citation',
            text: marker,
            fileId: a.file_citation.file_id,
            ...(a.file_citation.quote ? { quote: a.file_citation.quote } : {}),
          });
        }
        if (raw) text = text.split(raw).join(marker);
      } else if (a.type === 'file_path' && a.file_path?.file_id) {
        if (!this.list.some((x) => x.type === 'file_path' && x.fileId === a.file_path?.file_id)) {
          this.list.push({ type: 'file_path', text: raw, fileId: a.file_path.file_id });
        }
      }
    }
    return text;
  }

  get size(): number {
    return this.list.length;
  }
}

/** A message's text as stored (user messages carry no annotations). */
function plainText(message: WireMessage): string {
  return (message.content ?? [])
    .map((part) => (part.type === 'text' && typeof part.text === 'object' && part.text !== null ? (part.text.value ?? '') : ''))
    .join('');
}

function messageText(message: WireMessage, book: AnnotationBook): string {
  return (message.content ?? [])
    .map((part) => {
      if (part.type === 'text' && typeof part.text === 'object' && part.text !== null) {
        return book.apply(part.text.value ?? '', part.text.annotations);
      }
      if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
      return '';
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------------------
// The adapter

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** Why this adapter stopped listening to a run on its own. */
type StopReason = 'user' | 'timeout' | null;

export class OpenAIAssistantAdapter implements ProviderAdapter {
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly deps: AssistantAdapterDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
  }

  streamChat(request: ChatRequest): AsyncIterable<ChatEvent> {
    return new AssistantTurn(request, this.deps, this.sleep).events();
  }

  /** Deletes a conversation's thread on the server (conversations:delete with deleteRemoteThread). */
  async deleteThread(provider: ResolvedProvider, threadId: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const endpoint = endpointOf(provider);
    const client = new AssistantsClient(endpoint, this.deps);
    try {
      await client.json('DELETE', `/threads/${encodeURIComponent(threadId)}`, undefined, signal);
    } catch (error) {
      // Already gone is what the user asked for.
      if (error instanceof HttpStatusError && error.status === 404 && (await client.apiServed(signal))) return;
      throw new AppFailure(await toAppError(error, client, endpoint, this.deps.connectTimeoutMs, signal, 'thread'));
    }
  }

  /** Test Connection of a saved provider (see testAssistantConnection). */
  testConnection(provider: ResolvedProvider, signal?: AbortSignal): Promise<ConnectionTestResult> {
    return testAssistantConnection(endpointOf(provider), this.deps, signal);
  }
}

/**
 * Test Connection for an Assistant provider, the one implementation (the Settings form's test calls it
 * through connection-test.ts): retrieves the assistant and reports its name and model. A failure says
 * precisely which of these it is: no such assistant, a server without the Assistants API (OpenAI retired
 * it on 2026-08-26), a base URL where no OpenAI-style API lives (with the /v1 hint), or any other
 * network or HTTP failure. Every request is bounded by `deps.connectTimeoutMs`.
 */
export async function testAssistantConnection(
  endpoint: AssistantEndpoint,
  deps: HttpDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<ConnectionTestResult> {
  const assistantId = endpoint.assistantId.trim();
  if (!assistantId) throw new AppFailure(missingAssistantIdError());
  const target = { ...endpoint, assistantId };
  const client = new AssistantsClient(target, deps);
  let data: unknown;
  try {
    ({ data } = await client.json<unknown>('GET', `/assistants/${encodeURIComponent(assistantId)}`, undefined, signal));
  } catch (error) {
    throw new AppFailure(await toAppError(error, client, target, deps.connectTimeoutMs, signal, 'assistant'));
  }
  const o = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null;
  if (!o || typeof o.id !== 'string') throw new AppFailure(notOpenAIJson(endpoint.baseUrl, 'assistant'));
  const name = typeof o.name === 'string' && o.name.trim() !== '' ? o.name : null;
  const model = typeof o.model === 'string' ? o.model : '';
  return {
    message: `Connected to the assistant ${name ? `“${name}”` : o.id}${model ? ` (${model})` : ''}.`,
    assistant: { id: o.id, name, model },
    method: 'assistant',
    warnings: [],
  };
}

/**
 * Maps any failure to an AppError. A 404 is probed: if `/assistants` itself is not served, the server has
 * no Assistants API (or, when `/models` is missing as well, no OpenAI-style API at this base URL);
 * otherwise the assistant (or, for `thread`, the thread) is unknown.
 */
async function toAppError(
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

/** One reply: thread → message → run (stream, or poll) → events. */
class AssistantTurn {
  private readonly provider: ResolvedProvider;
  private readonly client: AssistantsClient;
  private readonly assistantId: string;
  private threadId: string | null = null;
  private runId: string | null = null;
  /** True while a run we created may still be working on the server. */
  private runOpen = false;
  private stopReason: StopReason = null;
  private readonly book = new AnnotationBook();
  /** Text shown so far, per message id (in order of arrival). */
  private readonly shown = new Map<string, string>();
  private readonly activeTools = new Map<string, string>();
  private statusCode: string | null = null;
  /** Aborted on Stop or when the run deadline passes. */
  private readonly runController = new AbortController();

  constructor(
    private readonly request: ChatRequest,
    private readonly deps: AssistantAdapterDeps,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>,
  ) {
    this.provider = request.provider;
    this.client = new AssistantsClient(endpointOf(request.provider), deps);
    this.assistantId = request.provider.config.assistantId.trim();
  }

  private get signal(): AbortSignal {
    return this.runController.signal;
  }

  private get shownText(): string {
    return [...this.shown.values()].join('\n\n');
  }

  async *events(): AsyncGenerator<ChatEvent> {
    if (!this.assistantId) {
      yield { type: 'error', error: missingAssistantIdError() };
      return;
    }
    const userSignal = this.request.signal;
    const onUserAbort = () => {
      this.stopReason ??= 'user';
      this.runController.abort(userSignal.reason);
    };
    if (userSignal.aborted) return;
    userSignal.addEventListener('abort', onUserAbort, { once: true });
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const startDeadline = () => {
      const timeoutMs = this.provider.config.runTimeoutMs || DEFAULT_ASSISTANT_RUN_TIMEOUT_MS;
      deadline = setTimeout(() => {
        this.stopReason ??= 'timeout';
        this.runController.abort(timeoutReason());
      }, timeoutMs);
    };

    try {
      await this.prepareThread();
      startDeadline();
      yield* this.runOnce();
    } catch (error) {
      if (this.stopReason === 'user') return;
      if (this.stopReason === 'timeout') {
        await this.cancelRun();
        yield { type: 'error', error: runTimeoutError(this.provider.config.runTimeoutMs || DEFAULT_ASSISTANT_RUN_TIMEOUT_MS) };
        return;
      }
      if (error instanceof TurnError) {
        yield* this.flushAnnotations();
        yield { type: 'error', error: error.appError };
        return;
      }
      yield {
        type: 'error',
        error: await toAppError(error, this.client, endpointOf(this.provider), this.deps.connectTimeoutMs, this.request.signal, 'run'),
      };
    } finally {
      if (deadline !== undefined) clearTimeout(deadline);
      userSignal.removeEventListener('abort', onUserAbort);
      // Stop, a consumer that stopped iterating, or an error while the run was going: never leave it running.
      if (this.runOpen) await this.cancelRun();
    }
  }

  // ---- thread and message ----

  private async prepareThread(): Promise<void> {
    const { conversation, history } = this.request;
    const last = history.at(-1);
    const text = last?.role === 'user' ? last.content : '';
    const reusable = conversation.threadId && conversation.threadProviderId === this.provider.config.id ? conversation.threadId : null;
    if (reusable) {
      try {
        if (await this.alignThreadTail(reusable, history)) await this.addMessage(reusable, text);
        this.threadId = reusable;
        return;
      } catch (error) {
        // The thread is gone on the server (deleted elsewhere, or the server was reset): start a new one,
        // seeded with the conversation so far, rather than leave the conversation unusable.
        if (!(error instanceof HttpStatusError && error.status === 404 && /thread/i.test(parseServerError(error.bodyText).message ?? ''))) throw error;
        this.deps.log.warn('assistant', `thread of conversation ${conversation.id} is gone on the server; starting a new one`);
      }
    }
    const earlier = history
      .slice(0, last?.role === 'user' ? -1 : history.length)
      .filter((m) => m.content.trim() !== '')
      .map((m) => ({ role: m.role, content: m.content }));
    const { data } = await this.client.json<{ id?: string }>('POST', '/threads', earlier.length ? { messages: earlier } : {}, this.signal);
    if (typeof data.id !== 'string') throw new NotApiError('application/json', '');
    this.threadId = data.id;
    await this.request.saveThreadId?.(data.id);
    await this.addMessage(data.id, text);
  }

  private async addMessage(threadId: string, text: string): Promise<void> {
    const path = `/threads/${encodeURIComponent(threadId)}/messages`;
    await this.unblocked(threadId, () => this.client.json('POST', path, { role: 'user', content: text }, this.signal));
  }

  /**
   * Runs a change to the thread. A run left over from before (the app quit mid-reply) blocks the thread
   * until it expires; then it is cancelled, awaited, and the change made again.
   */
  private async unblocked<T>(threadId: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      const message = error instanceof HttpStatusError && error.status === 400 ? (parseServerError(error.bodyText).message ?? '') : '';
      const stale = /\b(run_[A-Za-z0-9_-]+)\b.*\bactive\b/i.exec(message)?.[1];
      if (!stale) throw error;
      await this.endStaleRun(threadId, stale);
      return change();
    }
  }

  /**
   * Regenerate, Retry and edit-and-resend send a user message the thread already has (or an edited
   * version of it). The thread then drops that turn's old reply (and the replaced message), or the
   * assistant would see the question twice next to its discarded answer. Decided by comparing the user
   * messages of the thread with the conversation's. Returns whether the new message must still be added.
   */
  private async alignThreadTail(threadId: string, history: ChatRequest['history']): Promise<boolean> {
    const local = history.filter((m) => m.role === 'user').map((m) => m.content);
    const query = new URLSearchParams({ order: 'desc', limit: '40' });
    const { data } = await this.client.json<{ data?: WireMessage[]; has_more?: boolean }>(
      'GET',
      `/threads/${encodeURIComponent(threadId)}/messages?${query}`,
      undefined,
      this.signal,
    );
    const newestFirst = data.data ?? [];
    const lastUser = newestFirst.findIndex((m) => m.role === 'user');
    if (lastUser < 0) return true;
    const threadUsers = newestFirst
      .filter((m) => m.role === 'user')
      .map((m) => plainText(m))
      .reverse();
    const kind = turnKind(threadUsers, local, data.has_more === false);
    if (kind === 'new') return true;
    const drop = newestFirst.slice(0, kind === 'repeat' ? lastUser : lastUser + 1);
    for (const message of drop) {
      await this.unblocked(threadId, () =>
        this.client.json('DELETE', `/threads/${encodeURIComponent(threadId)}/messages/${encodeURIComponent(message.id)}`, undefined, this.signal),
      );
    }
    return kind === 'edited';
  }

  private async endStaleRun(threadId: string, runId: string): Promise<void> {
    this.deps.log.info('assistant', `cancelling run ${runId} left over on the conversation's thread`);
    await this.client.cancelRun(threadId, runId, this.signal).catch((error: unknown) => {
      if (this.signal.aborted) throw error;
    });
    let wait = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const { data, headers } = await this.client.retrieveRun(threadId, runId, this.signal);
      if (TERMINAL.has(data.status)) return;
      const hint = pollAfterOf(headers);
      wait = wait === 0 ? (hint ?? 250) : Math.min(wait * POLL_BACKOFF, POLL_MAX_MS);
      await this.sleep(Math.max(wait, hint ?? 0), this.signal);
    }
  }

  // ---- the run ----

  private async *runOnce(): AsyncGenerator<ChatEvent> {
    const threadId = this.threadId as string;
    let answer: CreateRunAnswer;
    try {
      answer = await this.client.createRun(threadId, this.assistantId, true, this.signal);
    } catch (error) {
      // A server that cannot stream runs may refuse `stream` outright: run again without it and poll.
      if (!(error instanceof HttpStatusError && error.status === 400 && /stream/i.test(error.bodyText))) throw error;
      this.deps.log.info('assistant', 'the server refused a streamed run; polling instead');
      answer = await this.client.createRun(threadId, this.assistantId, false, this.signal);
    }
    if (answer.kind === 'run') {
      this.runId = answer.run.id;
      this.runOpen = !TERMINAL.has(answer.run.status);
      const run = yield* this.poll(answer.run, answer.pollAfterMs);
      yield* this.settle(run, true);
      return;
    }
    const outcome = yield* this.consumeStream(answer);
    if (outcome.run) {
      yield* this.settle(outcome.run, false);
      return;
    }
    if (outcome.error) {
      throw new TurnError(outcome.error);
    }
    if (!this.runId) {
      throw new TurnError({
        code: 'CONNECTION_DROPPED',
        message: `The connection to ${hostOf(this.provider.config.baseUrl)} was lost before the reply was complete.`,
        hint: 'Try again.',
        retryable: true,
        params: { host: hostOf(this.provider.config.baseUrl) },
      });
    }
    // The stream ended (dropped, or silent too long) before the run did: follow the run by polling.
    this.deps.log.info('assistant', 'the run stream ended early; polling the run');
    const { data, headers } = await this.client.retrieveRun(threadId, this.runId, this.signal);
    this.runOpen = !TERMINAL.has(data.status);
    const run = yield* this.poll(data, pollAfterOf(headers));
    yield* this.settle(run, true);
  }

  private *setStatus(code: string | null): Generator<ChatEvent> {
    if (code === this.statusCode) return;
    this.statusCode = code;
    yield { type: 'status', code, text: code ? (TOOL_STATUS_TEXT[code] ?? null) : null };
  }

  private *toolSteps(steps: WireStep[]): Generator<ChatEvent> {
    for (const step of steps) {
      if (!step.id) continue;
      const details = step.step_details ?? step.delta?.step_details;
      if (step.status && step.status !== 'in_progress') {
        this.activeTools.delete(step.id);
        continue;
      }
      const tool = details?.tool_calls?.map((c) => c.type).find((t): t is string => !!t && t in TOOL_STATUS_TEXT);
      if (details?.type === 'tool_calls' && tool) this.activeTools.set(step.id, tool);
    }
    const current = [...this.activeTools.values()].at(-1) ?? null;
    yield* this.setStatus(current);
  }

  private async *consumeStream(
    answer: Extract<CreateRunAnswer, { kind: 'stream' }>,
  ): AsyncGenerator<ChatEvent, { run?: WireRun; error?: AppError }> {
    const onAbort = () => answer.abort();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const sse of decodeSseEvents(answer.body, answer.touch)) {
        if (sse.event === 'done') break;
        if (sse.event === 'error') {
          let message = sse.data;
          try {
            message = parseServerError(JSON.parse(sse.data) as unknown).message ?? sse.data;
          } catch {
            // Not JSON: the raw text is the message.
          }
          return { error: streamError(message, this.provider) };
        }
        let data: unknown;
        try {
          data = JSON.parse(sse.data);
        } catch {
          continue;
        }
        if (typeof data !== 'object' || data === null) continue;
        const event = sse.event;
        if (event.startsWith('thread.run.step.')) {
          yield* this.toolSteps([data as WireStep]);
        } else if (event.startsWith('thread.run.')) {
          const run = data as WireRun;
          if (typeof run.id === 'string') this.runId = run.id;
          this.runOpen = !TERMINAL.has(run.status);
          if (run.status === 'requires_action' || TERMINAL.has(run.status)) return { run };
        } else if (event === 'thread.message.delta') {
          yield* this.messageDelta(data as { id?: string; delta?: { content?: WireContentPart[] } });
        } else if (event === 'thread.message.completed' || event === 'thread.message.incomplete') {
          yield* this.messageFinal(data as WireMessage);
        }
      }
      return {};
    } catch (error) {
      if (this.signal.aborted) throw error;
      // Silent too long (a long tool step) or a dropped connection: the caller polls the run instead.
      this.deps.log.warn('assistant', 'the run stream ended early', error);
      return {};
    } finally {
      this.signal.removeEventListener('abort', onAbort);
      answer.abort();
    }
  }

  private *messageDelta(delta: { id?: string; delta?: { content?: WireContentPart[] } }): Generator<ChatEvent> {
    const id = delta.id ?? '';
    let text = '';
    for (const part of delta.delta?.content ?? []) {
      if (part.type === 'text' && typeof part.text === 'object' && part.text !== null) {
        text += this.book.apply(part.text.value ?? '', part.text.annotations);
      } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
        text += part.refusal;
      }
    }
    if (!text) return;
    yield* this.setStatus(null);
    yield* this.appendText(id, text);
  }

  private *appendText(messageId: string, text: string): Generator<ChatEvent> {
    const before = this.shown.get(messageId);
    const separator = before === undefined && this.shown.size > 0 ? '\n\n' : '';
    this.shown.set(messageId, (before ?? '') + text);
    yield { type: 'delta', text: separator + text };
  }

  /** A finished message: shows whatever of it did not arrive as deltas (servers that send no deltas). */
  private *messageFinal(message: WireMessage): Generator<ChatEvent> {
    if (message.role !== undefined && message.role !== 'assistant') return;
    const full = messageText(message, this.book);
    const shown = this.shown.get(message.id) ?? '';
    if (full.startsWith(shown) && full.length > shown.length) yield* this.appendText(message.id, full.slice(shown.length));
  }

  // ---- polling ----

  /**
   * Polls the run until it settles, showing tool steps as status lines. The wait starts at the server's
   * `openai-poll-after-ms` (or POLL_INITIAL_MS) and backs off while the run goes on; it is never shorter
   * than what the server last asked for.
   */
  private async *poll(first: WireRun, firstPollAfterMs: number | null): AsyncGenerator<ChatEvent, WireRun> {
    const threadId = this.threadId as string;
    let run = first;
    let pollAfterMs = firstPollAfterMs;
    let backoff = 0;
    while (!(TERMINAL.has(run.status) || run.status === 'requires_action')) {
      backoff = backoff === 0 ? (pollAfterMs ?? POLL_INITIAL_MS) : Math.min(backoff * POLL_BACKOFF, Math.max(POLL_MAX_MS, pollAfterMs ?? 0));
      await this.sleep(Math.max(backoff, pollAfterMs ?? 0), this.signal);
      const { data, headers } = await this.client.retrieveRun(threadId, run.id, this.signal);
      run = data;
      pollAfterMs = pollAfterOf(headers);
      this.runOpen = !TERMINAL.has(run.status);
      if (run.status === 'in_progress') {
        const steps = await this.client.runSteps(threadId, run.id, this.signal).catch((error: unknown) => {
          if (this.signal.aborted) throw error;
          return [];
        });
        yield* this.toolSteps(steps);
      }
    }
    return run;
  }

  // ---- the end of a run ----

  private *flushAnnotations(): Generator<ChatEvent> {
    if (this.book.size) yield { type: 'annotations', annotations: [...this.book.list] };
  }

  private async *settle(run: WireRun, polled: boolean): AsyncGenerator<ChatEvent> {
    this.runOpen = !TERMINAL.has(run.status);
    yield* this.setStatus(null);
    if (run.status === 'requires_action') {
      await this.cancelRun();
      throw new TurnError(requiresActionError(run));
    }
    // Polled, or a server that streamed no message events: read what the run wrote.
    if (polled || this.shown.size === 0) {
      const messages = await this.client.runMessages(this.threadId as string, run.id, this.signal);
      for (const message of messages) yield* this.messageFinal(message);
    }
    const usage = usageOf(run);
    if (usage) yield { type: 'usage', usage };
    const failure = terminalError(run, providerSecrets(this.provider));
    if (failure) throw new TurnError(failure);
    if (this.shownText.trim() === '') throw new TurnError(noResponseError());
    yield* this.flushAnnotations();
    yield { type: 'done', finishReason: 'stop' };
  }

  /** Cancels the run on the server (bounded, best effort: the run may have just finished). */
  private async cancelRun(): Promise<void> {
    if (!this.runId || !this.threadId || !this.runOpen) return;
    this.runOpen = false;
    const signal = AbortSignal.timeout(CANCEL_TIMEOUT_MS);
    try {
      await this.client.cancelRun(this.threadId, this.runId, signal);
    } catch (error) {
      this.deps.log.warn('assistant', `could not cancel run ${this.runId}`, error instanceof HttpStatusError ? error.message : error);
    }
  }
}

/** A failure decided by the turn itself (run status), already an AppError. */
class TurnError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'TurnError';
  }
}

function streamError(message: string, provider: ResolvedProvider): AppError {
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

// ---------------------------------------------------------------------------------------------------------
// Deleting a conversation's thread

/**
 * The chat service's `deleteRemoteThread` hook: deletes the thread on the server of the provider that
 * created it (which may no longer be the conversation's provider). The provider is resolved exactly as for
 * a chat turn (`ProviderService.resolve`), so the key and secret header values kept in the keychain (or
 * for this session only) reach this request too.
 */
export function remoteThreadDeleter(adapter: OpenAIAssistantAdapter, resolveProvider: (providerId: string) => Promise<ResolvedProvider>) {
  const ownerGone = () =>
    new AppFailure({
      code: 'NO_PROVIDER',
      message: 'The provider that created this conversation’s thread no longer exists, so the thread cannot be deleted on the server.',
      params: { reason: 'removed' },
    });
  return async (conversation: Pick<Conversation, 'threadId' | 'threadProviderId' | 'providerId'>): Promise<void> => {
    if (!conversation.threadId) return;
    const ownerId = conversation.threadProviderId ?? conversation.providerId;
    if (!ownerId) throw ownerGone();
    let provider: ResolvedProvider;
    try {
      provider = await resolveProvider(ownerId);
    } catch (error) {
      if (error instanceof AppFailure && error.appError.code === 'NO_PROVIDER') throw ownerGone();
      throw error;
    }
    if (provider.config.type !== 'openai-assistant') throw ownerGone();
    await adapter.deleteThread(provider, conversation.threadId);
  };
}
