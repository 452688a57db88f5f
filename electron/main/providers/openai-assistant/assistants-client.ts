/** The Assistants API over HTTP: JSON requests plus one named-event SSE stream for a run. */
import type { HttpDeps, ResolvedProvider } from '../provider-kind';
import { providerRequestHeaders, type ProviderEndpoint } from '../wire/openai-client';
import type { WireMessage, WireRun, WireStep } from './api-objects';

/** First wait between polls when the server gives no `openai-poll-after-ms`. */
export const POLL_INITIAL_MS = 500;
/** Polls back off by this factor… */
export const POLL_BACKOFF = 1.5;
/** …up to this wait (unless the server asks for longer). */
export const POLL_MAX_MS = 5000;

/** An HTTP error answer from the server, already read. */
export class HttpStatusError extends Error {
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
export class NotApiError extends Error {
  constructor(
    readonly contentType: string | null,
    readonly bodyText: string,
  ) {
    super('The server did not answer with JSON');
    this.name = 'NotApiError';
  }
}

/** The stream went silent for longer than the idle timeout (not fatal: the run is polled instead). */
export class StreamIdleError extends Error {
  constructor() {
    super('The event stream went silent');
    this.name = 'StreamIdleError';
  }
}

export function timeoutReason(): Error {
  const error = new Error('The server did not answer in time');
  error.name = 'TimeoutError';
  return error;
}

export type CreateRunAnswer = { kind: 'stream'; body: ReadableStream<Uint8Array>; abort: () => void; touch: () => void } | { kind: 'run'; run: WireRun; pollAfterMs: number | null };

export function pollAfterOf(headers: Headers): number | null {
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
        // A FormData body (a file upload) sets its own multipart Content-Type with the boundary.
        headers: this.headers(body !== undefined && !(body instanceof FormData), accept),
        ...(body !== undefined ? { body: body instanceof FormData ? body : JSON.stringify(body) } : {}),
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

  /** Uploads a file (Files API, multipart) and answers its id; `purpose` is `vision` for an image in a message. */
  async uploadFile(bytes: Uint8Array, name: string, mime: string, purpose: string, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.set('purpose', purpose);
    form.set('file', new Blob([new Uint8Array(bytes)], { type: mime }), name);
    const { data } = await this.json<{ id?: unknown }>('POST', '/files', form, signal);
    if (typeof data.id !== 'string') throw new NotApiError('application/json', '');
    return data.id;
  }

  /** Creates a run, asking for a stream; a server that ignores `stream` answers the run as JSON. */
  async createRun(
    threadId: string,
    assistantId: string,
    parameters: Record<string, unknown>,
    stream: boolean,
    signal: AbortSignal,
  ): Promise<CreateRunAnswer> {
    const path = `/threads/${encodeURIComponent(threadId)}/runs`;
    const body = { ...parameters, assistant_id: assistantId, ...(stream ? { stream: true } : {}) };
    return this.startRun(path, body, stream, signal);
  }

  /** The outputs of a `requires_action` run's function calls; the run goes on (streamed, or to be polled). */
  submitToolOutputs(threadId: string, runId: string, outputs: { tool_call_id: string; output: string }[], stream: boolean, signal: AbortSignal): Promise<CreateRunAnswer> {
    const path = `/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}/submit_tool_outputs`;
    return this.startRun(path, { tool_outputs: outputs, ...(stream ? { stream: true } : {}) }, stream, signal);
  }

  /**
   * The assistant's own tools (code interpreter, file search, functions), kept when a run adds ours, and its
   * model ('' when the server does not say), which names it in a refusal.
   */
  async assistant(assistantId: string, signal: AbortSignal): Promise<{ tools: unknown[]; model: string }> {
    const { data } = await this.json<{ tools?: unknown[]; model?: unknown }>('GET', `/assistants/${encodeURIComponent(assistantId)}`, undefined, signal);
    return { tools: Array.isArray(data?.tools) ? data.tools : [], model: typeof data?.model === 'string' ? data.model : '' };
  }

  private async startRun(path: string, body: Record<string, unknown>, stream: boolean, signal: AbortSignal): Promise<CreateRunAnswer> {
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
export const MISSING_ENDPOINT: readonly number[] = [404, 405, 410, 501];
