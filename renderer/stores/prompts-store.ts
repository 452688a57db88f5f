/**
 * The prompt library as this window knows it, kept in sync with main: loaded on first use, then replaced
 * by every `prompts:changed` broadcast, so an edit in one window shows in all of them. Edits go through
 * main; the list here is never changed locally.
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Prompt } from '../../shared/models/prompts';
import type { AppError } from '../../shared/result';
import { callApi, getApi } from '../lib/api';

export interface PromptsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  prompts: Prompt[];
  loadError: AppError | null;
}

export const promptsStore = createStore<PromptsState>()(() => ({ status: 'idle', prompts: [], loadError: null }));

let started = false;

/** Loads the library once per window and follows `prompts:changed`. */
export function startPromptsSync(): void {
  if (started) return;
  started = true;
  const api = getApi();
  let changed = false;
  api.on('prompts:changed', (prompts) => {
    changed = true;
    promptsStore.setState({ status: 'ready', prompts, loadError: null });
  });
  void loadPrompts().then(() => undefined);
  async function loadPrompts() {
    promptsStore.setState((s) => (s.status === 'ready' ? s : { ...s, status: 'loading' }));
    const result = await callApi(() => api.prompts.list());
    // A broadcast that arrived meanwhile is newer than this answer.
    if (changed) return;
    if (result.ok) promptsStore.setState({ status: 'ready', prompts: result.value, loadError: null });
    else promptsStore.setState({ status: 'error', loadError: result.error });
  }
}

/** The library, loading it on first use. */
export function usePrompts<T>(select: (s: PromptsState) => T): T {
  useEffect(() => startPromptsSync(), []);
  return useStore(promptsStore, select);
}
