import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../../../shared/result';
import { classifyFailure, FailoverPlan, type PlanTarget } from '../../../../../electron/main/providers/routing/failover-plan';
import { KeyHealthBook } from '../../../../../electron/main/providers/routing/key-pool';

const e = (code: AppError['code'], params: AppError['params'] = {}): AppError => ({ code, message: `${code} happened`, params });

function target(id: string, keys: string[], extra: Partial<PlanTarget> = {}): PlanTarget {
  return { providerId: id, providerName: id.toUpperCase(), model: `${id}-model`, keys: keys.map((k) => ({ id: k, label: '', hint: `…${k}` })), strategy: 'order', ...extra };
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('classifyFailure', () => {
  it('tells key problems, a server that is down and the request’s own problems apart', () => {
    expect(classifyFailure(e('RATE_LIMITED'))).toBe('key-rate-limited');
    expect(classifyFailure(e('AUTH_FAILED'))).toBe('key-invalid');
    expect(classifyFailure(e('PERMISSION_DENIED'))).toBe('key-invalid');
    for (const code of ['SERVER_ERROR', 'CONNECTION_REFUSED', 'DNS_FAILED', 'TLS_FAILED', 'CONNECT_TIMEOUT', 'NETWORK_ERROR'] as const) {
      expect(classifyFailure(e(code))).toBe('server-down');
    }
    for (const code of ['BAD_REQUEST', 'MODEL_NOT_FOUND', 'PARAMETER_REJECTED', 'NOT_FOUND_PATH'] as const) {
      expect(classifyFailure(e(code))).toBe('final');
    }
  });
});

describe('FailoverPlan', () => {
  it('moves to the next key at once after a 429, and that key cools down', () => {
    const c = clock();
    const book = new KeyHealthBook(c.now);
    const plan = new FailoverPlan([target('p', ['a', 'b'])], book);
    const first = plan.next();
    expect(first).toMatchObject({ target: 0, key: { id: 'a' }, alone: false });
    expect(plan.failed(first!, e('RATE_LIMITED', { retryAfterMs: 20_000 }))).toBe(true);
    const second = plan.next();
    expect(second).toMatchObject({ target: 0, key: { id: 'b' }, alone: true });
    const route = plan.answered(second!);
    expect(route).toMatchObject({ providerId: 'p', keyHint: '…b', attempts: [{ keyHint: '…a', reason: 'rate-limited', errorCode: 'RATE_LIMITED' }] });
    expect(book.view('p', 'a').state).toBe('cooling');
  });

  it('passes over cooling and invalid keys without a request and goes to the fallback', () => {
    const book = new KeyHealthBook(clock().now);
    book.markRateLimited('p', 'a', e('RATE_LIMITED', { retryAfterMs: 60_000 }));
    book.markInvalid('p', 'b', e('AUTH_FAILED'));
    const plan = new FailoverPlan([target('p', ['a', 'b']), target('q', ['x'])], book);
    const step = plan.next();
    expect(step).toMatchObject({ target: 1, key: { id: 'x' } });
    expect(plan.attempts.map((a) => [a.providerId, a.keyHint, a.reason])).toEqual([
      ['p', '…a', 'cooling'],
      ['p', '…b', 'invalid-key'],
    ]);
  });

  it('after a server failure skips the other keys of that server', () => {
    const plan = new FailoverPlan([target('p', ['a', 'b']), target('q', ['x'])], new KeyHealthBook(clock().now));
    const first = plan.next()!;
    expect(plan.failed(first, e('SERVER_ERROR'))).toBe(true);
    expect(plan.next()).toMatchObject({ target: 1, key: { id: 'x' } });
  });

  it('reports the request’s own problem as it is, without failing over', () => {
    const plan = new FailoverPlan([target('p', ['a']), target('q', ['x'])], new KeyHealthBook(clock().now));
    expect(plan.failed(plan.next()!, e('BAD_REQUEST'))).toBe(false);
  });

  it('with nothing healthy left, tries the key that recovers soonest, alone', () => {
    const c = clock();
    const book = new KeyHealthBook(c.now);
    book.markRateLimited('p', 'a', e('RATE_LIMITED', { retryAfterMs: 9_000 }));
    book.markRateLimited('p', 'b', e('RATE_LIMITED', { retryAfterMs: 3_000 }));
    const plan = new FailoverPlan([target('p', ['a', 'b'])], book);
    expect(plan.next()).toMatchObject({ key: { id: 'b' }, alone: true });
    // The retried key is no longer listed as passed over.
    expect(plan.attempts.map((a) => a.keyHint)).toEqual(['…a']);
  });

  it('ends with one sentence listing what was tried, or the only failure itself', () => {
    const book = new KeyHealthBook(clock().now);
    const plan = new FailoverPlan([target('p', ['a']), target('q', ['x'])], book);
    plan.failed(plan.next()!, e('RATE_LIMITED', { retryAfterMs: 120_000 }));
    plan.failed(plan.next()!, e('SERVER_ERROR'));
    expect(plan.next()).toBeNull();
    const error = plan.exhaustedError(e('SERVER_ERROR'));
    expect(error.code).toBe('ALL_ROUTES_FAILED');
    expect(error.message).toBe('No provider could answer. Tried: P · p-model, key …a: rate limited; Q · q-model, key …x: server unavailable.');

    const single = new FailoverPlan([target('p', ['a'])], new KeyHealthBook(clock().now));
    single.failed(single.next()!, e('SERVER_ERROR'));
    expect(single.next()).toBeNull();
    expect(single.exhaustedError(e('SERVER_ERROR')).code).toBe('SERVER_ERROR');
  });

  it('one key that was rejected before is still tried when it is the only way (the server may accept it now)', () => {
    const book = new KeyHealthBook(clock().now);
    book.markInvalid('p', 'a', e('AUTH_FAILED'));
    const plan = new FailoverPlan([target('p', ['a'])], book);
    expect(plan.next()).toMatchObject({ key: { id: 'a' }, alone: true });
  });

  it('passes over a fallback that cannot be used, saying why', () => {
    const plan = new FailoverPlan([target('p', ['a']), target('gone', [], { skip: 'missing' }), target('q', ['x'])], new KeyHealthBook(clock().now));
    plan.failed(plan.next()!, e('CONNECTION_REFUSED'));
    expect(plan.next()).toMatchObject({ target: 2 });
    expect(plan.attempts.map((a) => a.reason)).toEqual(['unavailable', 'missing']);
  });
});
