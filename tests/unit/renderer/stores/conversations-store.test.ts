import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../../shared/models/conversation';
import type { SwitchboardApi } from '../../../../shared/ipc/window-api';
import {
  createConversationsStore,
  filterByTitle,
  sortByActivity,
} from '../../../../renderer/stores/conversations-store';

function summary(id: string, title: string, updatedAt: string): ConversationSummary {
  return { id, title, providerId: null, model: '', createdAt: updatedAt, updatedAt, messageCount: 0 };
}

const a = summary('a', 'Alpha notes', '2026-01-01T10:00:00.000Z');
const b = summary('b', 'Beta plan', '2026-01-03T10:00:00.000Z');
const c = summary('c', '旅行計畫 Ｔｒｉｐ', '2026-01-02T10:00:00.000Z');

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

function api(list: ConversationSummary[]): Pick<SwitchboardApi, 'conversations'> {
  const missing = () => Promise.reject(new Error('not scripted'));
  return {
    conversations: {
      list: async () => ({ ok: true, value: list }),
      get: missing,
      messages: missing,
      create: missing,
      rename: missing,
      setProvider: missing,
      setSettings: missing,
      setFallbacks: missing,
      setTools: missing,
      delete: async () => ({ ok: true, value: { remoteThreadDeleted: false } }),
    },
  };
}

describe('conversations store', () => {
  it('lists by last activity and reopens the conversation that was open before a reload', async () => {
    const storage = memoryStorage({ 'switchboard.chat.activeConversation': 'c' });
    const store = createConversationsStore(() => api([a, b, c]), storage);
    await store.getState().load();
    expect(store.getState().summaries.map((s) => s.id)).toEqual(['b', 'c', 'a']);
    expect(store.getState().activeId).toBe('c');
  });

  it('opens the most recent conversation when the remembered one is gone', async () => {
    const storage = memoryStorage({ 'switchboard.chat.activeConversation': 'deleted' });
    const store = createConversationsStore(() => api([a, b]), storage);
    await store.getState().load();
    expect(store.getState().activeId).toBe('b');
    expect(storage.data.get('switchboard.chat.activeConversation')).toBe('b');
  });

  it('moves a conversation with new activity to the top, and opens a neighbour when the open one is deleted', async () => {
    const store = createConversationsStore(() => api([a, b, c]), memoryStorage());
    await store.getState().load();
    store.getState().apply({ summary: { ...a, updatedAt: '2026-02-01T00:00:00.000Z' } });
    expect(store.getState().summaries.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    store.getState().setActive('b');
    await store.getState().remove('b', false);
    expect(store.getState().summaries.map((s) => s.id)).toEqual(['a', 'c']);
    expect(store.getState().activeId).toBe('c');
  });

  it('searches titles ignoring case and full-width forms', () => {
    const sorted = sortByActivity([a, b, c]);
    expect(filterByTitle(sorted, 'PLAN').map((s) => s.id)).toEqual(['b']);
    expect(filterByTitle(sorted, 'trip').map((s) => s.id)).toEqual(['c']);
    expect(filterByTitle(sorted, '旅行').map((s) => s.id)).toEqual(['c']);
    expect(filterByTitle(sorted, '  ')).toBe(sorted);
  });
});
