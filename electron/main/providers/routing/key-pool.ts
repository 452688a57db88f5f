/**
 * The health of every key of every provider's pool, and which key a request uses next. Kept in main's
 * memory; key-health-file.ts saves it (debounced, atomically) so a restart still skips a rejected key and
 * waits out a cooldown. Pure and clock-injected: the failover planner and the tests drive it with their own
 * time.
 *
 * - 429: the key cools down for what the server asked (`retry-after(-ms)`, then `x-ratelimit-reset-*`), or
 *   a doubling back-off bounded by MAX_BACKOFF_MS; a quota that ran out cools for QUOTA_COOLDOWN_MS.
 * - 401/403: the key is invalid until the user edits it (`forget`).
 * - anything else is only remembered as the last error; the key stays usable.
 */
import type { KeyHealth, KeyStrategy } from '../../../../shared/models/provider';
import type { AppError } from '../../../../shared/result';

export const BASE_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 60_000;
/** A server that asks for more than this is taken at this: a key is never parked for a day by a typo. */
export const MAX_COOLDOWN_MS = 60 * 60_000;
export const QUOTA_COOLDOWN_MS = 60 * 60_000;

export interface KeyState {
  lastUsedAt?: number;
  lastError?: { code: string; message: string; params?: Record<string, string | number> };
  coolingUntil?: number;
  invalid?: boolean;
  /** 429s in a row (for the back-off when the server names no time). */
  strikes: number;
}

/** How long a key that got this 429 should rest (see the module comment). */
export function cooldownMs(error: AppError, strikes: number): number {
  const params = error.params ?? {};
  if (params.context === 'quota') return QUOTA_COOLDOWN_MS;
  const asked = [params.retryAfterMs, params.resetMs].find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (asked !== undefined) return Math.min(Math.max(asked, 0), MAX_COOLDOWN_MS);
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, strikes - 1), MAX_BACKOFF_MS);
}

function lastErrorOf(error: AppError): NonNullable<KeyState['lastError']> {
  return { code: error.code, message: error.message, ...(error.params ? { params: error.params } : {}) };
}

/** One key's state as saved across restarts (key-health-file.ts). */
export interface KeyHealthEntry extends KeyState {
  providerId: string;
  keyId: string;
}

export type KeyAvailability = { kind: 'ready' } | { kind: 'cooling'; until: number } | { kind: 'invalid' };

export class KeyHealthBook {
  private readonly states = new Map<string, KeyState>();
  /** Round robin: the index after the key used last, per provider. */
  private readonly cursors = new Map<string, number>();

  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Called after every change (a key used, cooled, rejected, forgotten); returns the unsubscribe. */
  onChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Every key's state, to be saved. */
  entries(): KeyHealthEntry[] {
    return [...this.states].map(([slot, state]) => {
      const [providerId = '', keyId = ''] = slot.split('\u0000');
      return { providerId, keyId, ...structuredClone(state) };
    });
  }

  /** Takes back what was saved (at start-up, before any request). */
  restore(entries: readonly KeyHealthEntry[]): void {
    for (const { providerId, keyId, ...state } of entries) this.states.set(this.slot(providerId, keyId), { ...state });
  }

  private slot(providerId: string, keyId: string): string {
    return `${providerId}\u0000${keyId}`;
  }

  state(providerId: string, keyId: string): KeyState {
    const slot = this.slot(providerId, keyId);
    let state = this.states.get(slot);
    if (!state) {
      state = { strikes: 0 };
      this.states.set(slot, state);
    }
    return state;
  }

  availability(providerId: string, keyId: string): KeyAvailability {
    const state = this.states.get(this.slot(providerId, keyId));
    if (!state) return { kind: 'ready' };
    if (state.invalid) return { kind: 'invalid' };
    if (state.coolingUntil !== undefined && state.coolingUntil > this.now()) return { kind: 'cooling', until: state.coolingUntil };
    return { kind: 'ready' };
  }

  markUsed(providerId: string, keyId: string): void {
    this.state(providerId, keyId).lastUsedAt = this.now();
    this.changed();
  }

  /** The request got its first token: the key's 429 streak is over. */
  markAnswered(providerId: string, keyId: string): void {
    const state = this.state(providerId, keyId);
    state.strikes = 0;
    delete state.coolingUntil;
    this.changed();
  }

  /** A 429: returns when the key is ready again. */
  markRateLimited(providerId: string, keyId: string, error: AppError): number {
    const state = this.state(providerId, keyId);
    state.strikes += 1;
    state.coolingUntil = this.now() + cooldownMs(error, state.strikes);
    state.lastError = lastErrorOf(error);
    this.changed();
    return state.coolingUntil;
  }

  markInvalid(providerId: string, keyId: string, error: AppError): void {
    const state = this.state(providerId, keyId);
    state.invalid = true;
    state.lastError = lastErrorOf(error);
    this.changed();
  }

  markFailed(providerId: string, keyId: string, error: AppError): void {
    this.state(providerId, keyId).lastError = lastErrorOf(error);
    this.changed();
  }

  /** The user edited (or removed) the key: what was learned about the old one no longer holds. */
  forget(providerId: string, keyId: string): void {
    if (this.states.delete(this.slot(providerId, keyId))) this.changed();
  }

  forgetProvider(providerId: string): void {
    let dropped = false;
    for (const slot of [...this.states.keys()]) if (slot.startsWith(`${providerId}\u0000`)) dropped = this.states.delete(slot) || dropped;
    this.cursors.delete(providerId);
    if (dropped) this.changed();
  }

  /** The pool's keys in the order to try them now: ready keys by strategy, then cooling, then invalid. */
  order(providerId: string, keyIds: readonly string[], strategy: KeyStrategy = 'order'): { ready: string[]; cooling: { id: string; until: number }[]; invalid: string[] } {
    const start = strategy === 'round-robin' && keyIds.length > 0 ? this.cursor(providerId, keyIds) : 0;
    const rotated = [...keyIds.slice(start), ...keyIds.slice(0, start)];
    const ready: string[] = [];
    const cooling: { id: string; until: number }[] = [];
    const invalid: string[] = [];
    for (const id of rotated) {
      const availability = this.availability(providerId, id);
      if (availability.kind === 'ready') ready.push(id);
      else if (availability.kind === 'cooling') cooling.push({ id, until: availability.until });
      else invalid.push(id);
    }
    cooling.sort((a, b) => a.until - b.until);
    return { ready, cooling, invalid };
  }

  /**
   * Where round robin starts: after the key used last. After a restart (no cursor yet) that is the key with
   * the latest `lastUsedAt`, which key-health.json keeps, so the rotation goes on instead of starting over
   * at the first key each time the app opens.
   */
  private cursor(providerId: string, keyIds: readonly string[]): number {
    const known = this.cursors.get(providerId);
    if (known !== undefined) return known % keyIds.length;
    let last = -1;
    let lastAt = Number.NEGATIVE_INFINITY;
    keyIds.forEach((id, i) => {
      const at = this.states.get(this.slot(providerId, id))?.lastUsedAt;
      if (at !== undefined && at > lastAt) {
        lastAt = at;
        last = i;
      }
    });
    return (last + 1) % keyIds.length;
  }

  /** Round robin moves past the key just used. */
  advance(providerId: string, keyIds: readonly string[], usedKeyId: string): void {
    const index = keyIds.indexOf(usedKeyId);
    if (index >= 0) this.cursors.set(providerId, (index + 1) % keyIds.length);
  }

  /** The health the Settings window shows for one key. */
  view(providerId: string, keyId: string): KeyHealth {
    const state = this.states.get(this.slot(providerId, keyId));
    const availability = this.availability(providerId, keyId);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      state: availability.kind === 'ready' ? 'ok' : availability.kind,
      lastUsedAt: iso(state?.lastUsedAt),
      lastError: state?.lastError?.message ?? null,
      lastErrorCode: state?.lastError?.code ?? null,
      ...(state?.lastError?.params ? { lastErrorParams: { ...state.lastError.params } } : {}),
      coolingUntil: availability.kind === 'cooling' ? iso(availability.until) : null,
    };
  }
}
