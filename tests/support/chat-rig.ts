/**
 * A chat test rig: the real services (createServices) over a temp data dir, Node's fetch, an in-memory
 * secret store, a recording event sink and the IPC dispatcher, pointed at the local OpenAI-compatible
 * server. Helpers replay the `chat:event` stream the way a window would, so tests see what a user sees.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChannelName, ChannelResult } from '../../shared/ipc/contract';
import type { ChatStreamEvent } from '../../shared/models/chat-event';
import type { ProviderConfig } from '../../shared/models/provider';
import type { AppError, Result } from '../../shared/result';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from '../fixtures/openai-server/index.js';
import { createDispatcher, type Dispatcher } from '../../electron/main/ipc/dispatcher';
import { createRecordingEventSink } from '../../electron/main/ipc/events';
import { createMemoryLogger } from '../../electron/main/logger';
import type { SecretStore } from '../../electron/main/secrets/secret-store';
import { createServices, type ServiceDeps, type Services } from '../../electron/main/services';
import { createConfStore } from '../../electron/main/config/conf-store';

export function memorySecretStore(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    async get(account) {
      return values.get(account) ?? null;
    },
    async set(account, secret) {
      values.set(account, secret);
    },
    async delete(account) {
      return values.delete(account);
    },
  };
}

/** Calls made as this window id come from the Settings window (the others from a Chat window). */
export const SETTINGS_WINDOW_ID = 1000;

export interface RigOptions {
  dataDir?: string;
  secretStore?: ReturnType<typeof memorySecretStore>;
  http?: ServiceDeps['http'];
  chat?: ServiceDeps['chat'];
  assistant?: ServiceDeps['assistant'];
  fetch?: typeof globalThis.fetch;
  /** The config file store (default conf, as in the browser host); tests wrap it to inject write failures. */
  createStore?: ServiceDeps['createStore'];
  /** MCP tuning (short timeouts and back-off). */
  mcp?: ServiceDeps['mcp'];
  /** Key health clock and save delay. */
  keyHealth?: ServiceDeps['keyHealth'];
}

export interface Rig {
  dataDir: string;
  services: Services;
  dispatcher: Dispatcher;
  events: ReturnType<typeof createRecordingEventSink>;
  secrets: ReturnType<typeof memorySecretStore>;
  log: ReturnType<typeof createMemoryLogger>;
  /** Calls a channel through the dispatcher as window `windowId` (default 1) and unwraps the Result. */
  call<C extends ChannelName>(channel: C, input: unknown, windowId?: number): Promise<ChannelResult<C>>;
  /** Calls a channel and returns the raw Result (for expected failures). */
  raw(channel: ChannelName, input: unknown, windowId?: number): Promise<Result<unknown>>;
  addProvider(overrides?: Partial<ProviderConfig>, apiKey?: string | null): ProviderConfig;
  /** The chat events one stream sent, in order. */
  streamEvents(streamId: string, windowId?: number): ChatStreamEvent[];
  /** Waits for the stream's final event and returns what a window would show. */
  finished(streamId: string, windowId?: number): Promise<ReplayedStream>;
  /** Restarts the services on the same data dir and keychain (an app restart). */
  restart(): Promise<Rig>;
  close(): Promise<void>;
}

export interface ReplayedStream {
  content: string;
  reasoning: string;
  final: NonNullable<ChatStreamEvent['final']>;
  events: ChatStreamEvent[];
  retryWaits: NonNullable<ChatStreamEvent['retryWait']>[];
  usage?: ChatStreamEvent['usage'];
}

/** Applies events the way the renderer does: replace first, then append. */
export function replay(events: ChatStreamEvent[]): Omit<ReplayedStream, 'final'> & { final?: ChatStreamEvent['final'] } {
  let content = '';
  let reasoning = '';
  let final: ChatStreamEvent['final'];
  let usage: ChatStreamEvent['usage'];
  const retryWaits: NonNullable<ChatStreamEvent['retryWait']>[] = [];
  for (const e of events) {
    if (e.replaceContent !== undefined) content = e.replaceContent;
    if (e.replaceReasoning !== undefined) reasoning = e.replaceReasoning;
    if (e.contentDelta) content += e.contentDelta;
    if (e.reasoningDelta) reasoning += e.reasoningDelta;
    if (e.retryWait) retryWaits.push(e.retryWait);
    if (e.usage) usage = e.usage;
    if (e.final) final = e.final;
  }
  return { content, reasoning, final, events, retryWaits, ...(usage ? { usage } : {}) };
}

export async function waitUntil<T>(check: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function startRig(options: RigOptions = {}): Rig {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sb-chat-'));
  const secrets = options.secretStore ?? memorySecretStore();
  const events = createRecordingEventSink();
  const log = createMemoryLogger();
  const services = createServices({
    dataDir,
    fetch: options.fetch ?? globalThis.fetch,
    secretStore: secrets,
    createStore: options.createStore ?? createConfStore,
    events,
    shell: { openSettings() {}, openChat() {}, async openInBrowser() {}, windowReady() {} },
    info: { name: 'Switchboard', version: 'test', platform: process.platform, systemLocale: 'en-US', runtime: 'browser' },
    log,
    http: { connectTimeoutMs: 5000, idleTimeoutMs: 5000, ...options.http },
    chat: { persistIntervalMs: 50, ...options.chat },
    ...(options.assistant ? { assistant: options.assistant } : {}),
    ...(options.mcp ? { mcp: options.mcp } : {}),
    ...(options.keyHealth ? { keyHealth: options.keyHealth } : {}),
  });
  const dispatcher = createDispatcher(services.handlers, log);
  const ctx = (windowId: number) => ({ windowId, windowKind: windowId === SETTINGS_WINDOW_ID ? ('settings' as const) : ('chat' as const) });

  const rig: Rig = {
    dataDir,
    services,
    dispatcher,
    events,
    secrets,
    log,
    async call<C extends ChannelName>(channel: C, input: unknown, windowId = 1) {
      const result = await dispatcher.dispatch(channel, input, ctx(windowId));
      if (!result.ok) throw Object.assign(new Error(`${channel} failed: ${result.error.code} ${result.error.message}`), { appError: result.error });
      return result.value as ChannelResult<C>;
    },
    raw(channel, input, windowId = 1) {
      return dispatcher.dispatch(channel, input, ctx(windowId));
    },
    addProvider(overrides = {}, apiKey = null) {
      const now = new Date().toISOString();
      const provider: ProviderConfig = {
        id: `p-${Math.random().toString(36).slice(2, 10)}`,
        type: 'openai-compatible',
        name: 'Local test server',
        baseUrl: 'http://127.0.0.1:1/v1',
        model: 'gpt-4o-mini',
        assistantId: '',
        customHeaders: [],
        runTimeoutMs: 300_000,
        createdAt: now,
        updatedAt: now,
        ...overrides,
      };
      services.config.upsertProvider(provider);
      if (apiKey) secrets.values.set(provider.id, apiKey);
      return provider;
    },
    streamEvents(streamId, windowId) {
      return events.sent
        .filter((s) => s.event === 'chat:event' && (windowId === undefined || s.windowId === windowId))
        .map((s) => s.payload as ChatStreamEvent)
        .filter((e) => e.streamId === streamId);
    },
    async finished(streamId, windowId) {
      await waitUntil(() => rig.streamEvents(streamId, windowId).some((e) => e.final), 15_000, `the end of stream ${streamId}`);
      const replayed = replay(rig.streamEvents(streamId, windowId));
      return { ...replayed, final: replayed.final as NonNullable<ChatStreamEvent['final']> };
    },
    async restart() {
      await services.dispose();
      return startRig({ ...options, dataDir, secretStore: secrets });
    },
    async close() {
      await services.dispose();
    },
  };
  return rig;
}

export function errorOf(result: Result<unknown>): AppError {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value).slice(0, 200)}`);
  return result.error;
}

/**
 * For one test file: the local server, started once with `options`, and the rigs its tests start, each
 * closed after its test (with every `vi` spy restored and the server's faults and records reset). With
 * `checkRequests`, every test also ends by checking that no request broke the API spec (server.violations).
 */
export function localServerAndRigs(options: OpenAIServerOptions = {}, { checkRequests = false } = {}): {
  readonly server: OpenAIServer;
  rig(options?: RigOptions): Rig;
  /** Closes `rig` after the test too (a restarted rig). */
  keep(rig: Rig): Rig;
} {
  let server: OpenAIServer | undefined;
  const rigs: Rig[] = [];
  beforeAll(async () => {
    server = await startOpenAIServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const rig of rigs.splice(0)) await rig.close().catch(() => undefined);
    if (checkRequests) expect(server?.violations).toEqual([]);
    server?.reset();
  });
  return {
    get server() {
      if (!server) throw new Error('the local server is started in beforeAll');
      return server;
    },
    rig(rigOptions) {
      const rig = startRig(rigOptions);
      rigs.push(rig);
      return rig;
    },
    keep(rig) {
      rigs.push(rig);
      return rig;
    },
  };
}
