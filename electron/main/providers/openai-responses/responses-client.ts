/** What every Responses API request of one provider is made with: the SDK client and the error context. */
import type OpenAI from 'openai';
import type { Logger } from '../../logger';
import type { ErrorContext } from '../errors/request-failure';
import type { HttpDeps, ResolvedProvider } from '../provider-kind';
import { createOpenAIClient } from '../wire/openai-client';
import type { RateLimitOptions } from '../wire/rate-limit';

export interface ResponsesAdapterDeps extends HttpDeps, RateLimitOptions {
  log: Logger;
}

export function errorContext(provider: ResolvedProvider, model: string, deps: ResponsesAdapterDeps): ErrorContext {
  return {
    baseUrl: provider.config.baseUrl,
    model,
    operation: 'chat',
    timeoutMs: deps.connectTimeoutMs,
    secrets: [provider.apiKey ?? '', ...provider.config.customHeaders.map((h) => h.value)].filter((s) => s.length >= 4),
    ...(deps.now ? { now: deps.now } : {}),
  };
}

export function clientFor(provider: ResolvedProvider, fetch: typeof globalThis.fetch, timeoutMs: number): OpenAI {
  const { config } = provider;
  return createOpenAIClient({ type: config.type, baseUrl: config.baseUrl, apiKey: provider.apiKey, customHeaders: config.customHeaders }, { fetch, timeoutMs });
}
