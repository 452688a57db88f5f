/**
 * Builds every main-process service from what the composition root hands in (data dir, fetch, secret
 * store, config-file factory, event sink, shell) and returns the IPC handlers. The Electron app
 * (electron/main/index.ts), the browser host and the integration tests all call this, so they run the
 * same code; nothing here imports `electron`.
 */
import type { AppInfo, AppNotice } from '../../shared/models/preferences';
import type { AppShell } from './app-shell';
import { AppService } from './app-service';
import { ChatService } from './chat/chat-service';
import { ReplyRouter } from './chat/reply-router';
import { KeyHealthBook } from './providers/routing/key-pool';
import { KeyHealthFile } from './providers/routing/key-health-file';
import { NO_KEY_ID } from './providers/routing/failover-plan';
import { poolOf } from './providers/provider-key-pool';
import type { Timers } from './chat/event-coalescer';
import { ConfigStore, type JsonFileStoreFactory } from './config/config-store';
import { ConversationStore } from './conversations/conversation-store';
import { ArchiveService } from './archive/archive-service';
import { PromptLibrary } from './prompts/prompt-library';
import { SearchIndex } from './search/search-index';
import { AttachmentStore } from './attachments/attachment-store';
import { AttachmentService, attachmentIdsOf } from './attachments/attachment-service';
import type { Handlers } from './ipc/dispatcher';
import type { EventSink } from './ipc/events';
import type { Logger } from './logger';
import { createKinds, type KindDeps } from './providers/kinds';
import type { HttpDeps } from './providers/provider-kind';
import type { RateLimitOptions } from './providers/wire/rate-limit';
import type { SecretStore } from './secrets/secret-store';
import { KeyVault } from './secrets/key-vault';
import { ProviderService } from './providers/provider-service';
import { withRedirectPolicy } from './providers/wire/redirect-policy';
import { McpService, type McpServiceDeps } from './tools/mcp-service';

export interface ServiceDeps {
  /** All app data (config, conversations) lives under this directory. */
  dataDir: string;
  /** Notices the shell knows of at start-up, shown in every window like the others. */
  startupNotices?: AppNotice[];
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
  /** Network timeouts (tests pass short ones). */
  http?: Partial<Omit<HttpDeps, 'fetch'>>;
  /** Chat tuning (tests shorten 429 waits and save intervals). */
  chat?: Pick<RateLimitOptions, 'maxRateLimitRetries' | 'maxRetryWaitMs' | 'backoffMs' | 'sleep'> & {
    persistIntervalMs?: number;
    timers?: Timers;
    saveRetryDelaysMs?: readonly number[];
  };
  /** Assistant run polling (tests record the waits). */
  assistant?: KindDeps['assistant'];
  /** Test Connection / model list tuning (tests shorten the ~10 s connect bound). */
  providers?: { connectTimeoutMs?: number };
  /** Search index tuning: when it starts reading its file after start-up, how often it is saved. */
  search?: { startDelayMs?: number; saveDelayMs?: number };
  /** MCP tuning (tests shorten timeouts and back-off, or pass a stand-in connector). */
  mcp?: Pick<McpServiceDeps, 'connect' | 'timers' | 'startTimeoutMs' | 'restartDelaysMs' | 'callTimeoutMs' | 'maxRounds'>;
  /** Key health tuning: its clock (tests move it past a cooldown) and how soon a change is saved. */
  keyHealth?: { now?: () => number; saveDelayMs?: number };
  /** Attachment store tuning: when unused attachments are first collected, and how long an unsent one is kept. */
  attachments?: { collectDelayMs?: number; graceMs?: number; now?: () => number };
}

/** Headers may take long when a local server first loads a model; silence mid-stream is rarer. */
export const CHAT_CONNECT_TIMEOUT_MS = 60_000;
export const CHAT_IDLE_TIMEOUT_MS = 180_000;

function chatRetryOptions(chat: ServiceDeps['chat']): RateLimitOptions {
  if (!chat) return {};
  const { persistIntervalMs: _persist, timers: _timers, saveRetryDelaysMs: _saveRetries, ...retry } = chat;
  return retry;
}

export interface Services {
  handlers: Partial<Handlers>;
  config: ConfigStore;
  providers: ProviderService;
  mcp: McpService;
  /** Collects attachments no conversation references (tests and the bench call it directly). */
  collectAttachments(): Promise<number>;
  /** Stops streams and flushes pending writes; called before the app quits. */
  dispose(): Promise<void>;
}

export function createServices(deps: ServiceDeps): Services {
  // Every provider request follows redirects only within its origin (see providers/wire/redirect-policy.ts).
  const fetch = withRedirectPolicy(deps.fetch);
  const config = new ConfigStore({ dataDir: deps.dataDir, createStore: deps.createStore, log: deps.log, now: deps.now });
  const conversations = new ConversationStore({ dataDir: deps.dataDir, log: deps.log, now: deps.now });
  // Read the index (and stat every file) while the window is still loading, not after it asks for the
  // list: with 1,000 conversations that is ~100 ms off the time to show the list (npm run bench).
  // A failure stays in the store's ready promise and reaches the first caller, as before.
  void conversations.init().catch(() => undefined);
  // The search index follows every write; it is read (or rebuilt) once the window has opened, or at the
  // first search, so it never competes with showing the list.
  const search = new SearchIndex({ dataDir: deps.dataDir, store: conversations, log: deps.log, saveDelayMs: deps.search?.saveDelayMs });
  conversations.onChanged((change) => {
    if (change.conversation) search.conversationWritten(change.conversation);
    else search.conversationDeleted(change.deletedId);
  });
  const searchStart = setTimeout(() => void search.init(), deps.search?.startDelayMs ?? 2_000);
  searchStart.unref?.();
  // Attachments: stored once by content; unreferenced ones are collected a while after start-up and after
  // a conversation is deleted (each past a grace period, so one being composed stays).
  const attachmentStore = new AttachmentStore({
    dataDir: deps.dataDir,
    log: deps.log,
    ...(deps.attachments?.graceMs !== undefined ? { graceMs: deps.attachments.graceMs } : {}),
    ...(deps.attachments?.now ? { now: deps.attachments.now } : {}),
  });
  const attachments = new AttachmentService({
    store: attachmentStore,
    log: deps.log,
    referencedIds: async () => {
      const ids = new Set<string>();
      for (const summary of await conversations.list()) {
        try {
          attachmentIdsOf((await conversations.snapshot(summary.id)).messages, ids);
        } catch (error) {
          // An unreadable conversation may reference anything: collect nothing this time.
          throw new Error(`conversation ${summary.id} could not be read`, { cause: error });
        }
      }
      return ids;
    },
  });
  void attachmentStore.sweep();
  const collectStart = setTimeout(() => void attachments.collect(), deps.attachments?.collectDelayMs ?? 30_000);
  collectStart.unref?.();
  conversations.onChanged((change) => {
    if (!change.conversation) void attachments.collect();
  });
  const archive = new ArchiveService({ store: conversations, events: deps.events, shell: deps.shell, log: deps.log, now: deps.now });
  const prompts = new PromptLibrary({ dataDir: deps.dataDir, events: deps.events, shell: deps.shell, log: deps.log, now: deps.now });
  const startupNotices = [...prompts.notices, ...(deps.startupNotices ?? [])];
  const app = new AppService({
    info: deps.info,
    shell: deps.shell,
    config,
    events: deps.events,
    noticeSource: conversations,
    ...(startupNotices.length > 0 ? { startupNotices } : {}),
  });
  // Keys go through the vault so session-only keys (the user's explicit choice) reach every reader.
  const vault = new KeyVault({ keychain: deps.secretStore, log: deps.log });
  const http: HttpDeps = {
    fetch,
    connectTimeoutMs: deps.http?.connectTimeoutMs ?? CHAT_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: deps.http?.idleTimeoutMs ?? CHAT_IDLE_TIMEOUT_MS,
  };
  const kindOf = createKinds({
    http,
    rateLimit: { ...chatRetryOptions(deps.chat), ...(deps.now ? { now: deps.now } : {}) },
    log: deps.log,
    ...(deps.assistant ? { assistant: deps.assistant } : {}),
  });
  const healthNow = deps.keyHealth?.now ?? (deps.now ? () => (deps.now as () => Date)().getTime() : Date.now);
  const health = new KeyHealthBook(healthNow);
  // Rejected keys and cooldowns outlive a restart; a deleted provider's or key's health does not.
  const healthFile = new KeyHealthFile({
    dataDir: deps.dataDir,
    book: health,
    log: deps.log,
    now: healthNow,
    known: (providerId, keyId) => {
      const provider = config.getProvider(providerId);
      return provider !== undefined && (keyId === NO_KEY_ID || poolOf(provider).some((k) => k.id === keyId));
    },
    ...(deps.keyHealth?.saveDelayMs !== undefined ? { saveDelayMs: deps.keyHealth.saveDelayMs } : {}),
  });
  healthFile.start();
  const providers = new ProviderService({
    health,
    config,
    vault,
    kindOf,
    events: deps.events,
    fetch,
    log: deps.log,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.providers?.connectTimeoutMs !== undefined ? { connectTimeoutMs: deps.providers.connectTimeoutMs } : {}),
  });
  const mcp = new McpService({ dataDir: deps.dataDir, vault, conversations, events: deps.events, log: deps.log, ...deps.mcp });
  mcp.start();
  const chat = new ChatService({
    tools: mcp,
    store: conversations,
    config,
    kindOf,
    resolveProvider: (providerId) => providers.resolve(providerId),
    events: deps.events,
    deleteRemoteThread: (conversation) => providers.deleteRemoteState(conversation),
    router: new ReplyRouter({
      kindOf,
      config,
      resolveProvider: (providerId) => providers.resolve(providerId),
      health,
      log: deps.log,
      onHealthChanged: () => void providers.healthChanged(),
    }),
    log: deps.log,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.chat?.timers ? { timers: deps.chat.timers } : {}),
    ...(deps.chat?.persistIntervalMs !== undefined ? { persistIntervalMs: deps.chat.persistIntervalMs } : {}),
    ...(deps.chat?.saveRetryDelaysMs ? { saveRetryDelaysMs: deps.chat.saveRetryDelaysMs } : {}),
    attachments,
  });

  const handlers: Partial<Handlers> = {
    ...app.handlers(),
    ...providers.handlers(),
    ...chat.handlers(),
    ...archive.handlers(),
    ...prompts.handlers(),
    ...mcp.handlers(),
    'search:query': ({ query, sort, includeReasoning, limit }) => search.search(query, { sort, includeReasoning, limit }),
    'attachments:add': ({ name, data }) => attachments.add(name, data),
    'attachments:read': ({ id }) => attachments.read(id),
  };

  return {
    handlers,
    config,
    providers,
    mcp,
    collectAttachments: () => attachments.collect(),
    async dispose() {
      clearTimeout(searchStart);
      clearTimeout(collectStart);
      await chat.dispose();
      // Every MCP server process we started ends with the app.
      await mcp.dispose();
      await search.flush();
      await prompts.flush();
      await healthFile.dispose();
    },
  };
}
