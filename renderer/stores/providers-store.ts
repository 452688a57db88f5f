/**
 * Provider configs as the renderer knows them (never a key: only `hasApiKey` and a masked hint), kept in
 * sync with main. Both windows use it: Settings edits through it, the Chat window lists providers from it.
 * `startProvidersSync()` loads the list once and follows `providers:changed`, which main broadcasts after
 * any change from any window, so every window converges on main's list.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput } from '../../shared/ipc/contract';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import type { KeychainStatus, ProviderList, ProviderView } from '../../shared/models/provider';
import type { AppError, Result } from '../../shared/result';
import { getApi } from '../lib/api';

export type ProvidersLoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ProvidersState {
  status: ProvidersLoadStatus;
  providers: ProviderView[];
  keychain: KeychainStatus | null;
  loadError: AppError | null;
  /** Fetches the list from main; safe to call again (e.g. a Retry button). */
  load(): Promise<void>;
  /** Replaces the whole list with main's (the `providers:changed` payload). */
  apply(list: ProviderList): void;
  save(draft: ChannelInput<'providers:save'>): Promise<Result<ProviderView>>;
  remove(id: string): Promise<Result<void>>;
  duplicate(id: string): Promise<Result<ProviderView>>;
  setSessionOnlyKeys(enabled: boolean): Promise<Result<KeychainStatus>>;
}

type ProvidersApi = Pick<SwitchboardApi, 'providers' | 'on'>;

export type ProvidersStore = StoreApi<ProvidersState> & {
  /** Loads once and follows `providers:changed`; returns the unsubscribe function. */
  startSync(): () => void;
};

function upsert(providers: ProviderView[], view: ProviderView): ProviderView[] {
  const i = providers.findIndex((p) => p.id === view.id);
  if (i < 0) return [...providers, view];
  const next = [...providers];
  next[i] = view;
  return next;
}

export function createProvidersStore(getProvidersApi: () => ProvidersApi): ProvidersStore {
  // A load that started before a newer list arrived must not overwrite it.
  let generation = 0;

  const store = createStore<ProvidersState>()((set, get) => ({
    status: 'idle',
    providers: [],
    keychain: null,
    loadError: null,

    async load() {
      const mine = ++generation;
      if (get().status !== 'ready') set({ status: 'loading', loadError: null });
      let result: Result<ProviderList>;
      try {
        result = await getProvidersApi().providers.list();
      } catch (error) {
        result = {
          ok: false,
          error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
        };
      }
      if (mine !== generation) return;
      if (result.ok) get().apply(result.value);
      else set({ status: 'error', loadError: result.error });
    },

    apply(list) {
      generation++;
      set({ status: 'ready', providers: list.providers, keychain: list.keychain, loadError: null });
    },

    async save(draft) {
      const result = await getProvidersApi().providers.save(draft);
      if (result.ok) set({ providers: upsert(get().providers, result.value) });
      return result;
    },

    async remove(id) {
      const result = await getProvidersApi().providers.delete({ id });
      if (result.ok) set({ providers: get().providers.filter((p) => p.id !== id) });
      return result;
    },

    async duplicate(id) {
      const result = await getProvidersApi().providers.duplicate({ id });
      if (result.ok) set({ providers: upsert(get().providers, result.value) });
      return result;
    },

    async setSessionOnlyKeys(enabled) {
      const result = await getProvidersApi().providers.setSessionOnlyKeys({ enabled });
      if (result.ok) set({ keychain: result.value });
      return result;
    },
  }));

  let subscribers = 0;
  let unsubscribeEvent: (() => void) | null = null;

  return {
    ...store,
    startSync() {
      subscribers++;
      if (subscribers === 1) {
        // Subscribe before loading so a change made while the list is in flight is not missed.
        unsubscribeEvent = getProvidersApi().on('providers:changed', (list) => store.getState().apply(list));
        void store.getState().load();
      }
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        subscribers--;
        if (subscribers === 0) {
          unsubscribeEvent?.();
          unsubscribeEvent = null;
        }
      };
    },
  };
}

/** The store both windows share (one per window: each window is its own page). */
export const providersStore = createProvidersStore(getApi);

export function useProvidersStore<T>(selector: (state: ProvidersState) => T): T {
  return useStore(providersStore, selector);
}

/** Starts following main's provider list; call from an effect and return its result as the cleanup. */
export function startProvidersSync(): () => void {
  return providersStore.startSync();
}
