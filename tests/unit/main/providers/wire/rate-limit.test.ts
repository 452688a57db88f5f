/**
 * The wait after a 429 or a 503 with retry-after, which the Chat Completions and the Responses adapters
 * both go through.
 */
import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { mapProviderError } from '../../../../../electron/main/providers/errors/request-failure';
import { waitOutRetry } from '../../../../../electron/main/providers/wire/rate-limit';

const ctx = { baseUrl: 'http://127.0.0.1:8000/v1' };

async function drain<T, R>(gen: AsyncGenerator<T, R>): Promise<{ yielded: T[]; returned: R }> {
  const yielded: T[] = [];
  for (;;) {
    const step = await gen.next();
    if (step.done) return { yielded, returned: step.value };
    yielded.push(step.value);
  }
}

function apiError(status: number, headers: Record<string, string> = {}, code = 'rate_limit_exceeded'): APIError {
  return APIError.generate(status, { error: { message: 'Slow down.', type: 'requests', code } }, undefined, new Headers(headers));
}

describe('waitOutRetry', () => {
  it('shows the wait a 429 asks for, sleeps it and tells the caller to retry', async () => {
    const error = apiError(429, { 'retry-after': '2' });
    const slept: number[] = [];
    const { yielded, returned } = await drain(
      waitOutRetry(error, mapProviderError(error, ctx), 1, { sleep: async (ms) => void slept.push(ms) }, new AbortController().signal),
    );
    expect(yielded).toEqual([{ type: 'retry-wait', attempt: 2, seconds: 2, reason: 'rate-limited' }]);
    expect(slept).toEqual([2000]);
    expect(returned).toBe(true);
  });

  it('waits out a 503 that says when to come back, as "unavailable"', async () => {
    const error = apiError(503, { 'retry-after': '1' }, 'service_unavailable');
    const { yielded, returned } = await drain(waitOutRetry(error, mapProviderError(error, ctx), 0, { sleep: async () => {} }, new AbortController().signal));
    expect(yielded).toEqual([{ type: 'retry-wait', attempt: 1, seconds: 1, reason: 'unavailable' }]);
    expect(returned).toBe(true);
  });

  it('shows nothing and does not sleep when the failure is not waited out (quota, too many retries)', async () => {
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    const quota = apiError(429, {}, 'insufficient_quota');
    const quotaRun = await drain(waitOutRetry(quota, mapProviderError(quota, ctx), 0, { sleep }, new AbortController().signal));
    const busy = apiError(429, { 'retry-after': '1' });
    const tooManyRun = await drain(waitOutRetry(busy, mapProviderError(busy, ctx), 3, { sleep, maxRateLimitRetries: 3 }, new AbortController().signal));
    expect([quotaRun, tooManyRun]).toEqual([
      { yielded: [], returned: false },
      { yielded: [], returned: false },
    ]);
    expect(slept).toEqual([]);
  });
});
