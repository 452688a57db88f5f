/**
 * Which provider, model and key one reply tries next, and what a failure before the first token means.
 * Pure: the reply router (chat/routed-reply.ts) makes the requests and reports back; this decides.
 *
 * Targets are the conversation's provider first, then its fallbacks in order. Within a target the keys go
 * by the pool's strategy (key-pool.ts), healthy ones only. A failure before the first token:
 * - 429: that key cools down, the next key (then the next target) is tried at once;
 * - 401/403: that key is invalid until the user edits it; the next key is tried;
 * - the server is unreachable or failing (5xx, refused, DNS, TLS, timeouts, a dropped connection): the
 *   rest of that target's keys would meet the same server, so the next target is tried;
 * - anything else (a bad request, an unknown model, a refused parameter) is the request's own problem and
 *   is reported as it is: another server would not make it right.
 * When no healthy key is left anywhere, the key that recovers soonest is tried anyway, alone, so the
 * adapter's visible, bounded wait applies (never a silent hang).
 */
import type { ReplyRoute, RouteAttempt, SkipReason } from '../../../../shared/models/conversation';
import type { KeyStrategy } from '../../../../shared/models/provider';
import type { AppError, ErrorCode } from '../../../../shared/result';
import type { KeyHealthBook } from './key-pool';

/** The id a provider without any key is tracked under (keyless local servers still get 429s). */
export const NO_KEY_ID = '';

export interface PlanKey {
  id: string;
  label: string;
  /** `…abcd`, or undefined for the keyless pseudo-key. */
  hint?: string;
}

export interface PlanTarget {
  providerId: string;
  providerName: string;
  model: string;
  keys: PlanKey[];
  strategy: KeyStrategy;
  /** Set when this target cannot be used at all (deleted, would split a server-side thread, no key). */
  skip?: SkipReason;
}

export type PlanStep = {
  kind: 'attempt';
  target: number;
  key: PlanKey;
  /** No other healthy key or target is left: the adapter may wait out a 429 on this one. */
  alone: boolean;
};

export type FailureClass = 'key-rate-limited' | 'key-invalid' | 'server-down' | 'final';

const SERVER_DOWN: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SERVER_ERROR',
  'NETWORK_ERROR',
  'CONNECTION_REFUSED',
  'DNS_FAILED',
  'TLS_FAILED',
  'CONNECT_TIMEOUT',
  'IDLE_TIMEOUT',
  'CONNECTION_DROPPED',
]);

export function classifyFailure(error: AppError): FailureClass {
  if (error.code === 'RATE_LIMITED') return 'key-rate-limited';
  if (error.code === 'AUTH_FAILED' || error.code === 'PERMISSION_DENIED') return 'key-invalid';
  if (SERVER_DOWN.has(error.code)) return 'server-down';
  return 'final';
}

const REASON_TEXT: Record<SkipReason, string> = {
  'rate-limited': 'rate limited',
  cooling: 'key cooling down',
  'invalid-key': 'key rejected',
  unavailable: 'server unavailable',
  stateful: 'keeps its thread on another server',
  'no-key': 'no API key',
  missing: 'provider deleted',
};

/** "OpenAI · gpt-4o, key …abcd: rate limited; Backup · llama3: server unavailable" */
export function describeAttempts(attempts: readonly RouteAttempt[]): string {
  return attempts
    .map((a) => {
      const who = `${a.providerName} · ${a.model || 'default model'}${a.keyHint ? `, key ${a.keyLabel ? `${a.keyLabel} ` : ''}${a.keyHint}` : ''}`;
      return `${who}: ${REASON_TEXT[a.reason]}`;
    })
    .join('; ');
}

export class FailoverPlan {
  readonly attempts: RouteAttempt[] = [];
  private readonly tried = new Set<string>();
  private readonly skippedKeys = new Map<string, { target: number; key: PlanKey; until?: number }>();
  private current = 0;
  private requests = 0;

  constructor(
    readonly targets: readonly PlanTarget[],
    private readonly health: KeyHealthBook,
  ) {}

  private slot(target: number, keyId: string): string {
    return `${target}\u0000${keyId}`;
  }

  private untried(target: number): ReturnType<KeyHealthBook['order']> {
    const t = this.targets[target] as PlanTarget;
    const order = this.health.order(t.providerId, t.keys.map((k) => k.id), t.strategy);
    const open = (id: string) => !this.tried.has(this.slot(target, id));
    return { ready: order.ready.filter(open), cooling: order.cooling.filter((c) => open(c.id)), invalid: order.invalid.filter(open) };
  }

  private keyOf(target: number, id: string): PlanKey {
    return (this.targets[target] as PlanTarget).keys.find((k) => k.id === id) as PlanKey;
  }

  private record(target: number, key: PlanKey | undefined, reason: SkipReason, extra: Partial<RouteAttempt> = {}): void {
    const t = this.targets[target] as PlanTarget;
    this.attempts.push({
      providerId: t.providerId,
      providerName: t.providerName,
      model: t.model,
      ...(key?.hint ? { keyHint: key.hint, ...(key.label ? { keyLabel: key.label } : {}) } : {}),
      reason,
      ...extra,
    });
  }

  private hasReadyAfter(target: number, keyId: string): boolean {
    for (let t = target; t < this.targets.length; t++) {
      if (this.targets[t]?.skip) continue;
      if (this.untried(t).ready.some((id) => t !== target || id !== keyId)) return true;
    }
    return false;
  }

  /** The next request to make, or null when every way has been tried. */
  next(): PlanStep | null {
    while (this.current < this.targets.length) {
      const t = this.targets[this.current] as PlanTarget;
      if (t.skip) {
        if (!this.tried.has(this.slot(this.current, '\u0000target'))) {
          this.tried.add(this.slot(this.current, '\u0000target'));
          this.record(this.current, undefined, t.skip);
        }
        this.current++;
        continue;
      }
      const { ready, cooling, invalid } = this.untried(this.current);
      // Keys passed over are listed first, in the order they were considered (before the key that is asked).
      for (const c of cooling) {
        const key = this.keyOf(this.current, c.id);
        this.tried.add(this.slot(this.current, c.id));
        this.skippedKeys.set(this.slot(this.current, c.id), { target: this.current, key, until: c.until });
        this.record(this.current, key, 'cooling', { until: new Date(c.until).toISOString() });
      }
      for (const id of invalid) {
        const key = this.keyOf(this.current, id);
        this.tried.add(this.slot(this.current, id));
        this.skippedKeys.set(this.slot(this.current, id), { target: this.current, key });
        this.record(this.current, key, 'invalid-key');
      }
      const first = ready[0];
      if (first !== undefined) return this.attempt(this.current, this.keyOf(this.current, first));
      this.current++;
    }
    return this.lastResort();
  }

  /**
   * Nothing healthy is left. A key passed over only for cooling is tried anyway (the soonest to recover),
   * alone so the adapter's bounded wait applies; an invalid key only when no request was made at all
   * (one key, no fallbacks: the user sees the server's own answer, as before pools existed).
   */
  private lastResort(): PlanStep | null {
    const skipped = [...this.skippedKeys.entries()];
    const cooling = skipped.filter(([, s]) => s.until !== undefined).sort((a, b) => (a[1].until ?? 0) - (b[1].until ?? 0));
    const pick = cooling[0] ?? (this.requests === 0 ? skipped[0] : undefined);
    if (!pick) return null;
    const [slot, { target, key }] = pick;
    this.skippedKeys.delete(slot);
    const index = this.attempts.findIndex((a) => a.providerId === this.targets[target]?.providerId && a.keyHint === key.hint && (a.reason === 'cooling' || a.reason === 'invalid-key'));
    if (index >= 0) this.attempts.splice(index, 1);
    return this.attempt(target, key, true);
  }

  private attempt(target: number, key: PlanKey, alone?: boolean): PlanStep {
    this.tried.add(this.slot(target, key.id));
    this.requests++;
    const t = this.targets[target] as PlanTarget;
    this.health.markUsed(t.providerId, key.id);
    this.health.advance(t.providerId, t.keys.map((k) => k.id), key.id);
    return { kind: 'attempt', target, key, alone: alone ?? !this.hasReadyAfter(target, key.id) };
  }

  /** The attempt failed before its first token: true when the next step should be taken. */
  failed(step: PlanStep, error: AppError): boolean {
    const t = this.targets[step.target] as PlanTarget;
    const kind = classifyFailure(error);
    const detail = { errorCode: error.code, detail: error.message };
    if (kind === 'key-rate-limited') {
      const until = this.health.markRateLimited(t.providerId, step.key.id, error);
      this.record(step.target, step.key, 'rate-limited', { ...detail, until: new Date(until).toISOString() });
      return true;
    }
    if (kind === 'key-invalid') {
      this.health.markInvalid(t.providerId, step.key.id, error);
      this.record(step.target, step.key, 'invalid-key', detail);
      return true;
    }
    this.health.markFailed(t.providerId, step.key.id, error);
    if (kind === 'server-down') {
      this.record(step.target, step.key, 'unavailable', detail);
      // The other keys would meet the same server.
      for (const k of t.keys) this.tried.add(this.slot(step.target, k.id));
      return true;
    }
    return false;
  }

  /** The attempt got its first token. */
  answered(step: PlanStep): ReplyRoute {
    const t = this.targets[step.target] as PlanTarget;
    this.health.markAnswered(t.providerId, step.key.id);
    return {
      providerId: t.providerId,
      providerName: t.providerName,
      model: t.model,
      ...(step.key.hint ? { keyHint: step.key.hint, ...(step.key.label ? { keyLabel: step.key.label } : {}) } : {}),
      attempts: [...this.attempts],
    };
  }

  /** Whether more than one way was considered (then a final failure gets the "what was tried" sentence). */
  get routed(): boolean {
    return this.attempts.length > 1 || this.requests > 1 || this.targets.length > 1;
  }

  /** The error once nothing is left: the last failure itself when it was the only way, else one sentence. */
  exhaustedError(last: AppError | undefined): AppError {
    if (!this.routed && last) return last;
    const tried = describeAttempts(this.attempts);
    return {
      code: 'ALL_ROUTES_FAILED',
      message: `No provider could answer. Tried: ${tried}.`,
      hint: 'Wait until a key has cooled down, check the keys in Settings, or add another fallback provider.',
      retryable: true,
      params: { tried, count: this.attempts.length },
    };
  }
}
