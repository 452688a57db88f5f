/**
 * The sandboxed preload: exposes `window.switchboard` with one named function per contract channel
 * (`api.providers.save(draft)`) and `api.on(event, listener)` that returns an unsubscribe function.
 * Never `ipcRenderer` itself, never the IPC event object.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES, WINDOW_API_GLOBAL } from '../../shared/ipc/channels';
import { splitChannel } from '../../shared/ipc/window-api';

const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAMES) {
  const [domain, verb] = splitChannel(channel);
  const group = (api[domain] ??= {}) as Record<string, (input?: unknown) => Promise<unknown>>;
  group[verb] = (input?: unknown) => ipcRenderer.invoke(channel, input);
}

const events = new Set<string>(EVENT_NAMES);
api.on = (event: string, listener: (payload: unknown) => void): (() => void) => {
  if (!events.has(event) || typeof listener !== 'function') throw new Error(`Unknown event: ${String(event)}`);
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => {
    ipcRenderer.removeListener(event, wrapped);
  };
};

contextBridge.exposeInMainWorld(WINDOW_API_GLOBAL, api);
