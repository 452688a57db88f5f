/**
 * The `openai-assistant` provider: a pre-configured assistant on a server that speaks the Assistants API
 * (v2): threads, messages, runs. One conversation = one thread (saved with the conversation), one reply =
 * one run, streamed (`stream: true`) or, for servers that cannot stream runs, polled.
 *
 * Why raw fetch and not `client.beta.threads…` of the openai SDK: the SDK's whole Assistants surface is
 * deprecated (OpenAI retired the API on 2026-08-26) and will leave the SDK, while the servers that still
 * serve it are the reason this provider exists; its poll helper has no back-off, no overall deadline and no
 * way to fall back when a server ignores `stream: true` and answers JSON. The protocol is small: JSON
 * requests plus one named-event SSE stream (wire/sse-decoder.ts).
 *
 * Every failure becomes an AppError event; a run this adapter started is never left running on the server
 * when it stops listening (Stop, timeout, requires_action, a stream error): it is cancelled.
 */
import { parameterRejectedError, rejectedParameter } from '../errors/rejected-parameter';
import { toolsRejected, toolsRejectedError } from '../errors/tools-rejected';
import { attachmentRefusal, imagesRejectedError } from '../errors/images-rejected';
import { hasImages, IMAGES_PARAMETER } from '../attachment-parts';
import { assistantRunParameters, omittedFor } from '../generation-parameters';
import type { ChatEvent } from '../../../../shared/models/chat-event';
import type { TokenUsage } from '../../../../shared/models/conversation';
import { DEFAULT_ASSISTANT_RUN_TIMEOUT_MS } from '../../../../shared/models/provider';
import type { AppError } from '../../../../shared/result';
import type { Logger } from '../../logger';
import { hostOf, parseServerError } from '../errors/request-failure';
import type { ChatRequest, HttpDeps, ResolvedProvider } from '../provider-kind';
import { decodeSseEvents } from '../wire/sse-decoder';
import { TERMINAL, type WireContentPart, type WireMessage, type WireRun, type WireStep } from './api-objects';
import { AnnotationBook, messageText } from './annotations';
import {
  missingAssistantIdError,
  noResponseError,
  providerSecrets,
  requiresActionError,
  runTimeoutError,
  streamError,
  terminalError,
  toAppError,
  TurnError,
} from './assistant-errors';
import { AssistantsClient, endpointOf, HttpStatusError, pollAfterOf, POLL_BACKOFF, POLL_INITIAL_MS, POLL_MAX_MS, timeoutReason, type CreateRunAnswer } from './assistants-client';
import { prepareThread } from './assistant-thread';
import { waitOutAssistantRetry, type AssistantRetryContext } from './assistant-retry';
import type { RateLimitOptions } from '../wire/rate-limit';

/** Bound on the cancel request sent when we stop listening (Stop must not hang on a slow server). */
const CANCEL_TIMEOUT_MS = 5000;

export const TOOL_STATUS_TEXT: Record<string, string> = {
  code_interpreter: 'Running code interpreter…',
  file_search: 'Searching files…',
};

export interface AssistantAdapterDeps extends HttpDeps {
  log: Logger;
  /** Waits between polls; tests pass one that records the delays. Must reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How a 429 on the requests that start a reply is waited out (assistant-retry.ts). */
  rateLimit?: RateLimitOptions;
}

/** Why this adapter stopped listening to a run on its own. */
type StopReason = 'user' | 'timeout' | null;

function usageOf(run: WireRun): TokenUsage | null {
  const u = run.usage;
  if (!u || typeof u.total_tokens !== 'number') return null;
  return {
    promptTokens: u.prompt_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
    totalTokens: u.total_tokens,
  };
}

/** One reply: thread → message → run (stream, or poll) → events. */
export class AssistantTurn {
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
  /** 429s waited out in this reply (before its run started), against `maxRateLimitRetries`. */
  private rateLimitRetries = 0;
  /** The assistant as the server describes it (its own tools, its model), read once per reply. */
  private assistantInfo: Promise<{ tools: unknown[]; model: string }> | null = null;

  constructor(
    private readonly request: ChatRequest,
    private readonly deps: AssistantAdapterDeps,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>,
  ) {
    this.provider = request.provider;
    this.client = new AssistantsClient(endpointOf(request.provider), deps);
    this.assistantId = request.provider.config.assistantId.trim();
  }
  /** The conversation's system prompt and parameters as the run takes them (generation-parameters.ts). */
  private runParameters(): Record<string, unknown> {
    return assistantRunParameters(this.request.settings, omittedFor(this.provider.quirks, this.request.model));
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
      this.threadId = yield* this.threadWithRetries();
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
      // A model without vision, or a message or upload too large for the server (attachments).
      const sentImages = hasImages(this.request.history) && !omittedFor(this.provider.quirks, this.request.model).has(IMAGES_PARAMETER);
      const attachments = attachmentRefusal(error, sentImages, this.request.model, hostOf(this.provider.config.baseUrl));
      if (attachments) {
        // Named by the assistant's model when the conversation has none (read only for this sentence).
        const named = attachments.code === 'IMAGES_REJECTED' && !this.request.model ? imagesRejectedError(await this.modelName()) : attachments;
        yield { type: 'error', error: named };
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

  private retryContext(): AssistantRetryContext {
    return {
      request: this.request,
      client: this.client,
      endpoint: endpointOf(this.provider),
      connectTimeoutMs: this.deps.connectTimeoutMs,
      options: this.deps.rateLimit,
      signal: this.signal,
    };
  }

  /**
   * The thread, its message added; a 429 on the way is waited out (assistant-retry.ts) and the thread made
   * ready again. A thread created before the 429 is the one used then (it is the conversation's already),
   * lined up like a Retry's, so nothing is created or added twice.
   */
  private async *threadWithRetries(): AsyncGenerator<ChatEvent, string> {
    let request = this.request;
    const uploaded = new Map<string, Promise<string>>();
    for (;;) {
      const attempt: ChatRequest = {
        ...request,
        saveThreadId: async (threadId) => {
          await this.request.saveThreadId?.(threadId);
          request = { ...request, conversation: { ...request.conversation, threadId, threadProviderId: this.provider.config.id } };
        },
      };
      try {
        return await prepareThread({ request: attempt, client: this.client, signal: this.signal, log: this.deps.log, sleep: this.sleep, uploaded });
      } catch (error) {
        if (this.signal.aborted || !(yield* waitOutAssistantRetry(error, this.rateLimitRetries, this.retryContext()))) throw error;
        this.rateLimitRetries += 1;
      }
    }
  }

  private assistant(): Promise<{ tools: unknown[]; model: string }> {
    this.assistantInfo ??= this.client.assistant(this.assistantId, this.signal);
    // A failed read is made again when asked again (after a 429 waited out).
    this.assistantInfo.catch(() => (this.assistantInfo = null));
    return this.assistantInfo;
  }

  /**
   * The model a refusal names: the conversation's, or (a provider without one, as usual for an assistant)
   * the assistant's own; '' when the server cannot say ("This model …").
   */
  private async modelName(): Promise<string> {
    if (this.request.model) return this.request.model;
    return this.assistant().then(
      (a) => a.model,
      () => '',
    );
  }

  /** Our functions added to the assistant's own tools (a run's `tools` replaces them), when the conversation offers any. */
  private async runTools(): Promise<Record<string, unknown>> {
    const ours = this.request.tools ?? [];
    if (ours.length === 0 || omittedFor(this.provider.quirks, this.request.model).has('tools')) return {};
    const names = new Set(ours.map((t) => t.name));
    const own = (await this.assistant()).tools.filter((t) => {
      const tool = t as { type?: string; function?: { name?: string } };
      return tool.type !== 'function' || !names.has(tool.function?.name ?? '');
    });
    return { tools: [...own, ...ours.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }))] };
  }

  /** Creates the run, streamed; a server that refuses `stream` gets it unstreamed, to be polled. */
  private async startRun(threadId: string, tools: Record<string, unknown>): Promise<CreateRunAnswer> {
    try {
      return await this.client.createRun(threadId, this.assistantId, { ...this.runParameters(), ...tools }, true, this.signal);
    } catch (error) {
      await this.throwRefusal(error, tools);
      // A server that cannot stream runs may refuse `stream` outright: run again without it and poll.
      if (!(error instanceof HttpStatusError && error.status === 400 && /stream/i.test(error.bodyText))) throw error;
      this.deps.log.info('assistant', 'the server refused a streamed run; polling instead');
    }
    try {
      return await this.client.createRun(threadId, this.assistantId, { ...this.runParameters(), ...tools }, false, this.signal);
    } catch (error) {
      await this.throwRefusal(error, tools);
      throw error;
    }
  }

  /** A run refused for what the user can leave out (a parameter of the settings, or our tools): the user decides. */
  private async throwRefusal(error: unknown, tools: Record<string, unknown>): Promise<void> {
    const refused = rejectedParameter(error, new Set(Object.keys(this.runParameters())));
    if (refused) throw new TurnError(parameterRejectedError(refused, this.request.model));
    // A server or model that takes no function tools (Send without it leaves them out for this model).
    if ('tools' in tools && toolsRejected(error)) throw new TurnError(toolsRejectedError(await this.modelName()));
  }

  private async *runOnce(): AsyncGenerator<ChatEvent> {
    const threadId = this.threadId as string;
    let answer: CreateRunAnswer;
    // A 429 before the run exists is waited out like one on the thread (the retries counted together).
    for (;;) {
      try {
        answer = await this.startRun(threadId, await this.runTools());
        break;
      } catch (error) {
        if (this.signal.aborted || !(yield* waitOutAssistantRetry(error, this.rateLimitRetries, this.retryContext()))) throw error;
        this.rateLimitRetries += 1;
      }
    }
    for (;;) {
      const { run, polled } = yield* this.follow(answer);
      if (run.status === 'requires_action' && this.canAnswer(run)) {
        const next = yield* this.answerTools(run, polled);
        if (!next) return;
        answer = next;
        continue;
      }
      yield* this.settle(run, polled);
      return;
    }
  }

  /** Every function the run asks for is one the conversation offers, and a tool loop is there to answer. */
  private canAnswer(run: WireRun): boolean {
    const calls = run.required_action?.submit_tool_outputs?.tool_calls ?? [];
    const offered = new Set((this.request.tools ?? []).map((t) => t.name));
    return this.request.toolAnswers !== undefined && calls.length > 0 && calls.every((c) => offered.has(c.function?.name ?? ''));
  }

  /** The calls go to the tool loop (approval, the tools); their outputs are submitted and the run goes on. */
  private async *answerTools(run: WireRun, polled: boolean): AsyncGenerator<ChatEvent, CreateRunAnswer | null> {
    const slot = this.request.toolAnswers as { outputs: Map<string, string> | null };
    const calls = (run.required_action?.submit_tool_outputs?.tool_calls ?? []).map((c, i) => ({
      id: c.id ?? `call_${i}`,
      name: c.function?.name ?? '',
      arguments: c.function?.arguments ?? '{}',
    }));
    slot.outputs = null;
    yield { type: 'tool-calls', calls, inline: true };
    const outputs = slot.outputs as Map<string, string> | null;
    if (!outputs || this.signal.aborted) {
      await this.cancelRun();
      return null;
    }
    const tool_outputs = calls.map((c) => ({ tool_call_id: c.id, output: outputs.get(c.id) ?? '' }));
    this.runOpen = true;
    return this.client.submitToolOutputs(this.threadId as string, run.id, tool_outputs, !polled, this.signal);
  }

  /** Follows a run (its stream, or polling) until it settles or waits for tool outputs. */
  private async *follow(answer: CreateRunAnswer): AsyncGenerator<ChatEvent, { run: WireRun; polled: boolean }> {
    const threadId = this.threadId as string;
    if (answer.kind === 'run') {
      this.runId = answer.run.id;
      this.runOpen = !TERMINAL.has(answer.run.status);
      const run = yield* this.poll(answer.run, answer.pollAfterMs);
      return { run, polled: true };
    }
    const outcome = yield* this.consumeStream(answer);
    if (outcome.run) return { run: outcome.run, polled: false };
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
    return { run, polled: true };
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
