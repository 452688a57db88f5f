/**
 * What every provider adapter implements: given a resolved provider (config + key, read from the secret
 * store by the chat service) and the history, stream one reply as ChatEvents. The chat service owns
 * persistence, coalescing and stop; adapters own the wire protocol and map every failure to an AppError
 * (`{type: 'error'}` event), never throwing for an expected failure.
 */
import type { ChatEvent } from '../../../shared/models/chat-event';
import type { ProviderConfig } from '../../../shared/models/provider';
import type { ProviderQuirks } from '../config/config-store';

export interface ResolvedProvider {
  config: ProviderConfig;
  /** null when no key is stored (then no Authorization header is sent at all). */
  apiKey: string | null;
  quirks: ProviderQuirks;
}

/** History as sent to the model: reasoning is never included. */
export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  provider: ResolvedProvider;
  model: string;
  history: HistoryMessage[];
  /** The conversation, for adapters that keep server-side state (Assistants threads). */
  conversation: { id: string; threadId?: string; threadProviderId?: string };
  signal: AbortSignal;
  /** Saves server-side state with the conversation (e.g. a new Assistants thread id). */
  saveThreadId?(threadId: string): Promise<void>;
  /** Remembers a fact about this provider across restarts (e.g. it rejects stream_options). */
  rememberQuirk?(quirks: ProviderQuirks): void;
}

export interface ProviderAdapter {
  streamChat(request: ChatRequest): AsyncIterable<ChatEvent>;
}

/** Network dependencies handed to adapters by the composition root. */
export interface HttpDeps {
  fetch: typeof globalThis.fetch;
  /** Time to wait for response headers (connect + first byte). */
  connectTimeoutMs: number;
  /** Time a stream may stay silent before it is treated as stalled. */
  idleTimeoutMs: number;
}
