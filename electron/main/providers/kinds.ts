/**
 * Provider type → kind: the only code that reads a provider type string. Everything a type can do hangs
 * off its kind (provider-kind.ts); a new API style is its own folder plus one line here, and the Record
 * makes the compiler ask for that line when a type is added to ProviderType.
 */
import type { ProviderType } from '../../../shared/models/provider';
import type { Logger } from '../logger';
import { assistantKind } from './openai-assistant/assistant-kind';
import type { AssistantAdapterDeps } from './openai-assistant/assistant-turn';
import { chatCompletionsKind } from './openai-chat/chat-kind';
import type { HttpDeps, ProviderKind } from './provider-kind';
import { responsesKind } from './openai-responses/responses-kind';
import type { RateLimitOptions } from './wire/rate-limit';

export interface KindDeps {
  http: HttpDeps;
  /** 429 / 503 waits of the kinds that retry (tests shorten them). */
  rateLimit: RateLimitOptions;
  log: Logger;
  /** Assistant run polling (tests record the waits). */
  assistant?: Pick<AssistantAdapterDeps, 'sleep'>;
}

/** The kind of a provider type; undefined for a type this version does not know (a config from a newer one). */
export type KindOf = (type: ProviderType) => ProviderKind | undefined;

export function createKinds(deps: KindDeps): KindOf {
  const { http, rateLimit, log } = deps;
  const kinds: Record<ProviderType, ProviderKind> = {
    openai: chatCompletionsKind({ ...http, ...rateLimit }, { needsKey: true }),
    'openai-compatible': chatCompletionsKind({ ...http, ...rateLimit }, { needsKey: false }),
    'openai-responses': responsesKind({ ...http, ...rateLimit, log }),
    'openai-assistant': { ...assistantKind({ ...http, log, ...deps.assistant, rateLimit }), listModelsAs: 'openai-compatible' },
  };
  return (type) => (Object.hasOwn(kinds, type) ? kinds[type] : undefined);
}
