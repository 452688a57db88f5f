/**
 * The messages of every conversation this window has opened, and the replies streaming into them.
 *
 * `chat:event` pushes are applied with a leading edge: the first one after a quiet frame at once (the first
 * words of a reply appear without waiting for a frame), the ones that follow within the frame queued and
 * applied together on the next animation frame (several streams, or a burst after a busy moment, become
 * one store update and one render: the last stage of the throttling chain described in
 * electron/main/providers/provider-kind.ts). The reducer itself is chat-stream-reducer.ts. The store follows
 * `chat:event` and `chat:saveState` itself (startSync), as the providers store follows its event.
 */
import type { AttachmentRef } from '../../shared/models/attachments';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayloads } from '../../shared/ipc/contract';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import type { ChatStreamEvent } from '../../shared/models/chat-event';
import { MESSAGE_PAGE_MAX, MESSAGE_PAGE_SIZE, type Conversation, type Message } from '../../shared/models/conversation';
import { callApi, getApi } from '../lib/api';
import {
  applyStreamEvents,
  emptyConversationChat,
  lastIndexOfId,
  newStream,
  PREVIEW_LENGTH,
  withNewMessages,
  withoutTrailingReplies,
  type ConversationChat,
  type ReplyFinished,
} from './chat-stream-reducer';

type ChatApi = Pick<SwitchboardApi, 'chat' | 'conversations'>;

export interface ChatState {
  conversations: Record<string, ConversationChat>;
  /** Unsent composer text per conversation, kept while the user switches between them. */
  drafts: Record<string, string>;
  lastFinished: ReplyFinished | null;
  /** Loads a conversation (`conversations:get`, then `chat:attach` to follow a reply still streaming). */
  open(id: string, options?: { force?: boolean }): Promise<void>;
  /**
   * Loads the page of messages before the ones shown (scrolling up), or with `all` every older message
   * (Home: the start of the conversation). One load at a time per conversation.
   */
  loadOlder(id: string, options?: { all?: boolean }): Promise<void>;
  /** A conversation this window just created: nothing to load. */
  seed(conversation: Conversation): void;
  setDraft(id: string, text: string): void;
  /** Sends the text with the given attachments (references `attachments:add` answered); either may be empty, not both. */
  send(id: string, text: string, attachments?: AttachmentRef[]): Promise<boolean>;
  stop(id: string): Promise<void>;
  /** Writes the last reply again; with `without`, leaves that refused parameter out from now on (chat:sendWithout). */
  regenerate(id: string, without?: string): Promise<boolean>;
  editAndResend(id: string, messageId: string, text: string): Promise<boolean>;
  dismissActionError(id: string): void;
  /** Applies one `chat:event` now after a quiet frame, or queues it for the next animation frame. */
  receive(event: ChatStreamEvent): void;
  /** Applies queued events now. */
  flush(): void;
  /** Follows `conversations:changed` (deleted elsewhere, or changed by another window). */
  conversationChanged(change: EventPayloads['conversations:changed']): void;
  /** Follows `chat:saveState`: a finished reply is not saved yet (the disk is full), or was saved after all. */
  saveStateChanged(state: EventPayloads['chat:saveState']): void;
}

export interface ChatStoreOptions {
  /** Runs `flush` soon; defaults to the next animation frame (with a timer as a fallback for hidden windows). */
  schedule?: (flush: () => void) => void;
  now?: () => number;
  /** Where main's pushes come from (startSync); the window API by default. */
  events?: () => Pick<SwitchboardApi, 'on'>;
}

/** Events closer together than this are batched per frame; the first after a quieter spell goes at once. */
export const EVENT_FRAME_MS = 16;

function defaultSchedule(flush: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flush();
  };
  // Animation frames pause in a hidden window; the timer keeps the store (and the saved draft of what the
  // user sees when coming back) current without piling events up.
  requestAnimationFrame(run);
  setTimeout(run, 250);
}

export interface ChatStore extends StoreApi<ChatState> {
  /** Follows main's `chat:event` and `chat:saveState` pushes; returns the unsubscribe function. */
  startSync(): () => void;
}

export function createChatStore(getChatApi: () => ChatApi, options: ChatStoreOptions = {}): ChatStore {
  const schedule = options.schedule ?? defaultSchedule;
  const now = options.now ?? (() => Date.now());
  let queue: ChatStreamEvent[] = [];
  let scheduled = false;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let seq = 0;

  const store = createStore<ChatState>()((set, get) => {
    const patch = (id: string, change: Partial<ConversationChat>) =>
      set((state) => {
        const conv = state.conversations[id] ?? emptyConversationChat(id);
        return { conversations: { ...state.conversations, [id]: { ...conv, ...change } } };
      });

    /** Replaces one conversation and records finished replies for the announcer. */
    const commit = (
      state: ChatState,
      results: { conv: ConversationChat; finished: Omit<ReplyFinished, 'seq'>[] }[],
    ): Partial<ChatState> => {
      const conversations = { ...state.conversations };
      let lastFinished = state.lastFinished;
      for (const { conv, finished } of results) {
        conversations[conv.id] = conv;
        for (const f of finished) lastFinished = { ...f, seq: ++seq };
      }
      return { conversations, lastFinished };
    };

    const startReply = (
      id: string,
      messages: (current: Message[]) => Message[],
      streamId: string,
      assistant: Message,
    ) =>
      set((state) => {
        const conv = state.conversations[id] ?? emptyConversationChat(id, 'ready');
        return commit(state, [withNewMessages(conv, messages(conv.messages), newStream(streamId, assistant.id), now())]);
      });

    const canStart = (id: string): boolean => {
      const conv = get().conversations[id];
      return !conv || (!conv.busy && conv.stream === null);
    };

    return {
      conversations: {},
      drafts: {},
      lastFinished: null,

      async open(id, { force = false } = {}) {
        const existing = get().conversations[id];
        if (existing && !force && !existing.stale && existing.loadStatus !== 'error') return;
        if (existing?.stream) return;
        patch(id, {
          loadStatus: existing?.loadStatus === 'ready' ? 'ready' : 'loading',
          loadError: null,
          stale: false,
        });
        const api = getChatApi();
        const got = await callApi(() => api.conversations.get({ id }));
        if (!got.ok) {
          patch(id, { loadStatus: 'error', loadError: got.error });
          return;
        }
        // Show the history at once; whether a reply is still streaming is asked next.
        set((state) => {
          const conv = state.conversations[id] ?? emptyConversationChat(id);
          const result = withNewMessages(conv, got.value.messages, null, now());
          const loaded = { olderCount: got.value.olderCount, older: 'idle' as const, olderError: null };
          return commit(state, [{ ...result, conv: { ...result.conv, ...loaded, loadStatus: 'ready', loadError: null } }]);
        });

        const attached = await callApi(() => api.chat.attach({ conversationId: id }));
        if (attached.ok && attached.value.active) {
          const { streamId, message } = attached.value.active;
          set((state) => {
            const conv = state.conversations[id];
            if (!conv) return {};
            const i = lastIndexOfId(conv.messages, message.id);
            const messages = i < 0 ? [...conv.messages, message] : conv.messages.map((m, j) => (j === i ? message : m));
            return commit(state, [withNewMessages(conv, messages, newStream(streamId, message.id), now())]);
          });
          return;
        }
        if (!got.value.messages.some((m) => m.status === 'streaming')) return;
        // The reply finished between the two calls: read it again for its final state. Still "streaming"
        // with nothing streaming means main ended without a final state (it crashed or was killed): it is
        // what was kept when it stopped.
        const again = await callApi(() => api.conversations.get({ id }));
        const latest = again.ok ? again.value : got.value;
        const messages = latest.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'stopped' as const } : m));
        set((state) => {
          const conv = state.conversations[id];
          return conv && !conv.stream
            ? { conversations: { ...state.conversations, [id]: { ...conv, messages, olderCount: latest.olderCount, older: 'idle' } } }
            : {};
        });
      },

      async loadOlder(id, { all = false } = {}) {
        for (;;) {
          const conv = get().conversations[id];
          const first = conv?.messages[0];
          if (!conv || !first || conv.loadStatus !== 'ready' || conv.olderCount === 0 || conv.older === 'loading') return;
          patch(id, { older: 'loading', olderError: null });
          const limit = all ? MESSAGE_PAGE_MAX : MESSAGE_PAGE_SIZE;
          const got = await callApi(() => getChatApi().conversations.messages({ id, before: first.id, limit }));
          const current = get().conversations[id];
          if (!current) return;
          if (!got.ok) {
            if (got.error.code === 'NOT_FOUND' && got.error.params?.context === 'message') {
              // The oldest message shown is gone (edited elsewhere): read the conversation again.
              patch(id, { older: 'idle' });
              await get().open(id, { force: true });
            } else {
              patch(id, { older: 'error', olderError: got.error });
            }
            return;
          }
          // Read again meanwhile (another window changed it): this page belongs to what was shown before.
          if (current.messages[0]?.id !== first.id) {
            patch(id, { older: 'idle' });
            return;
          }
          set((state) => {
            const conv = state.conversations[id];
            if (!conv) return {};
            const messages = [...got.value.messages, ...conv.messages];
            return { conversations: { ...state.conversations, [id]: { ...conv, messages, olderCount: got.value.olderCount, older: 'idle' } } };
          });
          if (!all) return;
        }
      },

      seed(conversation) {
        set((state) => ({
          conversations: {
            ...state.conversations,
            [conversation.id]: { ...emptyConversationChat(conversation.id, 'ready'), messages: conversation.messages },
          },
        }));
      },

      setDraft(id, text) {
        set((state) => ({ drafts: { ...state.drafts, [id]: text } }));
      },

      async send(id, text, attachments = []) {
        if (!canStart(id) || (text.trim() === '' && attachments.length === 0)) return false;
        patch(id, { busy: true, actionError: null });
        const result = await callApi(() =>
          getChatApi().chat.send({ conversationId: id, text, ...(attachments.length > 0 ? { attachments } : {}) }),
        );
        if (!result.ok) {
          patch(id, { busy: false, actionError: result.error });
          return false;
        }
        const { streamId, userMessage, assistantMessage } = result.value;
        startReply(id, (current) => [...current, userMessage, assistantMessage], streamId, assistantMessage);
        return true;
      },

      async stop(id) {
        const conv = get().conversations[id];
        const stream = conv?.stream;
        if (!conv || !stream) return;
        // The user sees the reply stop at once; main aborts the request and confirms with the final event.
        set((state) => {
          const current = state.conversations[id];
          if (!current || current.stream?.streamId !== stream.streamId) return {};
          const index = lastIndexOfId(current.messages, stream.messageId);
          const messages = current.messages.slice();
          const message = messages[index];
          if (message?.status === 'streaming') messages[index] = { ...message, status: 'stopped' };
          return {
            conversations: { ...state.conversations, [id]: { ...current, messages, stream: null } },
            lastFinished: {
              conversationId: id,
              messageId: stream.messageId,
              status: 'stopped',
              preview: message?.content.slice(0, PREVIEW_LENGTH) ?? '',
              seq: ++seq,
            },
          };
        });
        await callApi(() => getChatApi().chat.stop({ conversationId: id }));
      },

      async regenerate(id, without) {
        if (!canStart(id)) return false;
        patch(id, { busy: true, actionError: null });
        const result = await callApi(() =>
          without === undefined
            ? getChatApi().chat.regenerate({ conversationId: id })
            : getChatApi().chat.sendWithout({ conversationId: id, parameter: without }),
        );
        if (!result.ok) {
          patch(id, { busy: false, actionError: result.error });
          return false;
        }
        const { streamId, assistantMessage } = result.value;
        startReply(
          id,
          (current) => [...withoutTrailingReplies(current).filter((m) => m.id !== assistantMessage.id), assistantMessage],
          streamId,
          assistantMessage,
        );
        return true;
      },

      async editAndResend(id, messageId, text) {
        // A message with attachments keeps them (main does), so its text may be left empty.
        const attached = get().conversations[id]?.messages.find((m) => m.id === messageId)?.attachments?.length ?? 0;
        if (!canStart(id) || (text.trim() === '' && attached === 0)) return false;
        patch(id, { busy: true, actionError: null });
        const result = await callApi(() =>
          getChatApi().chat.editAndResend({ conversationId: id, messageId, text }),
        );
        if (!result.ok) {
          patch(id, { busy: false, actionError: result.error });
          return false;
        }
        const { streamId, userMessage, assistantMessage } = result.value;
        startReply(
          id,
          (current) => {
            const i = current.findIndex((m) => m.id === messageId);
            return [...(i < 0 ? current : current.slice(0, i)), userMessage, assistantMessage];
          },
          streamId,
          assistantMessage,
        );
        return true;
      },

      dismissActionError(id) {
        if (get().conversations[id]?.actionError) patch(id, { actionError: null });
      },

      receive(event) {
        queue.push(event);
        if (scheduled) return;
        const sinceFlush = now() - lastFlush;
        // A clock that went back (the wall clock was set) counts as busy: the frame comes soon anyway.
        if (sinceFlush >= EVENT_FRAME_MS) {
          get().flush();
          return;
        }
        scheduled = true;
        schedule(() => get().flush());
      },

      flush() {
        scheduled = false;
        if (queue.length === 0) return;
        lastFlush = now();
        const events = queue;
        queue = [];
        const byConversation = new Map<string, ChatStreamEvent[]>();
        for (const ev of events) {
          const list = byConversation.get(ev.conversationId);
          if (list) list.push(ev);
          else byConversation.set(ev.conversationId, [ev]);
        }
        set((state) => {
          const results = [];
          for (const [id, list] of byConversation) {
            // A conversation this window never opened is read fresh (with chat:attach) when it is opened.
            const conv = state.conversations[id];
            if (conv) results.push(applyStreamEvents(conv, list, now()));
          }
          return results.length ? commit(state, results) : {};
        });
      },

      saveStateChanged({ conversationId, messageId, saved, reason }) {
        const conv = get().conversations[conversationId];
        if (!conv || !conv.messages.some((m) => m.id === messageId)) return;
        const messages = conv.messages.map((m) => {
          if (m.id !== messageId) return m;
          if (saved) {
            const { unsaved: _unsaved, ...rest } = m;
            return rest;
          }
          return { ...m, unsaved: reason ?? 'write-failed' };
        });
        patch(conversationId, { messages });
      },
      conversationChanged({ summary, deletedId }) {
        if (deletedId) {
          set((state) => {
            const conversations = { ...state.conversations };
            const drafts = { ...state.drafts };
            delete conversations[deletedId];
            delete drafts[deletedId];
            return { conversations, drafts };
          });
        }
        if (summary) {
          const conv = get().conversations[summary.id];
          // Our own turns change the count too, but only while busy or streaming; a difference at rest means
          // another window changed this conversation.
          if (
            conv &&
            conv.loadStatus === 'ready' &&
            !conv.busy &&
            !conv.stream &&
            summary.messageCount !== conv.olderCount + conv.messages.length
          ) {
            patch(summary.id, { stale: true });
          }
        }
      },
    };
  });

  return {
    ...store,
    startSync() {
      const on = (options.events ?? getApi)().on;
      const stops = [
        on('chat:event', (event) => store.getState().receive(event)),
        on('chat:saveState', (state) => store.getState().saveStateChanged(state)),
      ];
      return () => stops.forEach((stop) => stop());
    },
  };
}

export const chatStore = createChatStore(getApi);

export function useChatStore<T>(selector: (state: ChatState) => T): T {
  return useStore(chatStore, selector);
}
