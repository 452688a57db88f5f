/**
 * Who answers a turn: the conversation's provider (a conversation made before any provider existed adopts
 * the first one), its model, its kind's adapter and its key, each refused in one sentence when missing
 * (no provider, a removed one, no model, an unsupported kind, an unreadable keychain, a missing key).
 */
import type { Conversation } from '../../../shared/models/conversation';
import { AppFailure } from '../../../shared/result';
import type { ConfigStore } from '../config/config-store';
import type { Logger } from '../logger';
import type { KindOf } from '../providers/kinds';
import type { ChatAdapter, ResolvedProvider } from '../providers/provider-kind';

export interface TurnRouteDeps {
  config: Pick<ConfigStore, 'listProviders' | 'getProvider'>;
  kindOf: KindOf;
  resolveProvider(providerId: string): Promise<ResolvedProvider>;
  log: Logger;
}

export interface ResolvedTurn {
  provider: ResolvedProvider;
  model: string;
  adapter: ChatAdapter;
  /** Set when the conversation adopted the first provider: saved with the turn. */
  adopt: { providerId: string; model: string } | null;
}

/**
 * The provider, model, adapter and key for a conversation. A conversation made before any provider
 * existed adopts the first one (the returned `adopt` is saved with the turn).
 */
export async function resolveTurn(conversation: Conversation, deps: TurnRouteDeps): Promise<ResolvedTurn> {
  let providerId = conversation.providerId;
  let adopt: { providerId: string; model: string } | null = null;
  if (!providerId) {
    const first = deps.config.listProviders()[0];
    if (!first) {
      throw new AppFailure({
        code: 'NO_PROVIDER',
        message: 'No provider is set up yet.',
        hint: 'Open Settings and add a provider (OpenAI, or any OpenAI-compatible server).',
      });
    }
    providerId = first.id;
    adopt = { providerId: first.id, model: conversation.model || first.model };
  }
  const config = deps.config.getProvider(providerId);
  if (!config) {
    throw new AppFailure({
      code: 'NO_PROVIDER',
      message: 'The provider of this conversation was removed.',
      hint: 'Choose another provider for this conversation, or add one in Settings.',
      params: { context: 'removed' },
    });
  }
  const model = (adopt?.model ?? conversation.model) || config.model;
  const kind = deps.kindOf(config.type);
  // An Assistant's model lives on the server with the assistant; there is nothing to choose here.
  if (!model && (kind?.needsModel ?? true)) {
    throw new AppFailure({
      code: 'VALIDATION',
      message: 'No model is chosen for this conversation.',
      hint: 'Pick a model in the conversation header, or set a default model for the provider in Settings.',
      params: { context: 'no_model' },
    });
  }
  if (!kind) {
    throw new AppFailure({
      code: 'VALIDATION',
      message: 'Switchboard cannot chat with this kind of provider.',
      params: { context: 'unsupported_provider', type: config.type },
    });
  }
  let provider: ResolvedProvider;
  try {
    provider = await deps.resolveProvider(config.id);
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    deps.log.warn('chat', `could not read the secrets of provider ${config.id}`, error);
    throw new AppFailure({
      code: 'KEYCHAIN_ERROR',
      message: 'The API key could not be read from the system keychain.',
      hint: 'Unlock the keychain (or sign in again), then try again.',
      retryable: true,
    });
  }
  // api.openai.com always needs a key; saying so beats a 401 from the server.
  if (kind.needsKey && !provider.apiKey) {
    throw new AppFailure({
      code: 'MISSING_API_KEY',
      message: `${config.name || 'This provider'} needs an API key.`,
      hint: 'Add the API key in Settings.',
      params: { provider: config.name },
    });
  }
  return {
    provider,
    model,
    adapter: kind.chat,
    adopt,
  };
}
