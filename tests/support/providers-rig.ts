/**
 * A provider-settings test rig: the real services (createServices) over a temp data dir and the IPC
 * dispatcher, as the Settings window calls them. The secret store is whatever the test hands in: the real
 * keychain (keytar) in the keychain tests, an in-memory SecretStore elsewhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChannelName, ChannelResult } from '../../shared/ipc/contract';
import type { ProviderDraft } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { createDispatcher } from '../../electron/main/ipc/dispatcher';
import { createRecordingEventSink } from '../../electron/main/ipc/events';
import { createMemoryLogger } from '../../electron/main/logger';
import { SessionSecretStore } from '../../electron/main/secrets/key-vault';
import type { SecretStore } from '../../electron/main/secrets/secret-store';
import { createServices, type Services } from '../../electron/main/services';
import { createConfStore } from '../../electron/main/config/conf-store';

export interface ProvidersRig {
  dataDir: string;
  services: Services;
  events: ReturnType<typeof createRecordingEventSink>;
  log: ReturnType<typeof createMemoryLogger>;
  secrets: SecretStore;
  call<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelResult<C>>;
  /** Calls a channel that is expected to fail and returns its AppError. */
  fail(channel: ChannelName, input: unknown): Promise<AppError>;
  restart(): ProvidersRig;
}

export function startProvidersRig(options: { secrets?: SecretStore; dataDir?: string; connectTimeoutMs?: number } = {}): ProvidersRig {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sb-providers-'));
  const secrets = options.secrets ?? new SessionSecretStore();
  const events = createRecordingEventSink();
  const log = createMemoryLogger();
  const services = createServices({
    dataDir,
    fetch: globalThis.fetch,
    secretStore: secrets,
    createStore: createConfStore,
    events,
    shell: { openSettings() {}, openChat() {}, async openInBrowser() {}, windowReady() {} },
    info: { name: 'Switchboard', version: 'test', platform: process.platform, systemLocale: 'en-US', runtime: 'browser' },
    log,
    providers: { connectTimeoutMs: options.connectTimeoutMs ?? 5000 },
  });
  const dispatcher = createDispatcher(services.handlers, log);
  const ctx = { windowId: 7, windowKind: 'settings' as const };
  const rig: ProvidersRig = {
    dataDir,
    services,
    events,
    log,
    secrets,
    async call<C extends ChannelName>(channel: C, input: unknown) {
      const result = await dispatcher.dispatch(channel, input, ctx);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as ChannelResult<C>;
    },
    async fail(channel, input) {
      const result = await dispatcher.dispatch(channel, input, ctx);
      if (result.ok) throw new Error(`${channel} was expected to fail but returned ${JSON.stringify(result.value)}`);
      return result.error;
    },
    restart() {
      return startProvidersRig({ ...options, secrets, dataDir });
    },
  };
  return rig;
}

export function draft(patch: Partial<ProviderDraft> = {}): ProviderDraft {
  return {
    type: 'openai-compatible',
    name: 'Test server',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: '',
    assistantId: '',
    customHeaders: [],
    apiKey: { action: 'keep' },
    ...patch,
  };
}

/** Every file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}
