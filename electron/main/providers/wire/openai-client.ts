/**
 * The one place an `openai` SDK client is built for a provider. Everything the SDK would otherwise take
 * from the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`,
 * `OPENAI_CUSTOM_HEADERS`, `OPENAI_LOG`) is pinned here, because a user's shell environment must never
 * leak to a third-party server. Retries are off: our code decides when a retry makes sense.
 */
import OpenAI from 'openai';
import type { CustomHeader, ProviderType } from '../../../../shared/models/provider';
import { withRedirectPolicy } from './redirect-policy';

/** What a request needs to reach a provider. The key comes from the secret store, never from config. */
export interface ProviderEndpoint {
  type: ProviderType;
  /** Normalised base URL, e.g. `http://localhost:11434/v1`. */
  baseUrl: string;
  /** null or '' means: send no `Authorization` header at all. */
  apiKey: string | null;
  customHeaders: readonly CustomHeader[];
}

export interface OpenAIClientOptions {
  fetch: typeof globalThis.fetch;
  /** Time to wait for response headers (connect + first byte); the SDK's timer stops once headers arrive. */
  timeoutMs: number;
}

/** Default bound on connect + first byte. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

// The SDK refuses to build a client without some credential. When the user has no key we give it this
// placeholder and remove the header it produces (both by the SDK's own `null` header and in the fetch
// wrapper), so it can never reach the wire.
const NO_KEY_PLACEHOLDER = 'switchboard-no-key';

// Headers the SDK adds from the environment or for OpenAI's own accounts; they are only sent when the
// user configured them as custom headers.
const ENV_DERIVED_HEADERS = ['openai-organization', 'openai-project'];

function hasKey(apiKey: string | null): apiKey is string {
  return typeof apiKey === 'string' && apiKey.length > 0;
}

/** Header names (lower case) that `OPENAI_CUSTOM_HEADERS` in the environment would add. */
function envCustomHeaderNames(): string[] {
  const raw = process.env.OPENAI_CUSTOM_HEADERS;
  if (!raw) return [];
  return raw
    .split('\n')
    .map((line) => line.slice(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/** Custom headers as a plain record, skipping blank rows the form may still hold. */
export function customHeaderRecord(headers: readonly CustomHeader[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    const name = h.name.trim();
    if (name) out[name] = h.value;
  }
  return out;
}

/**
 * Headers for a request made without the SDK (e.g. a raw SSE fetch): the bearer key when there is one,
 * then the user's custom headers, which may deliberately override `Authorization`.
 */
export function providerRequestHeaders(endpoint: ProviderEndpoint): Record<string, string> {
  return {
    ...(hasKey(endpoint.apiKey) ? { Authorization: `Bearer ${endpoint.apiKey}` } : {}),
    ...customHeaderRecord(endpoint.customHeaders),
  };
}

/**
 * Wraps fetch so the request carries exactly what the user configured: no `Authorization` without a key
 * (unless the user set one as a custom header), no organisation/project or environment headers the
 * user did not add themselves, and nothing at all to another origin a redirect names.
 */
function guardedFetch(endpoint: ProviderEndpoint, inner: typeof globalThis.fetch): typeof globalThis.fetch {
  const userHeaders = new Set(
    endpoint.customHeaders.map((h) => h.name.trim().toLowerCase()).filter((name) => name.length > 0),
  );
  const keyless = !hasKey(endpoint.apiKey);
  // Secret headers and the body must not follow a redirect to another origin.
  const followed = withRedirectPolicy(inner);
  return (input, init) => {
    const headers = new Headers(init?.headers);
    const strip = [...ENV_DERIVED_HEADERS, ...envCustomHeaderNames()];
    if (keyless) strip.push('authorization');
    for (const name of strip) if (!userHeaders.has(name)) headers.delete(name);
    return followed(input, { ...init, headers });
  };
}

export function createOpenAIClient(endpoint: ProviderEndpoint, options: OpenAIClientOptions): OpenAI {
  const keyless = !hasKey(endpoint.apiKey);
  const custom = customHeaderRecord(endpoint.customHeaders);
  const userSetsAuthorization = Object.keys(custom).some((name) => name.toLowerCase() === 'authorization');
  return new OpenAI({
    baseURL: endpoint.baseUrl,
    apiKey: keyless ? NO_KEY_PLACEHOLDER : endpoint.apiKey,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
    fetch: guardedFetch(endpoint, options.fetch),
    defaultHeaders: {
      // `null` tells the SDK to omit its bearer header; a user-supplied Authorization wins over it.
      ...(keyless && !userSetsAuthorization ? { Authorization: null } : {}),
      ...custom,
    },
  });
}
