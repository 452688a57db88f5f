/**
 * Files attached to a user message. The bytes live once in main's content-addressed store
 * (<data>/attachments/ab/abcdef…, named by their SHA-256); a message holds only these references, so a
 * conversation file stays as small and as fast to open as one without attachments.
 */

/** `image`: PNG, JPEG, WebP or GIF bytes. `text`: UTF-8 text (decoded from the file's own encoding, or a PDF's text). */
export type AttachmentKind = 'image' | 'text';

export interface AttachmentRef {
  /** SHA-256 of the stored bytes, lowercase hex. */
  id: string;
  /** The file name the user attached (shown, and sent with a text file). */
  name: string;
  /** The type detected from the bytes (image/png, text/plain, application/pdf …), never the one the OS claimed. */
  mime: string;
  /** Bytes stored (for a text file: its UTF-8 text; for a PDF: its extracted text). */
  size: number;
  kind: AttachmentKind;
  width?: number;
  height?: number;
}

/** The most bytes one `attachments:add` carries (base64 adds a third: under the browser bridge's 16 MB per call). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** The most attachments one message carries. */
export const ATTACHMENTS_PER_MESSAGE_MAX = 10;
/** A text file (or a PDF's text) longer than this is refused: it would fill any model's context on its own. */
export const TEXT_ATTACHMENT_MAX_CHARS = 400_000;
/** An image is sent with its longest side at most this many pixels (larger ones are downscaled first). */
export const IMAGE_MAX_SIDE = 2048;
/** After downscaling, an image is re-encoded until it is at most this many bytes. */
export const IMAGE_MAX_SEND_BYTES = 1_500_000;
/** Main refuses images whose header claims more pixels than this (a decompression bomb). */
export const IMAGE_MAX_PIXELS = 100_000_000;

/** Image types sent as image input (what every OpenAI-style vision endpoint accepts). */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** "12.3 KB" style size for chips (1024-based, one decimal under 10). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(value) : value < 10 ? value.toFixed(1) : String(Math.round(value));
  return `${shown} ${units[unit]}`;
}
