/**
 * Turns a pasted, dropped or picked file into what `attachments:add` takes. Images are decoded here (the
 * decoder is the browser's, with the EXIF orientation applied), downscaled to IMAGE_MAX_SIDE and re-encoded
 * under IMAGE_MAX_SEND_BYTES, and a small thumbnail is drawn for the chip first. Other files go as their
 * bytes; main decides what they are.
 */
import { IMAGE_MAX_SEND_BYTES, IMAGE_MAX_SIDE } from '../../../shared/models/attachments';
import { canSendAsIs, fitWithin, nextAttempt, type Size } from './image-size-math';

export interface PreparedFile {
  /** Bytes for main, base64. */
  data: string;
  /** An object URL of the thumbnail (images only); revoke it when the chip goes. */
  thumbnailUrl?: string;
  /** Set when the browser could not decode a file that claims to be an image. */
  undecodable?: boolean;
}

export function isImageFile(file: Blob): boolean {
  return /^image\/(png|jpeg|webp|gif|bmp|avif)$/.test(file.type);
}

/** Base64 of a blob, read by the browser's own encoder (fast for megabytes). */
export function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

function canvasOf(size: Size): OffscreenCanvas {
  return new OffscreenCanvas(size.width, size.height);
}

async function encode(bitmap: ImageBitmap, size: Size, type: string, quality: number): Promise<Blob> {
  const canvas = canvasOf(size);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.imageSmoothingQuality = 'high';
  if (type === 'image/jpeg') {
    // JPEG has no transparency: white under it, as a page would show it.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size.width, size.height);
  }
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  return canvas.convertToBlob({ type, quality });
}

/** The image within the limits: as it is when it already fits, else downscaled and re-encoded. */
export async function sendableImage(file: Blob, bitmap: ImageBitmap): Promise<Blob> {
  const natural = { width: bitmap.width, height: bitmap.height };
  if (canSendAsIs(file.type, natural, file.size, IMAGE_MAX_SIDE, IMAGE_MAX_SEND_BYTES)) return file;
  // Photos as JPEG; images that may be transparent (PNG, WebP, GIF …) as WebP, which keeps the alpha.
  const type = file.type === 'image/jpeg' ? 'image/jpeg' : 'image/webp';
  let attempt: { size: Size; quality: number } | null = { size: fitWithin(natural, IMAGE_MAX_SIDE), quality: 0.86 };
  let blob = await encode(bitmap, attempt.size, type, attempt.quality);
  while ((attempt = nextAttempt(attempt, blob.size, IMAGE_MAX_SEND_BYTES)) !== null) {
    blob = await encode(bitmap, attempt.size, type, attempt.quality);
  }
  return blob;
}

/** Thumbnails are drawn at this longest side (chips show them at 56 px; twice for sharp high-DPI screens). */
export const THUMBNAIL_SIDE = 112;

/** The thumbnail as an object URL, drawn from a decoded image (bitmap, or a decoder's frame). */
async function thumbnailOf(source: ImageBitmap | VideoFrame, natural: Size): Promise<string> {
  const size = fitWithin(natural, THUMBNAIL_SIDE);
  const canvas = canvasOf(size);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.drawImage(source, 0, 0, size.width, size.height);
  return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 }));
}

/**
 * A thumbnail without decoding the whole image, where the browser can (WebCodecs' ImageDecoder in a secure
 * context: Chromium, Electron): asked for a small size, it decodes a JPEG at 1/8 scale, about twice as fast
 * as a full decode of a 12 MP photo, and its frame carries the EXIF orientation, which drawing applies.
 * Null where it cannot; the full decode then draws the thumbnail.
 */
async function scaledThumbnail(file: Blob): Promise<string | null> {
  if (typeof ImageDecoder === 'undefined' || !(await ImageDecoder.isTypeSupported(file.type))) return null;
  const decoder = new ImageDecoder({ data: await file.arrayBuffer(), type: file.type, desiredWidth: THUMBNAIL_SIDE, desiredHeight: THUMBNAIL_SIDE });
  try {
    const { image } = await decoder.decode();
    try {
      return await thumbnailOf(image, { width: image.displayWidth, height: image.displayHeight });
    } finally {
      image.close();
    }
  } finally {
    decoder.close();
  }
}

/**
 * `onThumbnail` hears of the thumbnail as soon as it is drawn, before the (slower) downscaled image for
 * sending is ready.
 */
export async function prepareFile(file: Blob, onThumbnail?: (url: string) => void): Promise<PreparedFile> {
  if (!isImageFile(file)) return { data: await base64Of(file) };
  let thumbnailUrl = await scaledThumbnail(file).catch(() => null);
  if (thumbnailUrl) onThumbnail?.(thumbnailUrl);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    if (thumbnailUrl) URL.revokeObjectURL(thumbnailUrl);
    return { data: '', undecodable: true };
  }
  try {
    if (!thumbnailUrl) {
      thumbnailUrl = await thumbnailOf(bitmap, { width: bitmap.width, height: bitmap.height });
      onThumbnail?.(thumbnailUrl);
    }
    const sendable = await sendableImage(file, bitmap);
    return { data: await base64Of(sendable), thumbnailUrl };
  } finally {
    bitmap.close();
  }
}
