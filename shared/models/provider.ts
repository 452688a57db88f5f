/** Provider configurations as the renderer sees them. Secrets never appear in these types. */
import type { GenerationSettings } from './generation-settings';

export const PROVIDER_TYPES = ['openai', 'openai-compatible', 'openai-assistant', 'openai-responses'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Default time an Assistant run may take before it is cancelled on the server (5 minutes). */
export const DEFAULT_ASSISTANT_RUN_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * Where an OpenAI Responses conversation lives: `server` keeps one Conversations API object per
 * Switchboard conversation (only the new message is sent); `stateless` sends the whole history every time
 * with `store: false` (nothing is kept on the server).
 */
export const CONVERSATION_STATE_MODES = ['server', 'stateless'] as const;
export type ConversationStateMode = (typeof CONVERSATION_STATE_MODES)[number];
export const DEFAULT_CONVERSATION_STATE: ConversationStateMode = 'server';

export interface CustomHeader {
  name: string;
  value: string;
}

/** What electron-store keeps for one provider. No API key, ever. */
export interface ProviderConfig {
  id: string;
  type: ProviderType;
  name: string;
  /** Normalised base URL (no trailing slash, no `/chat/completions` suffix). */
  baseUrl: string;
  model: string;
  assistantId: string;
  customHeaders: CustomHeader[];
  /** Assistant runs longer than this are cancelled on the server. */
  runTimeoutMs: number;
  /**
   * OpenAI Responses only (absent for the other types, and in files older versions wrote): the system
   * prompt sent as `instructions` with every request, and where the conversation state lives.
   */
  instructions?: string;
  conversationState?: ConversationStateMode;
  /** What a new conversation on this provider starts from; copied at creation, so later changes never rewrite a conversation. */
  defaults?: GenerationSettings;
  /**
   * The key pool (metadata only; each key lives in the keychain under its own account, see key-vault.ts).
   * Absent in files older versions wrote: then the one key at the provider's own account is the pool.
   */
  keys?: ApiKeyMeta[];
  /** How a key is chosen from the pool (absent = `order`). */
  keyStrategy?: KeyStrategy;
  /** Tried in this order when a request fails before its first token (see electron/main/providers/routing). */
  fallbacks?: FallbackTarget[];
  createdAt: string;
  updatedAt: string;
}

export type KeyLocation = 'keychain' | 'session' | 'none';

/** `order`: the first healthy key; `round-robin`: the next healthy key after the one used last. */
export const KEY_STRATEGIES = ['order', 'round-robin'] as const;
export type KeyStrategy = (typeof KEY_STRATEGIES)[number];

/** The id of the key a provider saved by an older version holds (kept at the provider's own account). */
export const LEGACY_KEY_ID = 'default';
/** Most keys one provider may hold. */
export const MAX_POOL_KEYS = 20;
/** Most fallbacks one provider may name. */
export const MAX_FALLBACKS = 10;

/** One key of a provider's pool as the config file keeps it: never the key itself. */
export interface ApiKeyMeta {
  id: string;
  /** What the user calls it ("team", "personal"); may be empty. */
  label: string;
}

/** A provider (and model; empty = that provider's default model) to try when this one cannot answer. */
export interface FallbackTarget {
  providerId: string;
  model: string;
}

/** How one key fared lately (kept in main's memory for this session). */
export interface KeyHealth {
  state: 'ok' | 'cooling' | 'invalid';
  lastUsedAt: string | null;
  /** English sentence of the last failure, and its code for the translation. */
  lastError: string | null;
  lastErrorCode: string | null;
  /** What the translation of `lastErrorCode` interpolates (host, status …); never a secret. */
  lastErrorParams?: Record<string, string | number>;
  /** While cooling: when the key is used again. */
  coolingUntil: string | null;
}

/** One key of the pool as the renderer sees it: masked, labelled, with its health. */
export interface ApiKeyView {
  id: string;
  label: string;
  /** `…a1b2`, or null when the keychain cannot be read now. */
  hint: string | null;
  location: KeyLocation;
  health: KeyHealth;
}

/**
 * One key of the pool in a save: `value` present sets (new key) or replaces (existing `id`) it; an
 * existing `id` without `value` keeps the stored key. Keys of the provider missing from the list are removed.
 */
export interface ApiKeyDraft {
  id?: string;
  label: string;
  value?: string;
}

/** A provider as returned over IPC: the config plus what the renderer may know about its key. */
export interface ProviderView extends ProviderConfig {
  hasApiKey: boolean;
  /** Masked hint, e.g. `…a1b2` (last 4 characters), or null when there is no key. */
  apiKeyHint: string | null;
  keyLocation: KeyLocation;
  /** The key pool, in order (the first is the one `apiKeyHint` describes). */
  keys: ApiKeyView[];
}

/** How a save changes the stored key: the renderer can set, replace or clear it, never read it. */
export type ApiKeyChange = { action: 'keep' } | { action: 'set'; value: string } | { action: 'clear' };

/** The editable fields of the Settings form. */
export interface ProviderDraft {
  /** Absent for a provider that has not been saved yet. */
  id?: string;
  type: ProviderType;
  name: string;
  baseUrl: string;
  model: string;
  assistantId: string;
  customHeaders: CustomHeader[];
  runTimeoutMs?: number;
  /** OpenAI Responses only; absent keeps what is saved (or the default). */
  instructions?: string;
  conversationState?: ConversationStateMode;
  /** Default conversation settings; absent keeps what is saved. */
  defaults?: GenerationSettings;
  apiKey: ApiKeyChange;
  /** The whole key pool, in order; when present `apiKey` must be `keep`. Absent: `apiKey` changes the first key. */
  keys?: ApiKeyDraft[];
  /** Absent keeps what is saved. */
  keyStrategy?: KeyStrategy;
  /** Absent keeps what is saved. */
  fallbacks?: FallbackTarget[];
}

export interface ProviderPreset {
  id: 'openai' | 'ollama' | 'lmstudio' | 'vllm' | 'litellm' | 'azure-openai-v1' | 'openrouter';
  label: string;
  baseUrl: string;
  /** True when the URL has a placeholder the user must replace (Azure resource name). */
  needsEditing?: boolean;
}

export const COMPATIBLE_PRESETS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1' },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1' },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1' },
  { id: 'litellm', label: 'LiteLLM proxy', baseUrl: 'http://localhost:4000/v1' },
  {
    id: 'azure-openai-v1',
    label: 'Azure OpenAI (v1)',
    baseUrl: 'https://YOUR-RESOURCE.openai.azure.com/openai/v1',
    needsEditing: true,
  },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1' },
];

export type KeychainState = 'available' | 'unavailable' | 'locked' | 'denied' | 'error';

export interface KeychainStatus {
  state: KeychainState;
  /** English explanation of what is wrong and how to fix it; null when available. */
  message: string | null;
  /** The keychain error text as reported by the OS library, for the details line. */
  detail: string | null;
  /** True when the user chose to keep keys in memory for this session only. */
  sessionOnly: boolean;
}

export interface ProviderList {
  providers: ProviderView[];
  keychain: KeychainStatus;
}

/**
 * What a non-blocking remark of Test Connection is about: the model typed is not in the server's list, the
 * server lists no models (`GET /models` missing: `params.status`), or (OpenAI Responses) no test response
 * was sent because no model is chosen yet.
 */
export type ConnectionWarningCode = 'MODEL_NOT_LISTED' | 'MODELS_NOT_LISTED' | 'RESPONSES_NOT_PROBED';

/** A remark the UI translates by `code` (`settings:test.warnings.<code>`, interpolating `params`). */
export interface ConnectionWarning {
  code: ConnectionWarningCode;
  /** English text, for logs and as the fallback. */
  message: string;
  params?: Record<string, string | number>;
}

export interface ConnectionTestResult {
  /**
   * English summary of what was learned, e.g. "Connected. 12 models available." The UI builds its own,
   * translated, from `method`, `modelCount`, `assistant` and `responses`.
   */
  message: string;
  modelCount?: number;
  models?: string[];
  assistant?: { id: string; name: string | null; model: string };
  /** OpenAI Responses: the model that answered the test response (when a model was set). */
  responses?: { model: string };
  /**
   * Which check succeeded: the model list, the 1-token completion fallback, the assistant, or (OpenAI
   * Responses) a test response on `/responses`.
   */
  method: 'models' | 'completion' | 'assistant' | 'responses';
  /** Non-blocking remarks (e.g. /models missing on this gateway). */
  warnings: ConnectionWarning[];
  /** A pool of several keys: how each key fared (every key is checked). */
  keyResults?: KeyTestResult[];
}

export interface KeyTestResult {
  keyId: string;
  label: string;
  hint: string | null;
  ok: boolean;
  /** The failure as the error code + English sentence (the UI translates by code). */
  error?: { code: string; message: string; params?: Record<string, string | number> };
}

/**
 * True when a provider keeps each conversation's state on its server (an Assistants thread, a Responses
 * conversation object): such a conversation cannot move to another server, so it never fails over.
 */
export function keepsServerState(provider: Pick<ProviderConfig, 'type' | 'conversationState'>): boolean {
  return provider.type === 'openai-assistant' || (provider.type === 'openai-responses' && (provider.conversationState ?? DEFAULT_CONVERSATION_STATE) === 'server');
}
