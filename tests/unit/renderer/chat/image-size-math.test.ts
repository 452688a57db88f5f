import { describe, expect, it } from 'vitest';
import { canSendAsIs, fitWithin, nextAttempt } from '../../../../renderer/chat/attachments/image-size-math';

describe('fitWithin', () => {
  it('scales the longest side down to the limit, keeping the aspect ratio', () => {
    expect(fitWithin({ width: 4032, height: 3024 }, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin({ width: 3024, height: 4032 }, 2048)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin({ width: 10000, height: 10 }, 2048)).toEqual({ width: 2048, height: 2 });
  });
  it('never enlarges, and keeps at least one pixel a side', () => {
    expect(fitWithin({ width: 800, height: 600 }, 2048)).toEqual({ width: 800, height: 600 });
    expect(fitWithin({ width: 100_000, height: 1 }, 2048)).toEqual({ width: 2048, height: 1 });
  });
});

describe('nextAttempt', () => {
  const size = { width: 2048, height: 1536 };
  it('is done once the bytes fit', () => {
    expect(nextAttempt({ size, quality: 0.86 }, 1_000_000, 1_500_000)).toBeNull();
  });
  it('lowers the quality first, then the size (quality back up)', () => {
    expect(nextAttempt({ size, quality: 0.86 }, 2_000_000, 1_500_000)).toEqual({ size, quality: 0.74 });
    expect(nextAttempt({ size, quality: 0.62 }, 2_000_000, 1_500_000)).toEqual({ size: { width: 1536, height: 1152 }, quality: 0.86 });
  });
  it('shrinks more when far over the limit, and gives up on a tiny image', () => {
    const next = nextAttempt({ size, quality: 0.6 }, 12_000_000, 1_500_000);
    expect(next?.size.width).toBeLessThan(720);
    expect(nextAttempt({ size: { width: 64, height: 64 }, quality: 0.6 }, 2_000_000, 1_500_000)).toBeNull();
  });
});

describe('canSendAsIs', () => {
  it('keeps PNG, WebP and GIF within both limits; re-encodes every JPEG (orientation applied) and anything over', () => {
    expect(canSendAsIs('image/png', { width: 1200, height: 800 }, 400_000, 2048, 1_500_000)).toBe(true);
    expect(canSendAsIs('image/gif', { width: 300, height: 300 }, 900_000, 2048, 1_500_000)).toBe(true);
    expect(canSendAsIs('image/jpeg', { width: 300, height: 300 }, 20_000, 2048, 1_500_000)).toBe(false);
    expect(canSendAsIs('image/png', { width: 3000, height: 800 }, 400_000, 2048, 1_500_000)).toBe(false);
    expect(canSendAsIs('image/webp', { width: 1000, height: 800 }, 2_000_000, 2048, 1_500_000)).toBe(false);
    expect(canSendAsIs('image/bmp', { width: 100, height: 100 }, 30_000, 2048, 1_500_000)).toBe(false);
  });
});
