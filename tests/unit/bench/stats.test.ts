import { describe, expect, it } from 'vitest';
import { estimateClockOffset, median, percentile, round, summarize } from '../../../bench/stats';

describe('bench statistics', () => {
  it('median of odd and even counts, whatever the input order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('nearest-rank p95 returns a measured value', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
    // 50 turns: the 48th smallest (ceil(47.5)).
    const fifty = Array.from({ length: 50 }, (_, i) => (50 - i) * 2);
    expect(percentile(fifty, 95)).toBe(96);
    expect(percentile([3, 9, 1], 95)).toBe(9);
  });

  it('summarize gives median, min, max, mean, p95 and the number of runs', () => {
    expect(summarize([10, 2, 8, 4, 6])).toEqual({ median: 6, min: 2, max: 10, mean: 6, p95: 10, runs: 5 });
  });

  it('refuses empty or non-finite samples instead of reporting a made-up figure', () => {
    expect(() => summarize([])).toThrow(/no samples/);
    expect(() => median([1, Number.NaN])).toThrow(/finite/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });

  it('rounds for the report', () => {
    expect(round(3.14159)).toBe(3.14);
    expect(round(123.456)).toBe(123.5);
    expect(round(12345.6)).toBe(12346);
  });

  it('estimates another clock from the quickest round trips', () => {
    // The remote clock is 1000 ms ahead; slow exchanges with the reading off-centre must not skew it.
    const samples = [
      { sentAt: 0, remoteAt: 1000.5, receivedAt: 1 },
      { sentAt: 10, remoteAt: 1010.4, receivedAt: 10.8 },
      { sentAt: 20, remoteAt: 1029, receivedAt: 30 }, // slow: reading late in the round trip
      { sentAt: 40, remoteAt: 1040.6, receivedAt: 41.2 },
    ];
    const { offsetMs, uncertaintyMs } = estimateClockOffset(samples);
    expect(offsetMs).toBeCloseTo(1000, 0);
    expect(uncertaintyMs).toBeCloseTo(0.4, 5);
    expect(() => estimateClockOffset([])).toThrow();
  });
});
