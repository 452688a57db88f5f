import { describe, expect, it } from 'vitest';
import { CALM_MS, LruCache, RenderBudget, RUSH_CHARS, StreamPace, WorkQueue } from '../../../../../renderer/chat/markdown/render-budget';

function fakeClock(start = 0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('RenderBudget', () => {
  it('allows work for a slice of time from the first request of a run, then again in the next run', () => {
    const clock = fakeClock(100);
    const runEnds: (() => void)[] = [];
    const budget = new RenderBudget(8, clock, (reset) => runEnds.push(reset));
    expect(budget.hasTime()).toBe(true);
    clock.t += 7.9;
    expect(budget.hasTime()).toBe(true);
    clock.t += 0.1;
    expect(budget.hasTime()).toBe(false);
    clock.t += 50;
    expect(budget.hasTime()).toBe(false);
    // One reset per run, however often it was asked.
    expect(runEnds).toHaveLength(1);
    runEnds.splice(0).forEach((reset) => reset());
    expect(budget.hasTime()).toBe(true);
  });

  it('ends a run at the next microtask by default', async () => {
    const clock = fakeClock();
    const budget = new RenderBudget(8, clock);
    budget.hasTime();
    clock.t += 20;
    expect(budget.hasTime()).toBe(false);
    await Promise.resolve();
    expect(budget.hasTime()).toBe(true);
  });
});

describe('WorkQueue', () => {
  function queueWith(sliceMs: number, costMs: number) {
    const clock = fakeClock();
    const slices: (() => void)[] = [];
    const queue = new WorkQueue(sliceMs, clock, (run) => slices.push(run));
    const done: string[] = [];
    const job = (name: string) => () => {
      clock.t += costMs;
      done.push(name);
    };
    const runSlice = () => {
      const next = slices.shift();
      if (!next) throw new Error('no slice scheduled');
      next();
    };
    return { queue, done, job, slices, runSlice };
  }

  it('runs the newest jobs first, in slices that stop once their time is used, and schedules one slice at a time', () => {
    const { queue, done, job, slices, runSlice } = queueWith(8, 3);
    for (const name of ['old', 'mid', 'new', 'newest']) queue.add(job(name));
    expect(slices).toHaveLength(1);
    expect(done).toEqual([]);
    runSlice();
    // 3 ms each: the third job crosses 8 ms and ends the slice.
    expect(done).toEqual(['newest', 'new', 'mid']);
    expect(slices).toHaveLength(1);
    runSlice();
    expect(done).toEqual(['newest', 'new', 'mid', 'old']);
    expect(slices).toHaveLength(0);
    expect(queue.size).toBe(0);
  });

  it('always makes progress: a job longer than a slice still runs, one per slice', () => {
    const { queue, done, job, runSlice } = queueWith(8, 30);
    queue.add(job('a'));
    queue.add(job('b'));
    runSlice();
    expect(done).toEqual(['b']);
    runSlice();
    expect(done).toEqual(['b', 'a']);
  });

  it('ends the slice after a job whose cost comes after it (a render and its layout)', () => {
    const { queue, done, job, runSlice } = queueWith(8, 0);
    queue.add(job('light'));
    queue.add(job('settle 1'), { endsSlice: true });
    queue.add(job('settle 2'), { endsSlice: true });
    runSlice();
    expect(done).toEqual(['settle 2']);
    runSlice();
    expect(done).toEqual(['settle 2', 'settle 1']);
    runSlice();
    expect(done).toEqual(['settle 2', 'settle 1', 'light']);
  });

  it('skips cancelled jobs (a block that was unmounted)', () => {
    const { queue, done, job, runSlice } = queueWith(8, 1);
    queue.add(job('kept'));
    const cancel = queue.add(job('gone'));
    cancel();
    expect(queue.size).toBe(1);
    runSlice();
    expect(done).toEqual(['kept']);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entries once the total size is over the limit', () => {
    const cache = new LruCache<number>(10);
    cache.set('a', 1, 4);
    cache.set('b', 2, 4);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 4);
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
  });

  it('keeps a single entry larger than the limit, and replaces an entry in place', () => {
    const cache = new LruCache<string>(10);
    cache.set('big', 'x', 50);
    expect(cache.get('big')).toBe('x');
    cache.set('big', 'y', 5);
    cache.set('small', 'z', 5);
    expect([cache.get('big'), cache.get('small')]).toEqual(['y', 'z']);
  });

  it('sizes entries by key length by default', () => {
    const cache = new LruCache<number>(6);
    cache.set('abc', 1);
    cache.set('def', 2);
    cache.set('g', 3);
    expect(cache.has('abc')).toBe(false);
    expect(cache.has('def')).toBe(true);
  });
});

describe('StreamPace', () => {
  it('calls an update that adds thousands of characters a burst, until it has calmed down', () => {
    const clock = fakeClock();
    const pace = new StreamPace(clock);
    // A reply opened mid-stream: what was already there is no burst.
    expect(pace.update(50_000)).toBe(false);
    clock.t += 10;
    expect(pace.update(50_000 + RUSH_CHARS)).toBe(true);
    expect(pace.calmIn()).toBe(CALM_MS);
    clock.t += CALM_MS - 1;
    expect(pace.update(50_000 + RUSH_CHARS + 5)).toBe(true);
    clock.t += 1;
    expect(pace.update(50_000 + RUSH_CHARS + 5)).toBe(false);
    expect(pace.calmIn()).toBe(0);
  });

  it('never rushes a paced reply', () => {
    const clock = fakeClock();
    const pace = new StreamPace(clock);
    for (let len = 0; len < 100_000; len += RUSH_CHARS - 1) {
      expect(pace.update(len)).toBe(false);
      clock.t += 1;
    }
  });
});
