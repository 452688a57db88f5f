/**
 * A conversation's own fallbacks are checked as a provider's are (shared/validation/routing-validation.ts),
 * from the point of view of the conversation's provider: not itself, not deleted, not a provider that keeps
 * conversations on its server, no loop back to it; and none at all when the conversation's own provider
 * keeps it on its server.
 */
import type { FallbackTarget, ProviderConfig } from '../../../shared/models/provider';
import { AppFailure } from '../../../shared/result';
import { validateFallbacks } from '../../../shared/validation/routing-validation';

export function checkConversationFallbacks(
  owner: ProviderConfig | undefined,
  fallbacks: readonly FallbackTarget[] | null,
  providers: readonly ProviderConfig[],
): void {
  if (fallbacks === null || fallbacks.length === 0) return;
  if (!owner) {
    throw new AppFailure({
      code: 'NO_PROVIDER',
      message: 'Choose a provider for this conversation before naming fallbacks.',
      params: { context: 'removed' },
    });
  }
  const issues = validateFallbacks(owner, fallbacks, providers);
  const first = Object.values(issues)[0];
  if (first) {
    throw new AppFailure({
      code: 'VALIDATION',
      message: first.message,
      fields: issues,
      params: { context: 'fallbacks', count: Object.keys(issues).length },
    });
  }
}

/**
 * A provider deleted since the list was set leaves it when the conversation is next sent (and so is saved
 * without it): the deletion reaches every conversation without rewriting them all at once, and a reply never
 * lists "provider deleted" among what it tried. True when something was removed.
 */
export function dropDeletedFallbacks(conversation: { fallbacks?: FallbackTarget[] }, exists: (providerId: string) => boolean): boolean {
  if (!conversation.fallbacks) return false;
  const kept = conversation.fallbacks.filter((f) => exists(f.providerId));
  if (kept.length === conversation.fallbacks.length) return false;
  conversation.fallbacks = kept;
  return true;
}
