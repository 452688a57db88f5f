/**
 * The providers store against a stand-in for the window API (the Electron edge): it follows main's list,
 * never lets an older answer overwrite a newer broadcast, and keeps the list as it was when a call fails.
 */
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayloads } from '../../../../shared/ipc/contract';
import type { SwitchboardApi } from '../../../../shared/ipc/window-api';
import type { KeychainStatus, ProviderList, ProviderView } from '../../../../shared/models/provider';
import type { Result } from '../../../../shared/result';
import { createProvidersStore } from '../../../../renderer/stores/providers-store';

const keychain: KeychainStatus = { state: 'available', message: null, detail: null, sessionOnly: false };

function view(id: string, name = id): ProviderView {
  return {
    id,
    type: 'openai-compatible',
    name,
    baseUrl: 'http://localhost:1234/v1',
    model: '',
    assistantId: '',
    customHeaders: [],
    runTimeoutMs: 300_000,
    createdAt: '',
    updatedAt: '',
    hasApiKey: false,
    apiKeyHint: null,
    keyLocation: 'none',
  keys: [],
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeApi() {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const listCalls: ReturnType<typeof deferred<Result<ProviderList>>>[] = [];
  const api = {
    providers: {
      list: () => {
        const d = deferred<Result<ProviderList>>();
        listCalls.push(d);
        return d.promise;
      },
      save: async (draft: { id?: string; name: string }): Promise<Result<ProviderView>> =>
        draft.name === 'bad'
          ? { ok: false, error: { code: 'VALIDATION', message: 'Name is required.', fields: { name: { code: 'NAME_REQUIRED', message: 'x' } } } }
          : { ok: true, value: view(draft.id ?? 'new', draft.name) },
      delete: async (): Promise<Result<void>> => ({ ok: true, value: undefined }),
      duplicate: async ({ id }: { id: string }): Promise<Result<ProviderView>> => ({ ok: true, value: view(`${id}-copy`) }),
      setSessionOnlyKeys: async ({ enabled }: { enabled: boolean }): Promise<Result<KeychainStatus>> => ({
        ok: true,
        value: { ...keychain, state: 'unavailable', sessionOnly: enabled },
      }),
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]) =>
    listeners.get(event)?.forEach((l) => (l as (p: EventPayloads[E]) => void)(payload));
  return { api: api as unknown as Pick<SwitchboardApi, 'providers' | 'on'>, emit, listCalls, listeners };
}

describe('providers store', () => {
  it('loads once for all subscribers, follows providers:changed, and unsubscribes when the last one stops', async () => {
    const { api, emit, listCalls, listeners } = fakeApi();
    const store = createProvidersStore(() => api);
    const stopA = store.startSync();
    const stopB = store.startSync();
    expect(listCalls).toHaveLength(1);
    expect(store.getState().status).toBe('loading');

    listCalls[0]!.resolve({ ok: true, value: { providers: [view('a')], keychain } });
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState()).toMatchObject({ status: 'ready', providers: [view('a')] });

    emit('providers:changed', { providers: [view('a'), view('b')], keychain });
    expect(store.getState().providers.map((p) => p.id)).toEqual(['a', 'b']);

    stopA();
    stopA();
    expect(listeners.get('providers:changed')?.size).toBe(1);
    stopB();
    expect(listeners.get('providers:changed')?.size).toBe(0);
  });

  it('never lets a list that was requested earlier overwrite a newer broadcast', async () => {
    const { api, emit, listCalls } = fakeApi();
    const store = createProvidersStore(() => api);
    store.startSync();
    emit('providers:changed', { providers: [view('newer')], keychain });
    listCalls[0]!.resolve({ ok: true, value: { providers: [view('older')], keychain } });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().providers.map((p) => p.id)).toEqual(['newer']);
  });

  it('reports a failed load as an error the window can retry', async () => {
    const { api, listCalls } = fakeApi();
    const store = createProvidersStore(() => api);
    store.startSync();
    listCalls[0]!.resolve({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState()).toMatchObject({ status: 'error', loadError: { code: 'INTERNAL' } });
    const retry = store.getState().load();
    listCalls[1]!.resolve({ ok: true, value: { providers: [], keychain } });
    await retry;
    expect(store.getState()).toMatchObject({ status: 'ready', loadError: null });
  });

  it('applies what main answered to save, duplicate, delete and the session-only choice, and nothing on failure', async () => {
    const { api } = fakeApi();
    const store = createProvidersStore(() => api);
    store.getState().apply({ providers: [view('a')], keychain });

    const saved = await store.getState().save({ id: 'a', type: 'openai-compatible', name: 'Renamed', baseUrl: '', model: '', assistantId: '', customHeaders: [], apiKey: { action: 'keep' } });
    expect(saved.ok).toBe(true);
    expect(store.getState().providers.map((p) => p.name)).toEqual(['Renamed']);

    const failed = await store.getState().save({ type: 'openai-compatible', name: 'bad', baseUrl: '', model: '', assistantId: '', customHeaders: [], apiKey: { action: 'keep' } });
    expect(failed).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { name: { code: 'NAME_REQUIRED' } } } });
    expect(store.getState().providers).toHaveLength(1);

    await store.getState().duplicate('a');
    expect(store.getState().providers.map((p) => p.id)).toEqual(['a', 'a-copy']);
    await store.getState().remove('a');
    expect(store.getState().providers.map((p) => p.id)).toEqual(['a-copy']);
    await store.getState().setSessionOnlyKeys(true);
    expect(store.getState().keychain).toMatchObject({ sessionOnly: true });
  });
});
