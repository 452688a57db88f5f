/**
 * What a provider's key pool and fallback chain must satisfy before they are saved. Shared: the Settings
 * form shows the same sentences live that a refused save carries in `AppError.fields`.
 *
 * Field names: `keys.<row>` for a key, `fallbacks.<row>` for a fallback, `keys` / `fallbacks` for the list.
 */
import type { ApiKeyDraft, FallbackTarget, ProviderConfig } from '../models/provider';
import { keepsServerState, MAX_FALLBACKS, MAX_POOL_KEYS } from '../models/provider';
import type { FieldIssue } from '../result';
import { normalizeApiKey } from './provider-validation';

export type RoutingIssueCode =
  | 'KEY_EMPTY'
  | 'KEY_DUPLICATE'
  | 'TOO_MANY_KEYS'
  | 'FALLBACK_SELF'
  | 'FALLBACK_MISSING'
  | 'FALLBACK_DUPLICATE'
  | 'FALLBACK_LOOP'
  | 'FALLBACK_STATEFUL'
  | 'FALLBACK_FROM_STATEFUL'
  | 'TOO_MANY_FALLBACKS';

export type RoutingIssues = Record<string, FieldIssue & { code: RoutingIssueCode }>;

/**
 * Every key of the pool must hold something and be different from the others. `stored` has the stored
 * value of each existing key (main knows them; the renderer passes an empty map and sees only new keys).
 */
export function validateKeyDrafts(keys: readonly ApiKeyDraft[], stored: ReadonlyMap<string, string> = new Map()): RoutingIssues {
  const issues: RoutingIssues = {};
  if (keys.length > MAX_POOL_KEYS) {
    issues.keys = { code: 'TOO_MANY_KEYS', message: `A provider can hold at most ${MAX_POOL_KEYS} keys.`, params: { max: MAX_POOL_KEYS } };
  }
  const seen = new Map<string, number>();
  keys.forEach((key, row) => {
    const value = key.value !== undefined ? normalizeApiKey(key.value) : key.id !== undefined ? stored.get(key.id) : undefined;
    if (key.value !== undefined && value === '') {
      issues[`keys.${row}`] = { code: 'KEY_EMPTY', message: `Key ${row + 1} is empty: paste the key or remove the row.`, params: { row: row + 1 } };
      return;
    }
    if (key.value === undefined && key.id === undefined) {
      issues[`keys.${row}`] = { code: 'KEY_EMPTY', message: `Key ${row + 1} is empty: paste the key or remove the row.`, params: { row: row + 1 } };
      return;
    }
    if (value === undefined || value === '') return;
    const first = seen.get(value);
    if (first !== undefined) {
      issues[`keys.${row}`] = {
        code: 'KEY_DUPLICATE',
        message: `Key ${row + 1} is the same as key ${first + 1}: each key can be in the pool once.`,
        params: { row: row + 1, first: first + 1 },
      };
      return;
    }
    seen.set(value, row);
  });
  return issues;
}

type RoutingProvider = Pick<ProviderConfig, 'id' | 'name' | 'type' | 'conversationState' | 'fallbacks'>;

/**
 * A fallback must be another provider that exists, does not keep conversations on its server, is named
 * once, and does not lead back here through the other providers' fallbacks.
 */
export function validateFallbacks(
  self: Pick<ProviderConfig, 'type' | 'conversationState'> & { id?: string },
  fallbacks: readonly FallbackTarget[],
  providers: readonly RoutingProvider[],
): RoutingIssues {
  const issues: RoutingIssues = {};
  if (fallbacks.length === 0) return issues;
  if (keepsServerState(self)) {
    issues.fallbacks = {
      code: 'FALLBACK_FROM_STATEFUL',
      message: 'This provider keeps each conversation on its own server, so it cannot fall back to another one.',
    };
    return issues;
  }
  if (fallbacks.length > MAX_FALLBACKS) {
    issues.fallbacks = { code: 'TOO_MANY_FALLBACKS', message: `A provider can name at most ${MAX_FALLBACKS} fallbacks.`, params: { max: MAX_FALLBACKS } };
  }
  const byId = new Map(providers.map((p) => [p.id, p]));
  const seen = new Set<string>();
  fallbacks.forEach((fallback, row) => {
    const field = `fallbacks.${row}`;
    const target = byId.get(fallback.providerId);
    const key = `${fallback.providerId}\u0000${fallback.model.trim()}`;
    if (self.id !== undefined && fallback.providerId === self.id) {
      issues[field] = { code: 'FALLBACK_SELF', message: `Fallback ${row + 1} is this provider itself: choose another one.`, params: { row: row + 1 } };
    } else if (!target) {
      issues[field] = { code: 'FALLBACK_MISSING', message: `Fallback ${row + 1} points to a provider that was deleted: choose another one or remove it.`, params: { row: row + 1 } };
    } else if (keepsServerState(target)) {
      issues[field] = {
        code: 'FALLBACK_STATEFUL',
        message: `${target.name} keeps conversations on its own server, so it cannot be a fallback.`,
        params: { row: row + 1, name: target.name },
      };
    } else if (seen.has(key)) {
      issues[field] = { code: 'FALLBACK_DUPLICATE', message: `Fallback ${row + 1} is already in the list.`, params: { row: row + 1 } };
    } else if (self.id !== undefined && leadsTo(fallback.providerId, self.id, byId)) {
      issues[field] = {
        code: 'FALLBACK_LOOP',
        message: `${target.name} falls back to this provider in turn, which would make a loop.`,
        params: { row: row + 1, name: target.name },
      };
    }
    seen.add(key);
  });
  return issues;
}

function leadsTo(from: string, to: string, byId: ReadonlyMap<string, RoutingProvider>): boolean {
  const stack = [from];
  const visited = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (visited.has(id)) continue;
    visited.add(id);
    for (const f of byId.get(id)?.fallbacks ?? []) stack.push(f.providerId);
  }
  return false;
}
