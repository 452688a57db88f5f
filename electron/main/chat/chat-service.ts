/**
 * Chat turns and the `conversations:*` / `chat:*` channels.
 *
 * A turn: the user's message and an empty assistant message are saved first (so nothing the user typed is
 * ever lost), the call answers at once with the stream id, and the reply streams in the background:
 * the provider adapter's events grow the live message, go to the asking window about once per frame
 * (EventCoalescer), and are saved at a bounded rate. The end state (complete, stopped, failed with the
 * AppError) is always saved, and what arrived before an error or a Stop is kept.
 *
 * One stream per conversation; streams in different conversations run side by side, each with its own
 * ids and windows, so they never mix.
 */
import { randomUUID } from 'node:crypto';
import type { ChatStreamEvent } from '../../../shared/models/chat-event';
import {
  MESSAGE_PAGE_SIZE,
  summarizeConversation,
  type Conversation,
  type ConversationPage,
  type ConversationSummary,
  type Message,
  type MessagePage,
} from '../../../shared/models/conversation';
import { normalizeSettings, type GenerationSettings } from '../../../shared/models/generation-settings';
import type { FallbackTarget, ProviderConfig } from '../../../shared/models/provider';
import type { AttachmentRef } from '../../../shared/models/attachments';
import { AppFailure, type AppError } from '../../../shared/result';
import type { ConfigStore } from '../config/config-store';
import type { ConversationStore } from '../conversations/conversation-store';
import type { CallContext, Handlers } from '../ipc/dispatcher';
import type { EventSink } from '../ipc/events';
import type { Logger } from '../logger';
import type { ChatEvent } from '../../../shared/models/chat-event';
import type { KindOf } from '../providers/kinds';
import { limitHistory, withOmitted } from '../providers/generation-parameters';
import { replyBatches, type ChatAdapter, type ChatRequest, type HistoryMessage, type ResolvedProvider } from '../providers/provider-kind';
import { closeOpenCalls, withTools } from '../tools/tool-loop';
import type { TurnTools } from '../tools/mcp-service';
import { EventCoalescer, realTimers, type StreamPatch, type Timers } from './event-coalescer';
import { UnsavedReplies } from './unsaved-replies';
import type { ReplyRouter } from './reply-router';
import { checkConversationFallbacks, dropDeletedFallbacks } from './conversation-fallbacks';
import { historyFor, inEffect, titleFromMessage } from './turn-history';
import { resolveTurn } from './turn-route';

export interface ChatServiceDeps {
  store: ConversationStore;
  config: Pick<ConfigStore, 'listProviders' | 'getProvider' | 'setQuirks' | 'getQuirks'>;
  /** The kind of each provider type (providers/kinds.ts): its chat adapter and what a turn needs. */
  kindOf: KindOf;
  /**
   * The provider as a request needs it, read at send time: its key and secret header values from the
   * keychain (or the session-only store) and its learned quirks. Keychain problems throw an AppFailure.
   */
  resolveProvider(providerId: string): Promise<ResolvedProvider>;
  events: EventSink;
  log: Logger;
  now?: () => Date;
  timers?: Timers;
  /** The growing reply is saved at most this often (and always at the end). */
  persistIntervalMs?: number;
  /** Waits before saving a reply again after its final save failed (see unsaved-replies.ts). */
  saveRetryDelaysMs?: readonly number[];
  /** Deletes server-side state of a conversation (an Assistants thread, a Responses conversation). */
  deleteRemoteThread?(conversation: Conversation): Promise<void>;
  /** Key pools and fallbacks (reply-router.ts); without it a reply uses the provider's first key only. */
  router?: ReplyRouter;
  /** The MCP tools a conversation offers (tools/mcp-service.ts); absent or null: a turn without tools. */
  tools?: { forConversation(conversation: Conversation): TurnTools | null };
  /** Attachments: checks that a message's references are stored, and reads their content for a request. */
  attachments?: {
    checkStored(refs: readonly AttachmentRef[]): Promise<void>;
    resolve(history: readonly HistoryMessage[]): Promise<HistoryMessage[]>;
  };
}

/** The longest title derived from a first message; the user can rename to anything up to 500. */
interface ActiveStream {
  streamId: string;
  conversationId: string;
  message: Message;
  controller: AbortController;
  /** Windows that receive this stream's events: the one that asked, plus any that re-attached. */
  targets: Set<number>;
  coalescer: EventCoalescer;
  retryWaiting: boolean;
  persistTimer: unknown;
  /** Resolves when the stream has ended and its final state is saved. */
  finished: Promise<void>;
}

export class ChatService {
  private readonly active = new Map<string, ActiveStream>();
  /** Conversations between the BUSY check and the stream being registered (awaits in between). */
  private readonly starting = new Set<string>();
  private readonly timers: Timers;
  /** Finished replies whose final save failed, kept until a save succeeds. */
  private readonly unsaved: UnsavedReplies;
  private disposed = false;

  constructor(private readonly deps: ChatServiceDeps) {
    this.timers = deps.timers ?? realTimers;
    this.unsaved = new UnsavedReplies({
      save: (conversationId, message) => this.saveKept(conversationId, message),
      notify: (state) => deps.events.broadcast('chat:saveState', state),
      timers: this.timers,
      log: deps.log,
      ...(deps.saveRetryDelaysMs ? { retryDelaysMs: deps.saveRetryDelaysMs } : {}),
    });
    // A write that succeeds means there may be room again for a reply that could not be saved.
    deps.store.onWritten(() => this.unsaved.retryAll());
  }

  // ---- conversations ----

  async list(query?: string): Promise<ConversationSummary[]> {
    return this.deps.store.list(query);
  }

  /**
   * The saved conversation with its latest `limit` messages, the reply streaming in it (if any) as far as
   * it has come. Older messages come from `messages`.
   */
  async get(id: string, limit = MESSAGE_PAGE_SIZE): Promise<ConversationPage> {
    const page = await this.deps.store.latest(id, limit);
    return { ...page, messages: this.withLive(id, page.messages) };
  }

  /** Up to `limit` messages before the message `before`, oldest first. */
  async messages(id: string, before: string, limit = MESSAGE_PAGE_SIZE): Promise<MessagePage> {
    const page = await this.deps.store.older(id, before, limit);
    return { ...page, messages: this.withLive(id, page.messages) };
  }

  /**
   * Replaces the saved state of a reply still streaming with how far it has come, and that of a finished
   * reply not saved yet with how it ended (the store still has its last good save).
   */
  private withLive(id: string, messages: Message[]): Message[] {
    this.unsaved.overlay(id, messages);
    const live = this.active.get(id);
    if (!live) return messages;
    const i = messages.findIndex((m) => m.id === live.message.id);
    if (i >= 0) messages[i] = structuredClone(live.message);
    return messages;
  }

  async create(input: { providerId?: string; model?: string } = {}): Promise<Conversation> {
    let provider: ProviderConfig | null = null;
    if (input.providerId) {
      provider = this.deps.config.getProvider(input.providerId) ?? null;
      if (!provider) throw this.providerGone();
    } else {
      provider = this.deps.config.listProviders()[0] ?? null;
    }
    const now = this.nowIso();
    const conversation = await this.deps.store.create({
      id: randomUUID(),
      title: '',
      providerId: provider?.id ?? null,
      model: input.model?.trim() || provider?.model || '',
      createdAt: now,
      updatedAt: now,
      messages: [],
      // A copy: changing the provider's defaults later never rewrites this conversation.
      ...(provider?.defaults ? { settings: structuredClone(provider.defaults) } : {}),
    });
    this.changed(conversation);
    return conversation;
  }

  async rename(id: string, title: string): Promise<ConversationSummary> {
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean) {
      throw new AppFailure({ code: 'VALIDATION', message: 'A conversation title cannot be empty.', params: { context: 'empty_title' } });
    }
    const conversation = await this.deps.store.update(id, (c) => {
      c.title = clean;
    });
    return this.changed(conversation);
  }

  async setProvider(id: string, providerId: string, model: string): Promise<ConversationSummary> {
    const provider = this.deps.config.getProvider(providerId);
    if (!provider) throw this.providerGone();
    const conversation = await this.deps.store.update(id, (c) => {
      c.providerId = provider.id;
      c.model = model.trim() || provider.model;
    });
    return this.changed(conversation);
  }

  /** Replaces the conversation's generation settings (checked by the contract's schema); empty fields are dropped. */
  async setSettings(id: string, settings: GenerationSettings): Promise<Conversation> {
    const clean = normalizeSettings(settings);
    const conversation = await this.deps.store.update(
      id,
      (c) => {
        if (Object.keys(clean).length > 0) c.settings = clean;
        else delete c.settings;
      },
      { touch: false },
    );
    this.changed(conversation);
    const { messages: _messages, ...header } = conversation;
    return { ...structuredClone(header), messages: [] };
  }

  /** The conversation's own fallbacks, checked like a provider's (conversation-fallbacks.ts); null: its provider's. */
  async setFallbacks(id: string, fallbacks: FallbackTarget[] | null): Promise<ConversationSummary> {
    const current = await this.deps.store.latest(id, 0);
    const owner = current.providerId ? this.deps.config.getProvider(current.providerId) : undefined;
    checkConversationFallbacks(owner, fallbacks, this.deps.config.listProviders());
    const conversation = await this.deps.store.update(
      id,
      (c) => {
        if (fallbacks === null) delete c.fallbacks;
        else c.fallbacks = fallbacks.map((f) => ({ providerId: f.providerId, model: f.model.trim() }));
      },
      { touch: false },
    );
    return this.changed(conversation);
  }

  async delete(id: string, deleteRemoteThread = false): Promise<{ remoteThreadDeleted: boolean; remoteError?: AppError }> {
    const live = this.active.get(id);
    if (live) {
      live.controller.abort();
      await live.finished;
    }
    // Only its remote state is needed here, not a copy of every message.
    const conversation = await this.deps.store.latest(id, 0);
    let remoteThreadDeleted = false;
    let remoteError: AppError | undefined;
    if (deleteRemoteThread && conversation.threadId && this.deps.deleteRemoteThread) {
      try {
        await this.deps.deleteRemoteThread(conversation);
        remoteThreadDeleted = true;
      } catch (error) {
        remoteError = error instanceof AppFailure ? error.appError : { code: 'INTERNAL', message: 'The thread on the server could not be deleted.' };
        this.deps.log.warn('chat', `could not delete the remote thread of conversation ${id}`, error);
      }
    }
    await this.deps.store.delete(id);
    this.unsaved.drop(id);
    this.deps.events.broadcast('conversations:changed', { deletedId: id });
    return remoteError !== undefined ? { remoteThreadDeleted, remoteError } : { remoteThreadDeleted };
  }

  // ---- chat ----

  async send(
    conversationId: string,
    text: string,
    ctx: CallContext,
    attachments: readonly AttachmentRef[] = [],
  ): Promise<{ streamId: string; userMessage: Message; assistantMessage: Message }> {
    await this.checkAttachments(attachments);
    return this.startTurn(conversationId, ctx, (c, now) => {
      const userMessage: Message = {
        id: randomUUID(),
        role: 'user',
        content: text,
        status: 'complete',
        createdAt: now,
        ...(attachments.length > 0 ? { attachments: structuredClone([...attachments]) } : {}),
      };
      c.messages.push(userMessage);
      if (!c.title.trim()) c.title = titleFromMessage(text.trim() ? text : attachments.map((a) => a.name).join(', '));
      return { userMessage };
    });
  }

  async regenerate(conversationId: string, ctx: CallContext): Promise<{ streamId: string; assistantMessage: Message }> {
    const result = await this.startTurn(conversationId, ctx, (c) => {
      const lastUser = findLastIndex(c.messages, (m) => m.role === 'user');
      if (lastUser < 0) {
        throw new AppFailure({ code: 'VALIDATION', message: 'There is no message to answer yet.', params: { context: 'nothing_to_answer' } });
      }
      c.messages.splice(lastUser + 1);
      return {};
    });
    return { streamId: result.streamId, assistantMessage: result.assistantMessage };
  }

  async editAndResend(
    conversationId: string,
    messageId: string,
    text: string,
    ctx: CallContext,
    attachments?: readonly AttachmentRef[],
  ): Promise<{ streamId: string; userMessage: Message; assistantMessage: Message }> {
    if (attachments) await this.checkAttachments(attachments);
    return this.startTurn(conversationId, ctx, (c, now) => {
      const lastUser = findLastIndex(c.messages, (m) => m.role === 'user');
      const target = c.messages[lastUser];
      if (!target || target.id !== messageId) {
        throw new AppFailure({
          code: 'VALIDATION',
          message: 'Only your last message can be edited and sent again.',
          params: { context: 'edit_last_only' },
        });
      }
      // The edited message keeps its attachments unless new ones are given.
      const userMessage: Message = { ...target, content: text, status: 'complete', createdAt: now };
      if (attachments) {
        if (attachments.length > 0) userMessage.attachments = structuredClone([...attachments]);
        else delete userMessage.attachments;
      }
      if (!userMessage.content.trim() && !userMessage.attachments?.length) {
        throw new AppFailure({ code: 'VALIDATION', message: 'A message needs text or an attachment.', params: { context: 'empty_message' } });
      }
      c.messages.splice(lastUser, c.messages.length - lastUser, userMessage);
      return { userMessage };
    });
  }

  /**
   * "Send without it": the provider refused a parameter for this model (PARAMETER_REJECTED). It is left out
   * for this provider and model from now on (a quirk, like stream_options), and the last reply is written again.
   */
  async sendWithout(conversationId: string, parameter: string, ctx: CallContext): Promise<{ streamId: string; assistantMessage: Message }> {
    const conversation = await this.deps.store.latest(conversationId, 0);
    const config = conversation.providerId ? this.deps.config.getProvider(conversation.providerId) : undefined;
    if (!config) throw this.providerGone();
    const model = conversation.model || config.model;
    this.deps.config.setQuirks(config.id, withOmitted(this.deps.config.getQuirks(config.id), model, parameter));
    return this.regenerate(conversationId, ctx);
  }

  /** Stops the reply streaming in a conversation; resolves once its partial text is saved as stopped. */
  async stop(conversationId: string): Promise<{ stopped: boolean }> {
    const live = this.active.get(conversationId);
    if (!live) return { stopped: false };
    live.controller.abort();
    await live.finished;
    return { stopped: true };
  }

  /** A window (re)loaded: it gets the reply so far now and the rest as it streams. */
  attach(conversationId: string, ctx: CallContext): { active: { streamId: string; message: Message } | null } {
    const live = this.active.get(conversationId);
    if (!live) return { active: null };
    // What is pending goes to the windows that already have the earlier text; the snapshot below
    // includes it, so the attaching window neither misses nor doubles a delta.
    live.coalescer.flush();
    const message = structuredClone(live.message);
    live.targets.add(ctx.windowId);
    const snapshot: StreamPatch = {
      replaceContent: message.content,
      replaceReasoning: message.reasoning ?? '',
      ...(message.usage ? { usage: message.usage } : {}),
      ...(message.annotations ? { annotations: message.annotations } : {}),
    };
    this.sendTo(live, ctx.windowId, snapshot);
    return { active: { streamId: live.streamId, message } };
  }

  /** Aborts every stream, waits until their final state is saved, and flushes the store. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const finishing = [...this.active.values()].map((live) => {
      live.controller.abort();
      return live.finished;
    });
    await Promise.allSettled(finishing);
    await this.unsaved.flush();
    await this.deps.store.flush();
  }

  handlers(): Pick<
    Handlers,
    | 'conversations:list'
    | 'conversations:get'
    | 'conversations:messages'
    | 'conversations:create'
    | 'conversations:rename'
    | 'conversations:setProvider'
    | 'conversations:delete'
    | 'conversations:setSettings'
    | 'conversations:setFallbacks'
    | 'chat:send'
    | 'chat:stop'
    | 'chat:regenerate'
    | 'chat:sendWithout'
    | 'chat:editAndResend'
    | 'chat:attach'
  > {
    return {
      'conversations:list': (input) => this.list(input?.query),
      'conversations:get': ({ id, limit }) => this.get(id, limit),
      'conversations:messages': ({ id, before, limit }) => this.messages(id, before, limit),
      'conversations:create': (input) => this.create(input ?? {}),
      'conversations:rename': ({ id, title }) => this.rename(id, title),
      'conversations:setProvider': ({ id, providerId, model }) => this.setProvider(id, providerId, model),
      'conversations:delete': ({ id, deleteRemoteThread }) => this.delete(id, deleteRemoteThread ?? false),
      'conversations:setSettings': ({ id, settings }) => this.setSettings(id, settings),
      'conversations:setFallbacks': ({ id, fallbacks }) => this.setFallbacks(id, fallbacks),
      'chat:send': ({ conversationId, text, attachments }, ctx) => this.send(conversationId, text, ctx, attachments),
      'chat:stop': ({ conversationId }) => this.stop(conversationId),
      'chat:regenerate': ({ conversationId }, ctx) => this.regenerate(conversationId, ctx),
      'chat:sendWithout': ({ conversationId, parameter }, ctx) => this.sendWithout(conversationId, parameter, ctx),
      'chat:editAndResend': ({ conversationId, messageId, text, attachments }, ctx) =>
        this.editAndResend(conversationId, messageId, text, ctx, attachments),
      'chat:attach': ({ conversationId }, ctx) => this.attach(conversationId, ctx),
    };
  }

  // ---- internals ----

  private async checkAttachments(attachments: readonly AttachmentRef[]): Promise<void> {
    if (attachments.length === 0) return;
    if (!this.deps.attachments) {
      throw new AppFailure({ code: 'VALIDATION', message: 'Attachments cannot be sent here.', params: { context: 'no_attachments' } });
    }
    await this.deps.attachments.checkStored(attachments);
  }

  private nowIso(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  private changed(conversation: Conversation): ConversationSummary {
    const summary = this.deps.store.summary(conversation.id) ?? summarizeConversation(conversation);
    this.deps.events.broadcast('conversations:changed', { summary });
    return summary;
  }

  private providerGone(): AppFailure {
    return new AppFailure({
      code: 'NO_PROVIDER',
      message: 'That provider no longer exists.',
      hint: 'Choose another provider for this conversation, or add one in Settings.',
      params: { context: 'removed' },
    });
  }

  private busy(): AppFailure {
    return new AppFailure({
      code: 'BUSY',
      message: 'A reply is still being written in this conversation. Stop it or wait until it is done.',
      retryable: true,
    });
  }

  /**
   * Shared by send, regenerate and edit-and-resend: checks, saves the prepared turn (the mutator adds or
   * edits the user message) with an empty assistant message, then streams into it in the background.
   */
  private async startTurn<T extends { userMessage?: Message }>(
    conversationId: string,
    ctx: CallContext,
    prepare: (conversation: Conversation, now: string) => T,
  ): Promise<T & { streamId: string; assistantMessage: Message }> {
    if (this.disposed) {
      throw new AppFailure({ code: 'BUSY', message: 'Switchboard is shutting down.', params: { context: 'shutting_down' } });
    }
    if (this.active.has(conversationId) || this.starting.has(conversationId)) throw this.busy();
    this.starting.add(conversationId);
    try {
      const before = await this.deps.store.latest(conversationId, 0);
      const resolved = await resolveTurn(before, this.deps);
      const now = this.nowIso();
      const assistantMessage: Message = {
        id: randomUUID(),
        role: 'assistant',
        content: '',
        status: 'streaming',
        createdAt: now,
        providerId: resolved.provider.config.id,
        model: resolved.model,
        ...inEffect(before.settings, resolved.provider, resolved.model),
      };
      let prepared: T | undefined;
      // A previous reply that could not be saved goes to disk with this turn (and into the history).
      const kept = this.unsaved.get(conversationId);
      // The user's message is on disk before the request leaves.
      const saved = await this.deps.store.update(conversationId, (c) => {
        if (kept) {
          const i = c.messages.findIndex((m) => m.id === kept.id);
          if (i >= 0) c.messages[i] = kept;
        }
        if (resolved.adopt) {
          c.providerId = resolved.adopt.providerId;
          c.model = resolved.adopt.model;
        }
        prepared = prepare(c, now);
        c.messages.push(assistantMessage);
        dropDeletedFallbacks(c, (providerId) => this.deps.config.getProvider(providerId) !== undefined);
      });
      if (!prepared) throw new Error('turn was not prepared');
      if (kept) this.unsaved.settled(conversationId, kept.id);
      const limited = limitHistory(historyFor(saved.messages.slice(0, -1)), saved.settings?.historyLimit);
      const history = this.deps.attachments ? await this.deps.attachments.resolve(limited) : limited;
      const live = this.register(conversationId, assistantMessage, ctx.windowId);
      this.changed(saved);
      const turnTools = this.deps.tools?.forConversation(saved) ?? null;
      const request: ChatRequest = {
        ...(turnTools ? { tools: turnTools.specs } : {}),
        provider: resolved.provider,
        model: resolved.model,
        history,
        ...(saved.settings ? { settings: structuredClone(saved.settings) } : {}),
        ...(saved.fallbacks ? { fallbacks: structuredClone(saved.fallbacks) } : {}),
        conversation: {
          id: saved.id,
          ...(saved.threadId ? { threadId: saved.threadId } : {}),
          ...(saved.threadProviderId ? { threadProviderId: saved.threadProviderId } : {}),
        },
        signal: live.controller.signal,
        saveThreadId: async (threadId) => {
          await this.deps.store.update(
            conversationId,
            (c) => {
              c.threadId = threadId;
              c.threadProviderId = resolved.provider.config.id;
            },
            { touch: false },
          );
        },
        rememberQuirk: (quirks) => {
          try {
            this.deps.config.setQuirks(resolved.provider.config.id, quirks);
          } catch (error) {
            this.deps.log.warn('chat', 'could not remember a provider quirk', error);
          }
        },
      };
      // Tools wrap whichever adapter answers: the provider's own, or (with a router) each key's or fallback's.
      const wrap = turnTools ? (adapter: ChatAdapter) => withTools(adapter, turnTools) : undefined;
      live.finished = this.run(live, wrap ? wrap(resolved.adapter) : resolved.adapter, request, wrap);
      return { ...prepared, streamId: live.streamId, assistantMessage: structuredClone(assistantMessage) };
    } finally {
      this.starting.delete(conversationId);
    }
  }

  private register(conversationId: string, message: Message, windowId: number): ActiveStream {
    const live: ActiveStream = {
      streamId: randomUUID(),
      conversationId,
      message: structuredClone(message),
      controller: new AbortController(),
      targets: new Set([windowId]),
      coalescer: null as unknown as EventCoalescer,
      retryWaiting: false,
      persistTimer: null,
      finished: Promise.resolve(),
    };
    live.coalescer = new EventCoalescer((patch) => this.emit(live, patch), this.timers);
    this.active.set(conversationId, live);
    return live;
  }

  private event(live: ActiveStream, patch: StreamPatch): ChatStreamEvent {
    return { streamId: live.streamId, conversationId: live.conversationId, messageId: live.message.id, ...patch };
  }

  private emit(live: ActiveStream, patch: StreamPatch): void {
    for (const windowId of [...live.targets]) this.sendTo(live, windowId, patch);
  }

  private sendTo(live: ActiveStream, windowId: number, patch: StreamPatch): void {
    // A window that is gone (closed, or reloaded under a new id) stops receiving; re-attaching adds it back.
    if (!this.deps.events.sendTo(windowId, 'chat:event', this.event(live, patch))) live.targets.delete(windowId);
  }

  private async run(live: ActiveStream, adapter: ChatAdapter, request: ChatRequest, wrap?: (adapter: ChatAdapter) => ChatAdapter): Promise<void> {
    const { message, coalescer } = live;
    let error: AppError | undefined;
    try {
      const batches = this.deps.router
        ? this.deps.router.batches(request, (route) => {
            message.route = route;
            // The message says which provider and model produced it (a fallback, when one answered).
            if (!route.exhausted) {
              message.providerId = route.providerId;
              message.model = route.model;
            }
            coalescer.set({ route });
          }, wrap)
        : replyBatches(adapter, request);
      for await (const batch of batches) {
        if (live.controller.signal.aborted) break;
        // The deltas of one batch (one network read) reach the message, coalescer and save timer as one.
        let content = '';
        let reasoning = '';
        for (const event of batch) {
          if (event.type === 'delta') {
            content += event.text;
            continue;
          }
          if (event.type === 'reasoning') {
            reasoning += event.text;
            continue;
          }
          if (content || reasoning) {
            this.append(live, content, reasoning);
            content = '';
            reasoning = '';
          }
          this.apply(live, event, (e) => (error = e));
        }
        if (content || reasoning) this.append(live, content, reasoning);
      }
    } catch (thrown) {
      if (!live.controller.signal.aborted) {
        this.deps.log.error('chat', `the reply in conversation ${live.conversationId} failed unexpectedly`, thrown);
        error = {
          code: 'INTERNAL',
          message: 'Something went wrong inside Switchboard while the reply was written.',
          retryable: true,
        };
      }
    }

    if (live.persistTimer !== null) {
      this.timers.clearTimeout(live.persistTimer);
      live.persistTimer = null;
    }
    message.status = error ? 'failed' : live.controller.signal.aborted ? 'stopped' : 'complete';
    if (message.toolRounds) {
      closeOpenCalls(message.toolRounds);
      coalescer.set({ toolRounds: structuredClone(message.toolRounds) });
    }
    if (error) message.error = error;
    else delete message.error;
    if (live.retryWaiting) coalescer.set({ retryWait: null });
    coalescer.close({
      status: message.status,
      ...(message.finishReason ? { finishReason: message.finishReason } : {}),
      ...(error ? { error } : {}),
    });
    // The final save is queued before the stream leaves `active`: a send that follows at once is ordered
    // after it by the store's per-conversation queue. A reply that cannot be saved is kept in memory and
    // saved again later; reads show it as it ended meanwhile.
    const saved = this.persist(live, (error) => this.unsaved.keep(live.conversationId, message, error));
    this.active.delete(live.conversationId);
    const conversation = await saved;
    if (conversation) this.changed(conversation);
  }

  private append(live: ActiveStream, content: string, reasoning: string): void {
    const { message, coalescer } = live;
    if (live.retryWaiting) {
      live.retryWaiting = false;
      coalescer.set({ retryWait: null });
    }
    if (content) {
      message.content += content;
      coalescer.appendContent(content);
    }
    if (reasoning) {
      message.reasoning = (message.reasoning ?? '') + reasoning;
      coalescer.appendReasoning(reasoning);
    }
    this.schedulePersist(live);
  }

  /** Any event but text; `fail` receives the error that ends the reply. */
  private apply(live: ActiveStream, event: Exclude<ChatEvent, { type: 'delta' | 'reasoning' }>, fail: (error: AppError) => void): void {
    const { message, coalescer } = live;
    if (live.retryWaiting && event.type !== 'retry-wait') {
      live.retryWaiting = false;
      coalescer.set({ retryWait: null });
    }
    switch (event.type) {
      case 'usage':
        message.usage = event.usage;
        coalescer.set({ usage: event.usage });
        break;
      case 'status':
        coalescer.set({ statusLine: { code: event.code, text: event.text } });
        break;
      case 'annotations':
        message.annotations = [...(message.annotations ?? []), ...event.annotations];
        coalescer.set({ annotations: message.annotations });
        break;
      case 'retry-wait':
        live.retryWaiting = true;
        coalescer.set({
          retryWait: { attempt: event.attempt, seconds: event.seconds, ...(event.reason ? { reason: event.reason } : {}) },
        });
        break;
      case 'reset':
        message.content = '';
        delete message.reasoning;
        coalescer.replace('', '');
        this.schedulePersist(live);
        break;
      case 'done':
        if (event.finishReason) message.finishReason = event.finishReason;
        break;
      case 'tool-rounds':
        message.toolRounds = structuredClone(event.rounds);
        coalescer.set({ toolRounds: event.rounds });
        this.schedulePersist(live);
        break;
      case 'tool-calls':
        // Only the tool loop acts on calls; a turn without tools has nothing to run them with.
        break;
      case 'tool-notice':
        message.toolNotice = event.text;
        coalescer.set({ toolNotice: event.text });
        this.schedulePersist(live);
        break;
      case 'error':
        fail(event.error);
        break;
    }
  }

  private schedulePersist(live: ActiveStream): void {
    if (live.persistTimer !== null) return;
    live.persistTimer = this.timers.setTimeout(() => {
      live.persistTimer = null;
      void this.persist(live);
    }, this.deps.persistIntervalMs ?? 500);
  }

  /** Saves the reply as it is now; `onFailure` hears of a failure other than the conversation being gone. */
  private async persist(live: ActiveStream, onFailure?: (error: unknown) => void): Promise<Conversation | null> {
    const snapshot = structuredClone(live.message);
    try {
      return await this.deps.store.update(live.conversationId, (c) => {
        const i = c.messages.findIndex((m) => m.id === snapshot.id);
        if (i >= 0) c.messages[i] = snapshot;
      });
    } catch (error) {
      // Deleted while streaming, or the disk refused: the stream goes on; the log says why it was not saved.
      if (!(error instanceof AppFailure && error.appError.code === 'NOT_FOUND')) {
        this.deps.log.error('chat', `could not save the reply in conversation ${live.conversationId}`, error);
        onFailure?.(error);
      }
      return null;
    }
  }

  /** Saves a kept reply into its conversation; false when the conversation or the message is gone. */
  private async saveKept(conversationId: string, message: Message): Promise<boolean> {
    let found = false;
    try {
      const conversation = await this.deps.store.update(conversationId, (c) => {
        const i = c.messages.findIndex((m) => m.id === message.id);
        found = i >= 0;
        if (found) c.messages[i] = structuredClone(message);
      });
      this.changed(conversation);
      return found;
    } catch (error) {
      if (error instanceof AppFailure && error.appError.code === 'NOT_FOUND') return false;
      throw error;
    }
  }
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
