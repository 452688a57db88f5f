/**
 * The chat adapter of `openai` and `openai-compatible` providers: Chat Completions, streamed, over the
 * openai SDK with the injected fetch.
 *
 * The SDK builds the request and reads error bodies; the SSE body is decoded here, one network read at a
 * time (wire/sse-decoder.ts: the SDK's per-event async iteration cost more CPU than the rest of the app's work
 * on a reply), with the SDK's rules: comments ignored, reading ends at `data: [DONE]`, `data: {"error"}`
 * and `event: error` raised as errors, malformed JSON raised as a SyntaxError. Two things the SDK cannot
 * tell us are added around it:
 * - activity on the wire: the response body passes through a counter, so SSE comments (`: keep-alive`)
 *   count as life and a stream that goes silent is cut after `idleTimeoutMs` (the SDK's own timeout stops
 *   at the response headers);
 * - the kind of body: a 200 that is a web page, or a JSON completion from a server that ignored
 *   `stream: true`, is recognised from its content type instead of being parsed as an empty stream.
 *
 * Everything that goes wrong becomes an `error` event carrying an AppError; what was already yielded
 * stays with the caller. Our own cancellation (Stop) ends the stream silently.
 */
import type OpenAI from 'openai';
import { APIError } from 'openai';
import type { ChatEvent } from '../../../../shared/models/chat-event';
import type { TokenUsage } from '../../../../shared/models/conversation';
import type { AppError } from '../../../../shared/result';
import { mapProviderError, notOpenAIApi, type ErrorContext } from '../errors/request-failure';
import { contentFilteredError, cutOffError, droppedError, idleTimeoutError, inStreamError, readUnstreamedJson, streamFailure } from '../errors/reply-failure';
import { parameterRejectedError, rejectedParameter } from '../errors/rejected-parameter';
import { toolsRejected, toolsRejectedError } from '../errors/tools-rejected';
import { ToolCallAssembly, chatHistoryMessages, chatTools } from './tool-call-assembly';
import { attachmentRefusal } from '../errors/images-rejected';
import { hasImages, IMAGES_PARAMETER } from '../attachment-parts';
import { hostOf } from '../errors/error-context';
import { chatCompletionsParameters, omittedFor } from '../generation-parameters';
import type { ChatAdapter, ChatRequest, HttpDeps } from '../provider-kind';
import { inBatches } from '../wire/batching';
import { createOpenAIClient } from '../wire/openai-client';
import { waitOutRetry, type RateLimitOptions } from '../wire/rate-limit';
import { decodeSseBatches, untilDone, type SseEvent } from '../wire/sse-decoder';
import { ThinkTagParser, type ThinkSegment } from '../wire/think-tag-parser';
import { IdleWatch, watchedFetch, type WireWatch } from '../wire/watched-fetch';

export interface OpenAIChatOptions extends HttpDeps, RateLimitOptions {}

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

type Opened = { kind: 'stream'; response: Response } | { kind: 'failed'; error: unknown };

function mapUsage(raw: unknown): TokenUsage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const details = u.completion_tokens_details as Record<string, unknown> | undefined;
  const reasoning = details && typeof details.reasoning_tokens === 'number' ? details.reasoning_tokens : undefined;
  const prompt = num(u.prompt_tokens);
  const completion = num(u.completion_tokens);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: typeof u.total_tokens === 'number' ? u.total_tokens : prompt + completion,
    ...(reasoning !== undefined ? { reasoningTokens: reasoning } : {}),
  };
}

/** `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, newer Ollama): neither is in the SDK types. */
function reasoningOf(delta: unknown): string {
  if (typeof delta !== 'object' || delta === null) return '';
  const d = delta as Record<string, unknown>;
  if (typeof d.reasoning_content === 'string' && d.reasoning_content) return d.reasoning_content;
  if (typeof d.reasoning === 'string' && d.reasoning) return d.reasoning;
  return '';
}

function segmentEvent(segment: ThinkSegment): ChatEvent {
  return segment.kind === 'content' ? { type: 'delta', text: segment.text } : { type: 'reasoning', text: segment.text };
}

export class OpenAIChatAdapter implements ChatAdapter {
  constructor(private readonly options: OpenAIChatOptions) {}

  async *streamChat(request: ChatRequest): AsyncGenerator<ChatEvent, void, undefined> {
    for await (const batch of this.streamChatBatches(request)) yield* batch;
  }

  async *streamChatBatches(request: ChatRequest): AsyncGenerator<ChatEvent[], void, undefined> {
    const { provider, signal } = request;
    const ctx: ErrorContext = {
      baseUrl: provider.config.baseUrl,
      model: request.model,
      operation: 'chat',
      timeoutMs: this.options.connectTimeoutMs,
      secrets: [provider.apiKey ?? '', ...provider.config.customHeaders.map((h) => h.value)].filter((s) => s.length >= 4),
      ...(this.options.now ? { now: this.options.now } : {}),
    };
    let streamOptions = !provider.quirks.noStreamOptions;
    let triedWithoutStreamOptions = false;
    let rateLimitRetries = 0;

    for (;;) {
      if (signal.aborted) return;
      const watch: WireWatch = { onActivity: null };
      const idle = new AbortController();
      // One signal for both ways our side ends a request (Stop, silence); see watchedFetch.
      const cancel = new AbortController();
      const cancelNow = () => cancel.abort();
      signal.addEventListener('abort', cancelNow, { once: true });
      idle.signal.addEventListener('abort', cancelNow, { once: true });
      const opened = await this.open(request, streamOptions, watch, cancel.signal);
      if (signal.aborted) return;

      if (opened.kind === 'failed') {
        const error = opened.error;
        const status = error instanceof APIError && typeof error.status === 'number' ? error.status : null;
        // A parameter of the conversation's settings the server refuses: the user decides (Send without it).
        const refused = rejectedParameter(error, new Set(Object.keys(this.parameters(request).fields)));
        // A server or model without tool support (Ollama: "<model> does not support tools"): the user decides.
        if (!refused && this.offersTools(request) && toolsRejected(error)) {
          yield [{ type: 'error', error: toolsRejectedError(request.model) }];
          return;
        }
        if (refused) {
          yield [{ type: 'error', error: parameterRejectedError(refused, request.model) }];
          return;
        }
        // A model without vision, or a request too large for the server (attachments): one sentence each.
        const attachments = attachmentRefusal(error, this.sendsImages(request), request.model, hostOf(request.provider.config.baseUrl));
        if (attachments) {
          yield [{ type: 'error', error: attachments }];
          return;
        }
        // Some servers (older vLLM, LiteLLM routes, gateways) reject `stream_options` with a 400. One retry
        // without it tells whether that was the reason; only a success is remembered for the provider.
        if (status === 400 && streamOptions && !triedWithoutStreamOptions) {
          streamOptions = false;
          triedWithoutStreamOptions = true;
          continue;
        }
        const appErr = mapProviderError(error, ctx);
        if (appErr.code === 'CANCELLED') return;
        const retryOptions = request.maxRateLimitRetries === undefined ? this.options : { ...this.options, maxRateLimitRetries: request.maxRateLimitRetries };
        const waiting = waitOutRetry(error, appErr, rateLimitRetries, retryOptions, signal);
        let step = await waiting.next();
        while (!step.done) {
          yield [step.value];
          step = await waiting.next();
        }
        if (step.value) {
          rateLimitRetries += 1;
          continue;
        }
        yield [{ type: 'error', error: appErr }];
        return;
      }

      if (triedWithoutStreamOptions && !streamOptions) request.rememberQuirk?.({ noStreamOptions: true });
      try {
        yield* this.consume(opened.response, request, ctx, watch, idle, cancel);
      } finally {
        signal.removeEventListener('abort', cancelNow);
      }
      return;
    }
  }

  private parameters(request: ChatRequest): ReturnType<typeof chatCompletionsParameters> {
    return chatCompletionsParameters(request.settings, request.model, omittedFor(request.provider.quirks, request.model));
  }

  /** The conversation offers tools and the user has not chosen to send without them for this model. */
  private offersTools(request: ChatRequest): boolean {
    return (request.tools?.length ?? 0) > 0 && !omittedFor(request.provider.quirks, request.model).has('tools');
  }

  private sendsImages(request: ChatRequest): boolean {
    return hasImages(request.history) && !omittedFor(request.provider.quirks, request.model).has(IMAGES_PARAMETER);
  }

  /** Sends the request; resolves when the response headers arrived (or the request failed). */
  private async open(request: ChatRequest, streamOptions: boolean, watch: WireWatch, cancel: AbortSignal): Promise<Opened> {
    const { provider } = request;
    const client = createOpenAIClient(
      { type: provider.config.type, baseUrl: provider.config.baseUrl, apiKey: provider.apiKey, customHeaders: provider.config.customHeaders },
      { fetch: watchedFetch(this.options.fetch, watch, cancel), timeoutMs: this.options.connectTimeoutMs },
    );
    const { fields, systemMessage } = this.parameters(request);
    const omitImages = omittedFor(request.provider.quirks, request.model).has(IMAGES_PARAMETER);
    const messages = chatHistoryMessages(request.history, omitImages);
    if (systemMessage) messages.unshift(systemMessage);
    try {
      // A status other than 2xx is still thrown by the SDK as an APIError (with the server's error body).
      const response = await client.chat.completions
        .create({
          ...fields,
          model: request.model,
          messages,
          stream: true,
          ...(this.offersTools(request) ? { tools: chatTools(request.tools ?? []) } : {}),
          ...(streamOptions ? { stream_options: { include_usage: true } } : {}),
        })
        .asResponse();
      return { kind: 'stream', response };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  private async *consume(
    response: Response,
    request: ChatRequest,
    ctx: ErrorContext,
    watch: WireWatch,
    idle: AbortController,
    cancel: AbortController,
  ): AsyncGenerator<ChatEvent[], void, undefined> {
    const idleWatch = new IdleWatch(watch, idle, this.options.idleTimeoutMs);

    try {
      const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
      if (contentType.includes('text/html')) {
        idle.abort();
        yield [{ type: 'error', error: notOpenAIApi(contentType, '', ctx) }];
        return;
      }
      if (contentType.includes('application/json')) {
        const events: ChatEvent[] = [];
        for await (const event of this.nonStreamed(response, ctx, contentType)) events.push(event);
        if (events.length > 0) yield events;
        return;
      }

      const parser = new ThinkTagParser();
      const toolCalls = new ToolCallAssembly();
      let finishReason: string | null = null;
      let failure: AppError | null = null;
      const takeChunk = (chunk: Chunk, batch: ChatEvent[]) => {
        if (chunk.usage) {
          const usage = mapUsage(chunk.usage);
          if (usage) batch.push({ type: 'usage', usage });
        }
        // Azure's prompt_filter_results chunk and the usage-only chunk have no choices at all.
        const choice = chunk.choices?.[0];
        if (!choice) return;
        const reasoning = reasoningOf(choice.delta);
        if (reasoning) batch.push({ type: 'reasoning', text: reasoning });
        const content = choice.delta?.content;
        if (typeof content === 'string' && content) {
          if (parser.passesThrough) batch.push({ type: 'delta', text: content });
          else for (const segment of parser.push(content)) batch.push(segmentEvent(segment));
        }
        toolCalls.push(choice.delta?.tool_calls);
        if (choice.finish_reason) finishReason = choice.finish_reason;
      };
      // Throwing here ends the reading with the events taken so far delivered (inBatches); see streamFailure.
      const take = (events: SseEvent[], batch: ChatEvent[]) => {
        for (const sse of events) {
          let data: unknown;
          try {
            data = JSON.parse(sse.data);
          } catch {
            throw new SyntaxError('malformed server-sent event JSON');
          }
          const fields = typeof data === 'object' && data !== null ? (data as { error?: unknown }) : null;
          if (sse.event === 'error') throw new APIError(undefined, (fields?.error ?? data) as object | undefined, undefined, response.headers);
          if (fields?.error) throw new APIError(undefined, fields.error, undefined, response.headers);
          if (fields) takeChunk(data as Chunk, batch);
        }
      };
      try {
        // A 200 without a body reads as an empty stream: no finish_reason, so it is reported as dropped.
        const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
        for await (const batch of inBatches(untilDone(decodeSseBatches(body)), take)) {
          if (request.signal.aborted) break;
          yield batch;
        }
      } catch (error) {
        failure = streamFailure(error, ctx);
      }
      if (request.signal.aborted) return;
      const rest = parser.end().map(segmentEvent);
      if (idleWatch.fired) failure = idleTimeoutError(ctx, this.options.idleTimeoutMs);
      // A body that ended cleanly but without a finish_reason was cut by the server or a proxy.
      if (!failure && finishReason === null) failure = droppedError(ctx);
      if (failure) {
        yield [...rest, { type: 'error', error: failure }];
        return;
      }
      const cutOff = this.finishError(finishReason, ctx);
      const calls = toolCalls.size > 0 && !cutOff ? [{ type: 'tool-calls' as const, calls: toolCalls.finish() }] : [];
      yield [...rest, ...calls, { type: 'done', finishReason }, ...(cutOff ? [{ type: 'error' as const, error: cutOff }] : [])];
    } finally {
      idleWatch.stop();
      // Leaving early (an error, or the consumer stopped) must also close the HTTP request; after a
      // complete body this is a no-op.
      cancel.abort();
    }
  }

  /** A server that ignored `stream: true` and sent one JSON completion: still a usable answer. */
  private async *nonStreamed(response: Response, ctx: ErrorContext, contentType: string): AsyncGenerator<ChatEvent, void, undefined> {
    const read = await readUnstreamedJson(response, contentType, ctx);
    if ('error' in read) {
      yield { type: 'error', error: read.error };
      return;
    }
    const { body, text } = read;
    const obj = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (obj.error !== undefined) {
      yield { type: 'error', error: inStreamError(obj, ctx) };
      return;
    }
    const choice = Array.isArray(obj.choices) ? (obj.choices[0] as Record<string, unknown> | undefined) : undefined;
    const message = choice?.message as Record<string, unknown> | undefined;
    // A reply that only calls tools has `content: null` and `tool_calls`.
    const calls = new ToolCallAssembly();
    if (Array.isArray(message?.tool_calls)) calls.push((message.tool_calls as { id?: string; function?: { name?: string; arguments?: string } }[]).map((c, index) => ({ index, ...c })));
    if (message && message.content == null && calls.size > 0) message.content = '';
    if (!message || typeof message.content !== 'string') {
      yield { type: 'error', error: notOpenAIApi(contentType, text, ctx) };
      return;
    }
    const reasoning = reasoningOf(message);
    if (reasoning) yield { type: 'reasoning', text: reasoning };
    const parser = new ThinkTagParser();
    for (const segment of [...parser.push(message.content), ...parser.end()]) yield segmentEvent(segment);
    const usage = mapUsage(obj.usage);
    if (usage) yield { type: 'usage', usage };
    const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : 'stop';
    if (calls.size > 0) yield { type: 'tool-calls', calls: calls.finish() };
    yield { type: 'done', finishReason };
    const cutOff = this.finishError(finishReason, ctx);
    if (cutOff) yield { type: 'error', error: cutOff };
  }

  private finishError(finishReason: string | null, ctx: ErrorContext): AppError | null {
    if (finishReason === 'length') return cutOffError(ctx);
    if (finishReason === 'content_filter') return contentFilteredError(ctx);
    return null;
  }
}
