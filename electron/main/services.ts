/**
 * Builds every main-process service from what the composition root hands in (data dir, fetch, secret
 * store, config-file factory, event sink, shell) and returns the IPC handlers. The Electron app
 * (electron/main/index.ts), the browser host and the integration tests all call this, so they run the
 * same code; nothing here imports `electron`.
 */
import type { AppInfo } from '../../shared/models/preferences';
import type { AppShell } from './app-shell';
import { AppService } from './app-service';
import { ConfigStore, type JsonFileStoreFactory } from './config/config-store';
import type { Handlers } from './ipc/dispatcher';
import type { EventSink } from './ipc/events';
import type { Logger } from './logger';
import type { SecretStore } from './secrets/secret-store';

export interface ServiceDeps {
  /** All app data (config, conversations) lives under this directory. */
  dataDir: string;
  /** Electron's net.fetch in the app (system proxy and certificates); Node's fetch in tests. */
  fetch: typeof globalThis.fetch;
  /** The OS keychain store (keytar). */
  secretStore: SecretStore;
  createStore: JsonFileStoreFactory;
  events: EventSink;
  shell: AppShell;
  info: AppInfo;
  log: Logger;
  now?: () => Date;
}

export interface Services {
  handlers: Partial<Handlers>;
  config: ConfigStore;
  /** Stops streams and flushes pending writes; called before the app quits. */
  dispose(): Promise<void>;
}

export function createServices(deps: ServiceDeps): Services {
  const config = new ConfigStore({ dataDir: deps.dataDir, createStore: deps.createStore, log: deps.log, now: deps.now });
  const app = new AppService({ info: deps.info, shell: deps.shell, config, events: deps.events });

  const handlers: Partial<Handlers> = {
    ...app.handlers(),
  };

  return {
    handlers,
    config,
    async dispose() {},
  };
}
