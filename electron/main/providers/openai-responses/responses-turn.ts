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
 * key) with the injected fetch; wire/ adds the idle timeout and 429 waits and errors/ the stream failures,
 * as for the Chat Completions adapter. Every failure becomes an `error` event with an AppError; a 404 is probed
 * to tell a wrong base URL from a server without the Responses (or Conversations) API.
 */
import type OpenAI from 'openai';
import type { ChatEvent } from '../../../../shared/models/chat-event';
import type { ProviderConfig } from '../../../../shared/models/provider';
import { DEFAULT_CONVERSATION_STATE } from '../../../../shared/models/provider';
import type { AppError } from '../../../../shared/result';
import { notOpenAIApi, type ErrorContext } from '../errors/request-failure';
import { droppedError, idleTimeoutError, readUnstreamedJson, streamFailure } from '../errors/reply-failure';
import { parameterRejectedError, rejectedParameter } from '../errors/rejected-parameter';
import { attachmentRefusal } from '../errors/images-rejected';
import { hostOf } from '../errors/error-context';
import { hasImages, IMAGES_PARAMETER } from '../attachment-parts';
import { omittedFor, responsesParameters } from '../generation-parameters';
import type { ChatRequest, ResolvedProvider } from '../provider-kind';
import { waitOutRetry } from '../wire/rate-limit';
import { IdleWatch, watchedFetch, type WireWatch } from '../wire/watched-fetch';
import { withSseLineCap } from '../wire/sse-line-cap';
import { clientFor, errorContext, type ResponsesAdapterDeps } from './responses-client';
import { ConversationStepError, incompleteError, responseCancelled, responseFailed, serverMessage, statusOf } from './responses-errors';
import { finishReasonOf, outputReasoning, outputText, usageOf } from './response-output';
import { responsesFailure } from './route-probes';
import { inputMessage, prepareConversation } from './server-conversation';
import { toolsRejected, toolsRejectedError } from '../errors/tools-rejected';
import { continuation, functionCallsOf, historyInput, responsesTools } from './function-tools';

type ResponseObject = OpenAI.Responses.Response;
type StreamEvent = OpenAI.Responses.ResponseStreamEvent;
type EventStream = AsyncIterable<StreamEvent> & { controller: AbortController };
type CreateBody = OpenAI.Responses.ResponseCreateParamsStreaming;

/** Bound on the cancel request sent when we stop listening (Stop must not hang on a slow server). */
const CANCEL_TIMEOUT_MS = 5000;
/** A dropped background stream is resumed at most this many times per reply. */
const MAX_RESUMES = 2;

/** How reading one stream ended. */
type StreamEnd =
  | { kind: 'terminal' }
  | { kind: 'aborted' }
  /** Broke off before a terminal event: `failure` when the server said why (or was silent too long). */
  | { kind: 'broken'; failure: AppError | null };

/** One reply: (server conversation) → response stream → events. */
export class ResponsesTurn {
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
    // The SDK decodes this stream: the line cap bounds what it can be made to hold (wire/sse-line-cap.ts).
    this.client = clientFor(request.provider, withSseLineCap(watchedFetch(deps.fetch, this.watch)), deps.connectTimeoutMs);
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
      // The server conversation refused, while being created or seeded, the images of the history: one sentence.
      const attachments = conversations ? this.attachmentRefusal(cause) : null;
      if (attachments) {
        yield { type: 'error', error: attachments };
        return;
      }
      const appError = await responsesFailure(cause, this.client, this.ctx, conversations ? 'conversations' : 'responses', this.signal);
      if (appError.code !== 'CANCELLED') yield { type: 'error', error: appError };
    } finally {
      // Stop, a consumer that stopped iterating, or an error while the response was going: a background
      // response would otherwise run to the end on the server (and into the conversation).
      if (this.open) await this.cancel();
    }
  }

  /** A refusal of the images sent (this model does not take them), or of a request too large; null for any other failure. */
  private attachmentRefusal(error: unknown): AppError | null {
    const sentImages = hasImages(this.request.history) && !omittedFor(this.provider.quirks, this.request.model).has(IMAGES_PARAMETER);
    return attachmentRefusal(error, sentImages, this.request.model, hostOf(this.config.baseUrl));
  }

  private parameters(): Record<string, unknown> {
    return responsesParameters(this.request.settings, this.config.instructions, omittedFor(this.provider.quirks, this.request.model));
  }

  /** The conversation offers tools and the user has not chosen to send without them for this model. */
  private get offersTools(): boolean {
    return (this.request.tools?.length ?? 0) > 0 && !omittedFor(this.provider.quirks, this.request.model).has('tools');
  }

  private async requestBody(): Promise<CreateBody> {
    const base = {
      ...this.parameters(),
      model: this.request.model,
      stream: true as const,
      ...(this.offersTools ? { tools: responsesTools(this.request.tools ?? []) } : {}),
    };
    if ((this.config.conversationState ?? DEFAULT_CONVERSATION_STATE) === 'stateless') {
      return { ...base, store: false, input: historyInput(this.request.history, inputMessage(this.request)) };
    }
    // The tool outputs of the reply being written: the server conversation already holds its calls.
    const { threadId, threadProviderId } = this.request.conversation;
    const outputs = continuation(this.request.history);
    if (outputs && threadId && threadProviderId === this.config.id) {
      return { ...base, store: true, conversation: threadId, input: outputs, ...(this.provider.quirks.noBackground ? {} : { background: true }) };
    }
    const conversation = await prepareConversation({ request: this.request, client: this.client, ctx: this.ctx, log: this.deps.log });
    const last = this.request.history.at(-1);
    return {
      ...base,
      store: true,
      conversation,
      input: [inputMessage(this.request)(last?.role === 'user' ? last : { role: 'user', content: '' })],
      ...(this.provider.quirks.noBackground ? {} : { background: true }),
    };
  }

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
        // A parameter of the conversation's settings the server refuses: the user decides (Send without it).
        const refused = rejectedParameter(error, new Set(Object.keys(this.parameters())));
        if (!refused && this.offersTools && toolsRejected(error)) {
          yield { type: 'error', error: toolsRejectedError(this.request.model) };
          return;
        }
        if (refused) {
          yield { type: 'error', error: parameterRejectedError(refused, this.request.model) };
          return;
        }
        // A model without vision, or a request too large for the server (attachments): one sentence each.
        const attachments = this.attachmentRefusal(error);
        if (attachments) {
          yield { type: 'error', error: attachments };
          return;
        }
        if (await this.endStaleResponse(error)) continue;
        const appError = await responsesFailure(error, this.client, this.ctx, 'responses', this.signal);
        if (appError.code === 'CANCELLED') return;
        const retryOptions = this.request.maxRateLimitRetries === undefined ? this.deps : { ...this.deps, maxRateLimitRetries: this.request.maxRateLimitRetries };
        if (yield* waitOutRetry(error, appError, rateLimitRetries, retryOptions, this.signal)) {
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
      default: {
        const calls = functionCallsOf(response);
        if (calls.length > 0) yield { type: 'tool-calls', calls };
        yield { type: 'done', finishReason: calls.length > 0 ? 'tool_calls' : 'stop' };
      }
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
