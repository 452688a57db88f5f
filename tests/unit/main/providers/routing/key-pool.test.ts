import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../../../shared/result';
import { parseRateLimitResetMs, parseResetDuration } from '../../../../../electron/main/providers/errors/error-context';
import { cooldownMs, KeyHealthBook, MAX_BACKOFF_MS, MAX_COOLDOWN_MS, QUOTA_COOLDOWN_MS } from '../../../../../electron/main/providers/routing/key-pool';

const limited = (params: AppError['params'] = {}): AppError => ({ code: 'RATE_LIMITED', message: 'limited', retryable: true, params });
const denied: AppError = { code: 'AUTH_FAILED', message: 'rejected', retryable: false };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('key cooldowns', () => {
  it('takes the time the server asked for: retry-after first, then x-ratelimit-reset', () => {
    expect(cooldownMs(limited({ retryAfterMs: 30_000 }), 1)).toBe(30_000);
    expect(cooldownMs(limited({ resetMs: 360_000 }), 1)).toBe(360_000);
    expect(cooldownMs(limited({ retryAfterMs: 2_000, resetMs: 360_000 }), 1)).toBe(2_000);
  });

  it('backs off, doubling and bounded, when the server names no time', () => {
    expect([1, 2, 3, 4].map((n) => cooldownMs(limited(), n))).toEqual([1000, 2000, 4000, 8000]);
    expect(cooldownMs(limited(), 30)).toBe(MAX_BACKOFF_MS);
  });

  it('never parks a key longer than the cap, and rests a quota that ran out for long', () => {
    expect(cooldownMs(limited({ retryAfterMs: 10 * 24 * 3600_000 }), 1)).toBe(MAX_COOLDOWN_MS);
    expect(cooldownMs(limited({ context: 'quota' }), 1)).toBe(QUOTA_COOLDOWN_MS);
  });

  it('reads Go durations as OpenAI sends them in x-ratelimit-reset-*', () => {
    expect(parseResetDuration('1s')).toBe(1000);
    expect(parseResetDuration('6m0s')).toBe(360_000);
    expect(parseResetDuration('20ms')).toBe(20);
    expect(parseResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseResetDuration('0.5')).toBe(500);
    expect(parseResetDuration('soon')).toBeUndefined();
    expect(parseResetDuration('')).toBeUndefined();
    const headers = new Headers({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' });
    expect(parseRateLimitResetMs(headers)).toBe(360_000);
    expect(parseRateLimitResetMs(new Headers())).toBeUndefined();
  });
});

describe('KeyHealthBook', () => {
  it('orders by the first healthy key and brings a cooled key back when its time is up', () => {
    const c = clock();
    const book = new KeyHealthBook(c.now);
    expect(book.order('p', ['a', 'b', 'c']).ready).toEqual(['a', 'b', 'c']);
    book.markRateLimited('p', 'a', limited({ retryAfterMs: 5_000 }));
    const order = book.order('p', ['a', 'b', 'c']);
    expect(order.ready).toEqual(['b', 'c']);
    expect(order.cooling).toEqual([{ id: 'a', until: 1_005_000 }]);
    expect(book.view('p', 'a')).toMatchObject({ state: 'cooling', lastErrorCode: 'RATE_LIMITED', coolingUntil: new Date(1_005_000).toISOString() });
    c.advance(5_000);
    expect(book.order('p', ['a', 'b', 'c']).ready).toEqual(['a', 'b', 'c']);
    expect(book.view('p', 'a').state).toBe('ok');
  });

  it('keeps a rejected key out until the user edits it', () => {
    const c = clock();
    const book = new KeyHealthBook(c.now);
    book.markInvalid('p', 'b', denied);
    c.advance(24 * 3600_000);
    expect(book.order('p', ['a', 'b'])).toMatchObject({ ready: ['a'], invalid: ['b'] });
    expect(book.view('p', 'b')).toMatchObject({ state: 'invalid', lastError: 'rejected' });
    book.forget('p', 'b');
    expect(book.order('p', ['a', 'b']).ready).toEqual(['a', 'b']);
  });

  it('round robin starts after the key used last; order always starts at the first', () => {
    const book = new KeyHealthBook(clock().now);
    const keys = ['a', 'b', 'c'];
    book.advance('p', keys, 'a');
    expect(book.order('p', keys, 'round-robin').ready).toEqual(['b', 'c', 'a']);
    expect(book.order('p', keys, 'order').ready).toEqual(['a', 'b', 'c']);
    book.advance('p', keys, 'c');
    expect(book.order('p', keys, 'round-robin').ready).toEqual(['a', 'b', 'c']);
  });

  it('round robin goes on after a restart from the key used last (its saved lastUsedAt)', () => {
    const c = clock();
    const before = new KeyHealthBook(c.now);
    const keys = ['a', 'b', 'c'];
    for (const used of ['a', 'b']) {
      before.markUsed('p', used);
      before.advance('p', keys, used);
      c.advance(1000);
    }
    const after = new KeyHealthBook(c.now);
    after.restore(before.entries());
    expect(after.order('p', keys, 'round-robin').ready).toEqual(['c', 'a', 'b']);
    // A key list edited meanwhile: the key used last is looked up by id, wherever it now is.
    expect(after.order('p', ['b', 'd', 'a'], 'round-robin').ready).toEqual(['d', 'a', 'b']);
    // Nothing used yet: the first key.
    expect(new KeyHealthBook(c.now).order('p', keys, 'round-robin').ready).toEqual(['a', 'b', 'c']);
  });

  it('an answer ends the 429 streak, so the back-off starts small again', () => {
    const c = clock();
    const book = new KeyHealthBook(c.now);
    book.markRateLimited('p', 'a', limited());
    book.markRateLimited('p', 'a', limited());
    expect(book.state('p', 'a').coolingUntil).toBe(c.now() + 2000);
    book.markAnswered('p', 'a');
    book.markRateLimited('p', 'a', limited());
    expect(book.state('p', 'a').coolingUntil).toBe(c.now() + 1000);
  });

  it('forgets a deleted provider entirely, and keeps providers apart', () => {
    const book = new KeyHealthBook(clock().now);
    book.markInvalid('p', 'a', denied);
    book.markInvalid('q', 'a', denied);
    book.forgetProvider('p');
    expect(book.view('p', 'a').state).toBe('ok');
    expect(book.view('q', 'a').state).toBe('invalid');
  });
});
