/**
 * The `openai-responses` provider: the Responses API (`POST /responses`, streamed), the successor of the
 * Assistants API, served by OpenAI, vLLM, LiteLLM, Azure OpenAI v1 and OpenRouter. Two ways to keep a
 * conversation, chosen per provider:
 * - `server` (default): one Conversations API object per Switchboard conversation, created on the first
 *   message and saved with it (`threadId`/`threadProviderId`); each turn sends only the new message. The
 *   reply runs as a background response: Stop cancels it on the server (a closed connection alone does not
 *   stop a stored response), and a stream that drops is resumed after the last event seen.
 * - `stateless`: the whole history every turn with `store: false`; nothing is kept on the server.
 * `instructions` (the provider's system prompt, kept in the app) goes with every request: the API does not
 * carry it over from earlier turns.
 *
 * Regenerate, Retry and edit-and-resend repeat (or replace) the last user message: the server conversation
 * first drops that turn's items, so the model never sees the question twice next to a discarded answer.
 * A conversation object that is gone on the server (deleted elsewhere, or an Assistants thread id left
 * from before the provider was switched to Responses) is replaced by a new one seeded with the history.
 *
 * Requests go through the openai SDK (createOpenAIClient: no environment leaks, no Authorization without a
 * key) with the injected fetch; streamed-reply.ts adds the idle timeout, 429 waits and stream failures the
 * Chat Completions adapter uses. Every failure becomes an `error` event with an AppError; a 404 is probed
 * to tell a wrong base URL from a server without the Responses (or Conversations) API.
 */
import type OpenAI from 'openai';
import { APIError } from 'openai';
import type { ChatEvent } from '../../../shared/models/chat-event';
import type { Conversation, TokenUsage } from '../../../shared/models/conversation';
import type { ProviderConfig } from '../../../shared/models/provider';
import { DEFAULT_CONVERSATION_STATE } from '../../../shared/models/provider';
import { AppFailure, type AppError } from '../../../shared/result';
import type { Logger } from '../logger';
import { hostOf, mapProviderError, notOpenAIApi, parseServerError, type ErrorContext } from './error-mapper';
import { createOpenAIClient } from './openai-client';
import type { ChatRequest, HistoryMessage, HttpDeps, ProviderAdapter, ResolvedProvider } from './provider-adapter';
import {
  contentFilteredError,
  cutOffError,
  droppedError,
  IdleWatch,
  idleTimeoutError,
  readUnstreamedJson,
  streamFailure,
  waitOutRetry,
  watchedFetch,
  type RateLimitOptions,
  type WireWatch,
} from './streamed-reply';
import { turnKind } from './turn-alignment';
import { serverDetail } from './secret-scrub';

type ResponseObject = OpenAI.Responses.Response;
type StreamEvent = OpenAI.Responses.ResponseStreamEvent;
type EventStream = AsyncIterable<StreamEvent> & { controller: AbortController };
type CreateBody = OpenAI.Responses.ResponseCreateParamsStreaming;

/** Bound on the cancel request sent when we stop listening (Stop must not hang on a slow server). */
const CANCEL_TIMEOUT_MS = 5000;
/** A dropped background stream is resumed at most this many times per reply. */
const MAX_RESUMES = 2;
/** Items read from the end of a server conversation to line it up with ours (Regenerate, edit). */
const ALIGN_WINDOW = 100;
/** The Conversations API takes at most 20 items per request. */
const ITEMS_PER_REQUEST = 20;

export interface ResponsesAdapterDeps extends HttpDeps, RateLimitOptions {
  log: Logger;
}

// ---------------------------------------------------------------------------------------------------------
// Errors of this provider

function statusOf(error: unknown): number | null {
  return error instanceof APIError && typeof error.status === 'number' ? error.status : null;
}

function serverMessage(error: unknown): string {
  if (!(error instanceof APIError)) return '';
  return parseServerError({ error: error.error }).message ?? error.message;
}

/** The server has no Responses API (or, with `conversations`, no Conversations API) at all. */
export function responsesApiUnavailable(baseUrl: string, status: number, api: 'responses' | 'conversations' = 'responses'): AppError {
  const host = hostOf(baseUrl);
  if (api === 'conversations') {
    return {
      code: 'RESPONSES_API_UNAVAILABLE',
      message: `${host} serves the Responses API but not the Conversations API (HTTP ${status}), so it cannot keep the conversation.`,
      hint: 'In Settings, set this provider\'s conversation state to “Send the history”.',
      retryable: false,
      params: { host, status, context: 'conversations' },
    };
  }
  return {
    code: 'RESPONSES_API_UNAVAILABLE',
    message: `${host} does not serve the Responses API (HTTP ${status}).`,
    hint: 'Use an OpenAI Compatible provider (Chat Completions) for this server, or a server that serves /responses (OpenAI, vLLM, LiteLLM, Azure OpenAI v1 and OpenRouter do).',
    retryable: false,
    params: { host, status },
  };
}

function responseFailed(response: ResponseObject, ctx: ErrorContext): AppError {
  const errorCode = response.error?.code ?? '';
  const detail = serverDetail(response.error?.message ?? '', ctx.secrets);
  const lastError = [errorCode, detail].filter(Boolean).join(': ');
  return {
    code: 'RESPONSE_FAILED',
    message: lastError ? `The response failed. ${lastError}` : 'The response failed.',
    hint: "Try again. If it keeps failing, the server's message above says why.",
    retryable: true,
    params: { errorCode, detail, lastError },
  };
}

function responseCancelled(): AppError {
  return {
    code: 'RESPONSE_CANCELLED',
    message: 'The response was cancelled on the server before it was complete.',
    hint: 'Something other than Switchboard cancelled it. What arrived is kept; try again.',
    retryable: true,
  };
}

function incompleteError(reason: string, ctx: ErrorContext): AppError {
  if (reason === 'max_output_tokens') return cutOffError(ctx);
  if (reason === 'content_filter') return contentFilteredError(ctx);
  return {
    code: 'RESPONSE_INCOMPLETE',
    message: `The response ended incomplete (${reason}); the reply above is what arrived.`,
    hint: 'Try again, or ask for a shorter answer.',
    retryable: true,
    params: { reason },
  };
}

/** `finish_reason`-style name for how a response ended, saved with the message. */
function finishReasonOf(response: ResponseObject): string {
  if (response.status !== 'incomplete') return 'stop';
  const reason = response.incomplete_details?.reason ?? 'incomplete';
  return reason === 'max_output_tokens' ? 'length' : reason;
}

function usageOf(response: ResponseObject): TokenUsage | null {
  const u = response.usage;
  if (!u || typeof u.total_tokens !== 'number') return null;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  return {
    promptTokens: u.input_tokens ?? 0,
    completionTokens: u.output_tokens ?? 0,
    totalTokens: u.total_tokens,
    ...(typeof reasoning === 'number' && reasoning > 0 ? { reasoningTokens: reasoning } : {}),
  };
}

/** The reply text of a finished response (for servers that send it only at the end, or not streamed). */
function outputText(response: ResponseObject): string {
  return (response.output ?? [])
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : ''))
    .join('');
}

function outputReasoning(response: ResponseObject): string {
  return (response.output ?? [])
    .flatMap((item) => (item.type === 'reasoning' ? [...item.summary.map((s) => s.text), ...(item.content ?? []).map((c) => c.text)] : []))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

/** A failure of a Conversations API request (create, items), told apart when a 404 is probed. */
class ConversationStepError extends Error {
  constructor(readonly failure: unknown) {
    super('A Conversations API request failed');
    this.name = 'ConversationStepError';
  }
}

function errorContext(provider: ResolvedProvider, model: string, deps: ResponsesAdapterDeps): ErrorContext {
  return {
    baseUrl: provider.config.baseUrl,
    model,
    operation: 'chat',
    timeoutMs: deps.connectTimeoutMs,
    secrets: [provider.apiKey ?? '', ...provider.config.customHeaders.map((h) => h.value)].filter((s) => s.length >= 4),
    ...(deps.now ? { now: deps.now } : {}),
  };
}

function clientFor(provider: ResolvedProvider, fetch: typeof globalThis.fetch, timeoutMs: number): OpenAI {
  const { config } = provider;
  return createOpenAIClient({ type: config.type, baseUrl: config.baseUrl, apiKey: provider.apiKey, customHeaders: config.customHeaders }, { fetch, timeoutMs });
}

// ---------------------------------------------------------------------------------------------------------
// Probes: what a 404 means

function isMissingRoute(status: number | null): boolean {
  return status === 404 || status === 405 || status === 410 || status === 501;
}

/** Whether the route `probe` asks exists: any answer but "no such route" says yes; null when none came. */
async function routeServed(probe: () => Promise<unknown>): Promise<boolean | null> {
  try {
    await probe();
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === null) return null;
    return !isMissingRoute(status);
  }
}

/** Is `/responses` routed here at all? An empty request costs nothing: a server with the API answers 400. */
export function responsesServed(client: OpenAI, signal?: AbortSignal): Promise<boolean | null> {
  return routeServed(() => client.post('/responses', { body: {}, ...(signal ? { signal } : {}) }));
}

/** Does `/models` answer? Tells "no Responses API here" from "this base URL is wrong". */
function modelsServed(client: OpenAI, signal?: AbortSignal): Promise<boolean | null> {
  return routeServed(() => client.models.list(signal ? { signal } : {}));
}

/**
 * Maps a failure to an AppError; a "no such path" answer is probed: when `/models` answers, the server is
 * fine but has no Responses API (or, for a Conversations request, no Conversations API).
 */
export async function responsesFailure(
  error: unknown,
  client: OpenAI,
  ctx: ErrorContext,
  api: 'responses' | 'conversations',
  signal?: AbortSignal,
): Promise<AppError> {
  const mapped = mapProviderError(error, ctx);
  if (mapped.code !== 'NOT_FOUND_PATH') return mapped;
  const status = typeof mapped.params?.status === 'number' ? mapped.params.status : 404;
  const baseUrl = ctx.baseUrl ?? '';
  if (api === 'conversations' && (await responsesServed(client, signal)) === true) return responsesApiUnavailable(baseUrl, status, 'conversations');
  if ((await modelsServed(client, signal)) === true) return responsesApiUnavailable(baseUrl, status);
  return mapped;
}

// ---------------------------------------------------------------------------------------------------------
// The adapter

export class OpenAIResponsesAdapter implements ProviderAdapter {
  constructor(private readonly deps: ResponsesAdapterDeps) {}

  streamChat(request: ChatRequest): AsyncIterable<ChatEvent> {
    return new ResponsesTurn(request, this.deps).events();
  }

  /** Deletes a conversation object on the server (conversations:delete with deleteRemoteThread). */
  async deleteConversation(provider: ResolvedProvider, conversationId: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const client = clientFor(provider, this.deps.fetch, this.deps.connectTimeoutMs);
    try {
      await client.conversations.delete(conversationId, { signal });
    } catch (error) {
      // Already gone is what the user asked for.
      if (statusOf(error) === 404 && /conversation/i.test(serverMessage(error)) && !/invalid url/i.test(serverMessage(error))) return;
      throw new AppFailure(await responsesFailure(error, client, errorContext(provider, provider.config.model, this.deps), 'conversations', signal));
    }
  }
}

/** How reading one stream ended. */
type StreamEnd =
  | { kind: 'terminal' }
  | { kind: 'aborted' }
  /** Broke off before a terminal event: `failure` when the server said why (or was silent too long). */
  | { kind: 'broken'; failure: AppError | null };

/** One reply: (server conversation) → response stream → events. */
class ResponsesTurn {
  private readonly provider: ResolvedProvider;
  private readonly watch: WireWatch = { onActivity: null };
  private readonly client: OpenAI;
  private readonly ctx: ErrorContext;
  private responseId: string | null = null;
  private background = false;
  /** True while a background response we created may still be working on the server. */
  private open = false;
  /** The last `sequence_number` seen, to resume a dropped background stream after it. */
  private lastSequence = -1;
  private shownText = false;
  private reasoningPart: string | null = null;

  constructor(
    private readonly request: ChatRequest,
    private readonly deps: ResponsesAdapterDeps,
  ) {
    this.provider = request.provider;
    this.client = clientFor(request.provider, watchedFetch(deps.fetch, this.watch), deps.connectTimeoutMs);
    this.ctx = errorContext(request.provider, request.model, deps);
  }

  private get signal(): AbortSignal {
    return this.request.signal;
  }

  private get config(): ProviderConfig {
    return this.provider.config;
  }

  async *events(): AsyncGenerator<ChatEvent> {
    if (this.signal.aborted) return;
    try {
      const body = await this.requestBody();
      yield* this.respond(body);
    } catch (error) {
      if (this.signal.aborted) return;
      const conversations = error instanceof ConversationStepError;
      const cause = conversations ? error.failure : error;
      const appError = await responsesFailure(cause, this.client, this.ctx, conversations ? 'conversations' : 'responses', this.signal);
      if (appError.code !== 'CANCELLED') yield { type: 'error', error: appError };
    } finally {
      // Stop, a consumer that stopped iterating, or an error while the response was going: a background
      // response would otherwise run to the end on the server (and into the conversation).
      if (this.open) await this.cancel();
    }
  }

  // ---- the request ----

  private async requestBody(): Promise<CreateBody> {
    const instructions = this.config.instructions?.trim();
    const base = { model: this.request.model, stream: true as const, ...(instructions ? { instructions } : {}) };
    if ((this.config.conversationState ?? DEFAULT_CONVERSATION_STATE) === 'stateless') {
      return { ...base, store: false, input: this.request.history.map(inputMessage) };
    }
    const conversation = await this.prepareConversation();
    const last = this.request.history.at(-1);
    return {
      ...base,
      store: true,
      conversation,
      input: [inputMessage({ role: 'user', content: last?.role === 'user' ? last.content : '' })],
      ...(this.provider.quirks.noBackground ? {} : { background: true }),
    };
  }

  // ---- the server conversation ----

  private async prepareConversation(): Promise<string> {
    const { conversation, history } = this.request;
    const saved = conversation.threadId && conversation.threadProviderId === this.config.id ? conversation.threadId : null;
    if (saved) {
      try {
        await this.alignConversation(saved, history);
        return saved;
      } catch (error) {
        if (this.signal.aborted || !isGone(error)) throw new ConversationStepError(error);
        this.deps.log.warn('responses', `the server conversation of ${conversation.id} is gone; starting a new one`);
      }
    }
    const earlier = history.slice(0, -1).filter((m) => m.content.trim() !== '');
    try {
      const created = await this.client.conversations.create(
        earlier.length ? { items: earlier.slice(0, ITEMS_PER_REQUEST).map(inputMessage) } : {},
        { signal: this.signal },
      );
      // A proxy's web page (or other non-API answer) parses as text, not as a conversation object.
      if (typeof created !== 'object' || created === null || typeof created.id !== 'string') throw new AppFailure(notOpenAIApi(null, '', this.ctx));
      await this.request.saveThreadId?.(created.id);
      for (let i = ITEMS_PER_REQUEST; i < earlier.length; i += ITEMS_PER_REQUEST) {
        await this.client.conversations.items.create(created.id, { items: earlier.slice(i, i + ITEMS_PER_REQUEST).map(inputMessage) }, { signal: this.signal });
      }
      return created.id;
    } catch (error) {
      throw new ConversationStepError(error);
    }
  }

  /**
   * Regenerate, Retry and edit-and-resend send a user message the server conversation already has (or an
   * edited version of it): that turn's items (the question, the discarded answer, its reasoning) are
   * deleted first, and the message goes again as the new input. Decided by comparing the user messages
   * of the server conversation with ours.
   */
  private async alignConversation(conversationId: string, history: readonly HistoryMessage[]): Promise<void> {
    const page = await this.client.conversations.items.list(conversationId, { order: 'desc', limit: ALIGN_WINDOW }, { signal: this.signal });
    const newestFirst = page.data;
    const isUser = (item: OpenAI.Conversations.ConversationItem) => item.type === 'message' && item.role === 'user';
    const lastUser = newestFirst.findIndex(isUser);
    if (lastUser < 0) return;
    const serverUsers = newestFirst
      .filter(isUser)
      .map((item) => (item.type === 'message' ? messageText(item) : ''))
      .reverse();
    const local = history.filter((m) => m.role === 'user').map((m) => m.content);
    if (turnKind(serverUsers, local, !page.has_more) === 'new') return;
    for (const item of newestFirst.slice(0, lastUser + 1)) {
      if (!item.id) continue;
      await this.client.conversations.items.delete(item.id, { conversation_id: conversationId }, { signal: this.signal });
    }
  }

  // ---- the response ----

  private async *respond(first: CreateBody): AsyncGenerator<ChatEvent> {
    let body = first;
    let rateLimitRetries = 0;
    for (;;) {
      if (this.signal.aborted) return;
      const idle = new AbortController();
      let opened: { data: EventStream; response: Response };
      try {
        opened = (await this.client.responses
          .create(body, { signal: AbortSignal.any([this.signal, idle.signal]) })
          .withResponse()) as unknown as { data: EventStream; response: Response };
      } catch (error) {
        if (this.signal.aborted) return;
        // A server without background mode says so with a 400: the reply runs as a normal response, and
        // the provider remembers it (Stop then closes the stream instead of cancelling).
        if (body.background && statusOf(error) === 400 && /background/i.test(serverMessage(error))) {
          const { background: _background, ...rest } = body;
          body = rest;
          this.request.rememberQuirk?.({ noBackground: true });
          this.deps.log.info('responses', 'the server refused background mode; replies run as normal responses');
          continue;
        }
        if (await this.endStaleResponse(error)) continue;
        const appError = await responsesFailure(error, this.client, this.ctx, 'responses', this.signal);
        if (appError.code === 'CANCELLED') return;
        if (yield* waitOutRetry(error, appError, rateLimitRetries, this.deps, this.signal)) {
          rateLimitRetries += 1;
          continue;
        }
        yield { type: 'error', error: appError };
        return;
      }
      yield* this.follow(opened.data, opened.response, idle);
      return;
    }
  }

  /**
   * A background response left running on the conversation (the app quit mid-reply) blocks new turns
   * until it ends; it is cancelled and the request made again. True when that was the problem.
   */
  private async endStaleResponse(error: unknown): Promise<boolean> {
    if (statusOf(error) !== 400) return false;
    const message = serverMessage(error);
    const stale = /\b(resp_[A-Za-z0-9_-]+)\b/.exec(message)?.[1];
    if (!stale || !/in progress|locked|active/i.test(message)) return false;
    this.deps.log.info('responses', `cancelling response ${stale} left running on the conversation`);
    try {
      await this.client.responses.cancel(stale, { signal: AbortSignal.any([this.signal, AbortSignal.timeout(CANCEL_TIMEOUT_MS)]) });
      return true;
    } catch {
      return false;
    }
  }

  /** Reads the stream; a background response whose stream dropped is followed again from where it broke. */
  private async *follow(stream: EventStream, response: Response, idle: AbortController): AsyncGenerator<ChatEvent> {
    const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
    if (contentType.includes('text/html')) {
      stream.controller.abort();
      yield { type: 'error', error: notOpenAIApi(contentType, '', this.ctx) };
      return;
    }
    if (contentType.includes('application/json')) {
      yield* this.notStreamed(response, contentType);
      stream.controller.abort();
      return;
    }
    let current = stream;
    let currentIdle = idle;
    for (let resumes = 0; ; resumes++) {
      const end = yield* this.consume(current, currentIdle);
      if (end.kind !== 'broken') return;
      if (end.failure) {
        yield { type: 'error', error: end.failure };
        return;
      }
      if (!(this.background && this.open && this.responseId) || resumes >= MAX_RESUMES) {
        yield { type: 'error', error: droppedError(this.ctx) };
        return;
      }
      this.deps.log.info('responses', `the stream of ${this.responseId} dropped; resuming after event ${this.lastSequence}`);
      currentIdle = new AbortController();
      try {
        current = (await this.client.responses.retrieve(
          this.responseId,
          { stream: true, starting_after: this.lastSequence },
          { signal: AbortSignal.any([this.signal, currentIdle.signal]) },
        )) as unknown as EventStream;
      } catch (error) {
        if (this.signal.aborted) return;
        this.deps.log.warn('responses', 'could not resume the stream', statusOf(error) ?? error);
        yield { type: 'error', error: droppedError(this.ctx) };
        return;
      }
    }
  }

  private async *consume(stream: EventStream, idle: AbortController): AsyncGenerator<ChatEvent, StreamEnd> {
    const idleWatch = new IdleWatch(this.watch, idle, this.deps.idleTimeoutMs);
    try {
      for await (const event of stream) {
        if (this.signal.aborted) return { kind: 'aborted' };
        if (typeof event.sequence_number === 'number') this.lastSequence = event.sequence_number;
        switch (event.type) {
          case 'response.created':
          case 'response.queued':
          case 'response.in_progress':
            this.noteResponse(event.response);
            break;
          case 'response.output_text.delta':
          case 'response.refusal.delta':
            if (event.delta) {
              this.shownText = true;
              yield { type: 'delta', text: event.delta };
            }
            break;
          case 'response.reasoning_summary_text.delta':
            yield* this.reasoning(`${event.item_id}:summary:${event.summary_index}`, event.delta);
            break;
          case 'response.reasoning_text.delta':
            yield* this.reasoning(`${event.item_id}:text:${event.content_index}`, event.delta);
            break;
          case 'response.completed':
          case 'response.incomplete':
          case 'response.failed':
            this.open = false;
            yield* this.finish(event.response);
            return { kind: 'terminal' };
          default:
            break;
        }
      }
    } catch (error) {
      if (this.signal.aborted) return { kind: 'aborted' };
      if (idleWatch.fired) return { kind: 'broken', failure: idleTimeoutError(this.ctx, this.deps.idleTimeoutMs) };
      const failure = streamFailure(error, this.ctx);
      if (failure.code === 'CONNECTION_DROPPED') return { kind: 'broken', failure: null };
      // An `error` event (or a malformed one) ends the response: nothing more will come for it.
      if (failure.code === 'STREAM_ERROR') this.open = false;
      return { kind: 'broken', failure };
    } finally {
      idleWatch.stop();
      // Leaving early (an error, or the consumer stopped) must also close the HTTP request.
      stream.controller.abort();
    }
    if (this.signal.aborted) return { kind: 'aborted' };
    if (idleWatch.fired) return { kind: 'broken', failure: idleTimeoutError(this.ctx, this.deps.idleTimeoutMs) };
    // The body ended cleanly without a terminal event: cut by the server or a proxy (or cancelled there).
    return { kind: 'broken', failure: null };
  }

  private noteResponse(response: ResponseObject): void {
    this.responseId = response.id;
    this.background = response.background === true;
    this.open = this.background && (response.status === 'queued' || response.status === 'in_progress');
  }

  /** Reasoning summaries (or raw reasoning text) shown apart from the answer; parts separated by a blank line. */
  private *reasoning(part: string, text: string): Generator<ChatEvent> {
    if (!text) return;
    const separator = this.reasoningPart !== null && this.reasoningPart !== part ? '\n\n' : '';
    this.reasoningPart = part;
    yield { type: 'reasoning', text: separator + text };
  }

  private *finish(response: ResponseObject): Generator<ChatEvent> {
    // Servers that send the text only with the final event (no deltas) still show it.
    if (!this.shownText) {
      const text = outputText(response);
      if (text) {
        this.shownText = true;
        yield { type: 'delta', text };
      }
    }
    const usage = usageOf(response);
    if (usage) yield { type: 'usage', usage };
    switch (response.status) {
      case 'failed':
        yield { type: 'error', error: responseFailed(response, this.ctx) };
        return;
      case 'cancelled':
        yield { type: 'error', error: responseCancelled() };
        return;
      case 'incomplete':
        yield { type: 'done', finishReason: finishReasonOf(response) };
        yield { type: 'error', error: incompleteError(response.incomplete_details?.reason ?? 'unknown', this.ctx) };
        return;
      default:
        yield { type: 'done', finishReason: 'stop' };
    }
  }

  /** A server that ignored `stream: true` and answered the finished response as JSON: still a reply. */
  private async *notStreamed(response: Response, contentType: string): AsyncGenerator<ChatEvent> {
    const read = await readUnstreamedJson(response, contentType, this.ctx);
    if ('error' in read) {
      yield { type: 'error', error: read.error };
      return;
    }
    const { body, text } = read;
    const object = body as ResponseObject | null;
    if (!object || typeof object !== 'object' || object.object !== 'response' || !Array.isArray(object.output)) {
      yield { type: 'error', error: notOpenAIApi(contentType, text, this.ctx) };
      return;
    }
    this.noteResponse(object);
    const reasoning = outputReasoning(object);
    if (reasoning) yield { type: 'reasoning', text: reasoning };
    yield* this.finish(object);
  }

  /** Cancels our background response on the server (bounded, best effort: it may have just finished). */
  private async cancel(): Promise<void> {
    if (!this.responseId || !this.open) return;
    this.open = false;
    try {
      await this.client.responses.cancel(this.responseId, { signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) });
    } catch (error) {
      this.deps.log.warn('responses', `could not cancel response ${this.responseId}`, statusOf(error) ?? error);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function inputMessage(message: HistoryMessage): OpenAI.Responses.EasyInputMessage {
  return { role: message.role, content: message.content };
}

function messageText(item: OpenAI.Conversations.Message): string {
  return item.content
    .map((part) => (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text' ? part.text : ''))
    .join('');
}

/** The conversation object is gone on the server (404 naming it, or an id it does not accept). */
function isGone(error: unknown): boolean {
  const status = statusOf(error);
  const message = serverMessage(error);
  if (/invalid url/i.test(message)) return false;
  return (status === 404 || status === 400) && /conversation/i.test(message) && /not found|invalid|does not exist|expected an id/i.test(message);
}

// ---------------------------------------------------------------------------------------------------------
// Deleting a conversation's server object

export interface ConversationOwnerLookup {
  getProvider(id: string): ProviderConfig | undefined;
  /** The provider as a chat turn gets it (key and secret header values from the keychain). */
  resolveProvider(id: string): Promise<ResolvedProvider>;
}

/**
 * The chat service's `deleteRemoteThread` hook for every provider type: a conversation whose remote state
 * belongs to an OpenAI Responses provider has its conversation object deleted here; any other (an
 * Assistants thread) goes to `otherwise`.
 */
export function remoteConversationDeleter(
  adapter: OpenAIResponsesAdapter,
  lookup: ConversationOwnerLookup,
  otherwise: (conversation: Conversation) => Promise<void>,
) {
  return async (conversation: Conversation): Promise<void> => {
    if (!conversation.threadId) return;
    const ownerId = conversation.threadProviderId ?? conversation.providerId;
    const config = ownerId ? lookup.getProvider(ownerId) : undefined;
    if (!config || config.type !== 'openai-responses') return otherwise(conversation);
    await adapter.deleteConversation(await lookup.resolveProvider(config.id), conversation.threadId);
  };
}
