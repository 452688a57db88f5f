/**
 * Pure arithmetic of image downscaling (unit-tested): the size an image is sent at and the size of its
 * thumbnail, both keeping the aspect ratio and never enlarging.
 */

export interface Size {
  width: number;
  height: number;
}

/** `size` scaled so its longest side is at most `maxSide` (whole pixels, at least 1; never enlarged). */
export function fitWithin(size: Size, maxSide: number): Size {
  const longest = Math.max(size.width, size.height);
  if (longest <= maxSide) return { width: size.width, height: size.height };
  const scale = maxSide / longest;
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

/**
 * The next, smaller attempt when an encoded image is still over the byte limit: first lower quality (down
 * to `minQuality`), then a smaller size (each step ~75% of the side, about half the pixels), quality reset.
 * Null when the image cannot get smaller (already tiny).
 */
export function nextAttempt(
  current: { size: Size; quality: number },
  bytes: number,
  maxBytes: number,
  { minQuality = 0.6, startQuality = 0.86 }: { minQuality?: number; startQuality?: number } = {},
): { size: Size; quality: number } | null {
  if (bytes <= maxBytes) return null;
  if (current.quality - 0.12 >= minQuality) return { size: current.size, quality: Math.round((current.quality - 0.12) * 100) / 100 };
  const longest = Math.max(current.size.width, current.size.height);
  if (longest <= 64) return null;
  // Bytes grow roughly with pixels: shrink by the square root of the overshoot, at least to 75% a side.
  const factor = Math.min(0.75, Math.sqrt(maxBytes / bytes) * 0.95);
  return { size: fitWithin(current.size, Math.floor(longest * factor)), quality: startQuality };
}

/** Whether an image can go as it is: within both limits, and a type whose bytes need no re-encoding. */
export function canSendAsIs(mime: string, size: Size, bytes: number, maxSide: number, maxBytes: number): boolean {
  // JPEGs are always re-encoded: their EXIF orientation is then applied to the pixels (models ignore the tag).
  if (mime === 'image/jpeg') return false;
  return ['image/png', 'image/webp', 'image/gif'].includes(mime) && Math.max(size.width, size.height) <= maxSide && bytes <= maxBytes;
}
