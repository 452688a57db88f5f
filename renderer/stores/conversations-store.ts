/**
 * The conversation list (summaries only: titles, provider, model, last activity) and which conversation
 * the window shows. Kept in sync with main through `conversations:changed`, which main broadcasts for every
 * create, rename, re-target, update and delete, from any window.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayloads } from '../../shared/ipc/contract';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import { summarizeConversation, type Conversation, type ConversationSummary } from '../../shared/models/conversation';
import type { AppError, Result } from '../../shared/result';
import { callApi, getApi } from '../lib/api';

type ConversationsApi = Pick<SwitchboardApi, 'conversations'>;
type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ConversationsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadError: AppError | null;
  /** Most recent activity first. */
  summaries: ConversationSummary[];
  activeId: string | null;
  load(): Promise<void>;
  apply(change: EventPayloads['conversations:changed']): void;
  setActive(id: string | null): void;
  /** Creates a conversation and lists it; the caller decides when to show it (`setActive`). */
  create(options?: { providerId?: string; model?: string }): Promise<Result<Conversation>>;
  rename(id: string, title: string): Promise<Result<ConversationSummary>>;
  remove(
    id: string,
    deleteRemoteThread: boolean,
  ): Promise<Result<{ remoteThreadDeleted: boolean; remoteError?: AppError }>>;
  setProvider(id: string, providerId: string, model: string): Promise<Result<ConversationSummary>>;
}

/** Where the open conversation is remembered, so a reload shows the same one. */
const ACTIVE_KEY = 'switchboard.chat.activeConversation';

function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
}

export function sortByActivity(summaries: readonly ConversationSummary[]): ConversationSummary[] {
  return [...summaries].sort(byActivity);
}

function upsert(summaries: readonly ConversationSummary[], summary: ConversationSummary): ConversationSummary[] {
  const rest = summaries.filter((s) => s.id !== summary.id);
  // Insert in place rather than re-sorting the whole list on every update of a long list.
  const at = rest.findIndex((s) => byActivity(summary, s) <= 0);
  if (at < 0) return [...rest, summary];
  return [...rest.slice(0, at), summary, ...rest.slice(at)];
}

/** Case- and width-insensitive title search (full-width letters match their ASCII form). */
export function filterByTitle(summaries: readonly ConversationSummary[], query: string): readonly ConversationSummary[] {
  const q = query.normalize('NFKC').trim().toLocaleLowerCase();
  if (!q) return summaries;
  return summaries.filter((s) => s.title.normalize('NFKC').toLocaleLowerCase().includes(q));
}


function defaultStorage(): KeyValueStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export type ConversationsStore = StoreApi<ConversationsState>;

export function createConversationsStore(
  getConversationsApi: () => ConversationsApi,
  storage: KeyValueStorage | null = defaultStorage(),
): ConversationsStore {
  let generation = 0;
  const remember = (id: string | null) => {
    try {
      if (id) storage?.setItem(ACTIVE_KEY, id);
      else storage?.removeItem(ACTIVE_KEY);
    } catch {
      // Storage full or disabled: the window then opens the most recent conversation after a reload.
    }
  };

  return createStore<ConversationsState>()((set, get) => ({
    status: 'idle',
    loadError: null,
    summaries: [],
    activeId: null,

    async load() {
      const mine = ++generation;
      if (get().status !== 'ready') set({ status: 'loading', loadError: null });
      const result = await callApi(() => getConversationsApi().conversations.list());
      if (mine !== generation) return;
      if (!result.ok) {
        set({ status: 'error', loadError: result.error });
        return;
      }
      const summaries = sortByActivity(result.value);
      let activeId = get().activeId;
      if (!activeId || !summaries.some((s) => s.id === activeId)) {
        let saved: string | null = null;
        try {
          saved = storage?.getItem(ACTIVE_KEY) ?? null;
        } catch {
          saved = null;
        }
        activeId = saved && summaries.some((s) => s.id === saved) ? saved : (summaries[0]?.id ?? null);
      }
      remember(activeId);
      set({ status: 'ready', loadError: null, summaries, activeId });
    },

    apply({ summary, deletedId }) {
      // A list request still in flight would overwrite this newer state.
      generation++;
      let { summaries, activeId } = get();
      if (deletedId) {
        const index = summaries.findIndex((s) => s.id === deletedId);
        summaries = summaries.filter((s) => s.id !== deletedId);
        if (activeId === deletedId) {
          activeId = summaries[Math.min(Math.max(index, 0), summaries.length - 1)]?.id ?? null;
          remember(activeId);
        }
      }
      if (summary) summaries = upsert(summaries, summary);
      set({ summaries, activeId });
    },

    setActive(id) {
      remember(id);
      set({ activeId: id });
    },

    async create(options) {
      const result = await callApi(() => getConversationsApi().conversations.create(options));
      if (result.ok) get().apply({ summary: summarizeConversation(result.value) });
      return result;
    },

    async rename(id, title) {
      const result = await callApi(() => getConversationsApi().conversations.rename({ id, title }));
      if (result.ok) get().apply({ summary: result.value });
      return result;
    },

    async remove(id, deleteRemoteThread) {
      const result = await callApi(() =>
        getConversationsApi().conversations.delete(deleteRemoteThread ? { id, deleteRemoteThread } : { id }),
      );
      if (result.ok) get().apply({ deletedId: id });
      return result;
    },

    async setProvider(id, providerId, model) {
      const result = await callApi(() => getConversationsApi().conversations.setProvider({ id, providerId, model }));
      if (result.ok) get().apply({ summary: result.value });
      return result;
    },
  }));
}

export const conversationsStore = createConversationsStore(getApi);

export function useConversationsStore<T>(selector: (state: ConversationsState) => T): T {
  return useStore(conversationsStore, selector);
}
