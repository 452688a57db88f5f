/** Provider configurations as the renderer sees them. Secrets never appear in these types. */

export const PROVIDER_TYPES = ['openai', 'openai-compatible', 'openai-assistant'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Default time an Assistant run may take before it is cancelled on the server (5 minutes). */
export const DEFAULT_ASSISTANT_RUN_TIMEOUT_MS = 5 * 60 * 1000;

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
  createdAt: string;
  updatedAt: string;
}

export type KeyLocation = 'keychain' | 'session' | 'none';

/** A provider as returned over IPC: the config plus what the renderer may know about its key. */
export interface ProviderView extends ProviderConfig {
  hasApiKey: boolean;
  /** Masked hint, e.g. `…a1b2` (last 4 characters), or null when there is no key. */
  apiKeyHint: string | null;
  keyLocation: KeyLocation;
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
  apiKey: ApiKeyChange;
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

export interface ConnectionTestResult {
  /** English summary of what was learned, e.g. "Connected. 12 models available." */
  message: string;
  modelCount?: number;
  models?: string[];
  assistant?: { id: string; name: string | null; model: string };
  /** Which check succeeded: the model list, or the 1-token completion fallback. */
  method: 'models' | 'completion' | 'assistant';
  /** Non-blocking remarks (e.g. /models missing on this gateway). */
  warnings: string[];
}
