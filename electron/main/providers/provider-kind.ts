/**
 * The one port between the app and an API style. A provider type maps to a kind in kinds.ts (the only
 * place a type string is read); everything a type can do hangs off its kind: chat, Test Connection, the
 * model list, deleting the server-side state of a conversation, and what its config must hold.
 *
 * A kind's chat adapter streams one reply as ChatEvents, given a resolved provider (config + key, read from
 * the secret store by the chat service) and the history. The chat service owns persistence, coalescing
 * and stop; adapters own the wire protocol and map every failure to an AppError (`{type: 'error'}` event),
 * never throwing for an expected failure.
 *
 * The stream is throttled in three stages, each for a cost the next cannot remove:
 * 1. the adapter hands events on in batches, about one per network read (wire/batching.ts): a fast server
 *    puts hundreds of chunks in one read, and an `await` per event cost main more than parsing them;
 * 2. main's EventCoalescer (chat/event-coalescer.ts) merges them into about one `chat:event` per animation
 *    frame, leading edge first: IPC and the renderer's work are per message, not per token;
 * 3. the renderer's chat store (renderer/stores/chat-store.ts) applies the first event after a quiet frame at
 *    once and the rest of that frame in one state update on the next animation frame: several streams, or
 *    a burst after a busy moment, become one render however main's messages were cut.
 */
import type { AttachmentRef } from '../../../shared/models/attachments';
import type { ChatEvent } from '../../../shared/models/chat-event';
import type { GenerationSettings } from '../../../shared/models/generation-settings';
import type { ConnectionTestResult, ConversationStateMode, FallbackTarget, ProviderConfig, ProviderDraft, ProviderType } from '../../../shared/models/provider';
import type { ToolRound } from '../../../shared/models/tools';
import type { ProviderQuirks } from '../config/config-store';
import type { ProviderEndpoint } from './wire/openai-client';

export interface ResolvedProvider {
  config: ProviderConfig;
  /** null when no key is stored (then no Authorization header is sent at all). */
  apiKey: string | null;
  quirks: ProviderQuirks;
  /** The whole key pool in order (`apiKey` is the first); the reply router picks among them. */
  keys?: PooledKey[];
}

/** A key of a provider's pool with its value, for a request. */
export interface PooledKey {
  id: string;
  label: string;
  /** `…abcd` */
  hint: string;
  value: string;
}

/** History as sent to the model: reasoning is never included. */
export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
  /** An assistant reply that called tools: its rounds (text before each, calls, results); see models/tools.ts. */
  toolRounds?: ToolRound[];
  /** Files attached to a user message, their content read from the attachment store (attachment-parts.ts maps them per API). */
  attachments?: HistoryAttachment[];
}

/** A function the model may call (an MCP tool under the name the model sees). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/**
 * An attachment as a request needs it: an image's bytes (base64) or a text file's text. Neither is set
 * when the stored bytes are gone (the request then says so in words instead of failing).
 */
export interface HistoryAttachment extends AttachmentRef {
  base64?: string;
  text?: string;
}

export interface ChatRequest {
  provider: ResolvedProvider;
  model: string;
  history: HistoryMessage[];
  /** The conversation's system prompt and parameters (history limit already applied to `history`). */
  settings?: GenerationSettings;
  /** The conversation, for kinds that keep server-side state (an Assistants thread, a Responses conversation). */
  conversation: { id: string; threadId?: string; threadProviderId?: string };
  signal: AbortSignal;
  /** Saves server-side state with the conversation (e.g. a new Assistants thread id). */
  saveThreadId?(threadId: string): Promise<void>;
  /** Remembers a fact about this provider across restarts (e.g. it rejects stream_options). */
  rememberQuirk?(quirks: ProviderQuirks): void;
  /**
   * Overrides how many times a 429 (or a 503 naming a time) is waited out on this request: the reply
   * router sets 0 when another key or provider can answer at once instead.
   */
  maxRateLimitRetries?: number;
  /** The conversation's own fallbacks, which replace its provider's (absent: the provider's). */
  fallbacks?: FallbackTarget[];
  /** Functions offered to the model (the conversation's MCP tools); absent or empty: none. */
  tools?: ToolSpec[];
  /**
   * For an API whose run waits for tool outputs (Assistants `requires_action`): the adapter yields
   * `tool-calls` with `inline`, and when iteration resumes the tool loop has put each call's output here
   * (by call id), or null when the turn was stopped.
   */
  toolAnswers?: { outputs: Map<string, string> | null };
}

export interface ChatAdapter {
  streamChat(request: ChatRequest): AsyncIterable<ChatEvent>;
  /**
   * The same events as `streamChat`, in the same order, grouped about one per network read (stage 1
   * above); no batch is empty. Optional: an adapter without it gives batches of one.
   */
  streamChatBatches?(request: ChatRequest): AsyncGenerator<ChatEvent[], void, undefined>;
}

/** The adapter's events in batches; an adapter that yields them one by one gives batches of one. */
export async function* replyBatches(adapter: ChatAdapter, request: ChatRequest): AsyncGenerator<readonly ChatEvent[], void, undefined> {
  if (adapter.streamChatBatches) {
    yield* adapter.streamChatBatches(request);
    return;
  }
  for await (const event of adapter.streamChat(request)) yield [event];
}

/** Network dependencies handed to adapters by the composition root. */
export interface HttpDeps {
  fetch: typeof globalThis.fetch;
  /** Time to wait for response headers (connect + first byte). */
  connectTimeoutMs: number;
  /** Time a stream may stay silent before it is treated as stalled. */
  idleTimeoutMs: number;
}

/** The settings of a config that belong to its kind; the others (name, URL, headers …) every kind has. */
export type KindSettings = Pick<ProviderConfig, 'model' | 'assistantId'> & Partial<Pick<ProviderConfig, 'instructions' | 'conversationState'>>;

/** What the Settings form's draft (with its key) reaches, for Test Connection and the model list. */
export interface ConnectionTarget extends ProviderEndpoint {
  model: string;
  assistantId: string;
  /** Responses only: whether the server keeps the conversation (then Test Connection checks that it can). */
  conversationState?: ConversationStateMode;
}

export interface ConnectionTestDeps {
  fetch: typeof globalThis.fetch;
  /** Bound on connect + first byte, and again on reading the body. About 10 s in the app. */
  timeoutMs?: number;
}

export interface ProviderKind {
  chat: ChatAdapter;
  /** A chat turn needs a model chosen in the app (an Assistant's model lives on the server with it). */
  needsModel: boolean;
  /** A chat turn needs an API key (api.openai.com always does; saying so beats a 401). */
  needsKey: boolean;
  /** The kind's own settings from a draft, for the saved config and for Test Connection. */
  settings(draft: ProviderDraft, existing: ProviderConfig | undefined): KindSettings;
  testConnection(target: ConnectionTarget, deps: ConnectionTestDeps): Promise<ConnectionTestResult>;
  listModels(target: ConnectionTarget, deps: ConnectionTestDeps): Promise<string[]>;
  /** The type a draft is checked and reached as for its model list (an Assistant's server is asked as an OpenAI-compatible one). */
  listModelsAs?: ProviderType;
  /** Deletes what the server keeps for a conversation (`remoteId`: its saved threadId); kinds that keep nothing leave it out. */
  deleteRemoteState?(provider: ResolvedProvider, remoteId: string): Promise<void>;
}
