/**
 * What a file's bytes are, decided from the bytes (never from the name or the type the OS claimed):
 * an image we can send (PNG, JPEG, WebP, GIF), a PDF (its text is extracted), text in any common encoding
 * (decoded to a string), or something else, named in words for the refusal sentence.
 */
import chardet from 'chardet';
import { imageMimeOf } from './image-header';

export type Detected =
  | { kind: 'image'; mime: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' }
  | { kind: 'pdf' }
  | { kind: 'text'; text: string; mime: string; encoding: string }
  /** `typeKey` names the type for translation (attachments.types.* in the locales); `ext` goes with 'binaryExt'. */
  | { kind: 'unsupported'; typeName: string; typeKey: string; ext?: string };

/** English names of the types refused, by key (the renderer translates the key; main's sentence uses these). */
export const TYPE_NAMES: Record<string, string> = {
  zip: 'ZIP archive',
  gzip: 'gzip archive',
  sevenZip: '7-Zip archive',
  rar: 'RAR archive',
  windowsProgram: 'Windows program',
  linuxProgram: 'Linux program',
  macProgram: 'macOS program',
  bmp: 'BMP image',
  tiff: 'TIFF image',
  icon: 'icon file',
  mp3: 'MP3 audio file',
  ogg: 'Ogg audio file',
  flac: 'FLAC audio file',
  video: 'video file',
  oldOffice: 'Microsoft Office 97–2003 file',
  sqlite: 'SQLite database',
  word: 'Word document',
  excel: 'Excel workbook',
  powerpoint: 'PowerPoint presentation',
  odt: 'OpenDocument text',
  ods: 'OpenDocument spreadsheet',
  epub: 'EPUB book',
  jar: 'Java archive',
  heic: 'HEIC image',
  avif: 'AVIF image',
  audio: 'audio file',
  wav: 'WAV audio file',
  riff: 'RIFF file',
  binary: 'binary file',
  empty: 'empty file',
};

const keyOf = (typeName: string): string => Object.keys(TYPE_NAMES).find((k) => TYPE_NAMES[k] === typeName) ?? 'binary';

/** Binary formats people try to attach, by signature, named as a user would name them. */
const KNOWN_BINARY: readonly { signature: readonly number[]; offset?: number; name: string }[] = [
  { signature: [0x50, 0x4b, 0x03, 0x04], name: 'ZIP archive' },
  { signature: [0x1f, 0x8b], name: 'gzip archive' },
  { signature: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: '7-Zip archive' },
  { signature: [0x52, 0x61, 0x72, 0x21], name: 'RAR archive' },
  { signature: [0x4d, 0x5a], name: 'Windows program' },
  { signature: [0x7f, 0x45, 0x4c, 0x46], name: 'Linux program' },
  { signature: [0xcf, 0xfa, 0xed, 0xfe], name: 'macOS program' },
  { signature: [0x42, 0x4d], name: 'BMP image' },
  { signature: [0x49, 0x49, 0x2a, 0x00], name: 'TIFF image' },
  { signature: [0x4d, 0x4d, 0x00, 0x2a], name: 'TIFF image' },
  { signature: [0x00, 0x00, 0x01, 0x00], name: 'icon file' },
  { signature: [0x49, 0x44, 0x33], name: 'MP3 audio file' },
  { signature: [0x4f, 0x67, 0x67, 0x53], name: 'Ogg audio file' },
  { signature: [0x66, 0x4c, 0x61, 0x43], name: 'FLAC audio file' },
  { signature: [0x1a, 0x45, 0xdf, 0xa3], name: 'video file' },
  { signature: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], name: 'Microsoft Office 97–2003 file' },
  { signature: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], name: 'SQLite database' },
];

const OFFICE_BY_EXTENSION: Record<string, string> = {
  docx: 'Word document',
  xlsx: 'Excel workbook',
  pptx: 'PowerPoint presentation',
  odt: 'OpenDocument text',
  ods: 'OpenDocument spreadsheet',
  epub: 'EPUB book',
  jar: 'Java archive',
};

const TEXT_MIME_BY_EXTENSION: Record<string, string> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
}

/** ISO base media (MP4, MOV, HEIC …): `ftyp` at offset 4, the brand after it. */
function isoMediaName(bytes: Uint8Array): string | null {
  if (!startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4) || bytes.length < 12) return null;
  const brand = String.fromCharCode(...bytes.subarray(8, 12)).toLowerCase();
  if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'HEIC image';
  if (brand === 'avif' || brand === 'avis') return 'AVIF image';
  if (brand.startsWith('m4a')) return 'audio file';
  return 'video file';
}

function binaryName(bytes: Uint8Array, name: string): string | null {
  const iso = isoMediaName(bytes);
  if (iso) return iso;
  for (const known of KNOWN_BINARY) {
    if (!startsWith(bytes, known.signature, known.offset)) continue;
    if (known.name === 'ZIP archive') return OFFICE_BY_EXTENSION[extensionOf(name)] ?? known.name;
    return known.name;
  }
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46])) {
    const form = String.fromCharCode(...bytes.subarray(8, 12));
    return form === 'WAVE' ? 'WAV audio file' : form === 'AVI ' ? 'video file' : 'RIFF file';
  }
  return null;
}

/** Control characters other than tab, newline, carriage return, form feed and escape: a sign of binary data. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  let control = 0;
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) || c === 0xfffd) control++;
  }
  return control > Math.max(2, sample.length * 0.01);
}

function decodeWith(encoding: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    return new TextDecoder(encoding, { fatal }).decode(bytes);
  } catch {
    return null;
  }
}

/** The text of the bytes with the encoding it is in, or null when they are not text. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    const text = decodeWith('utf-8', bytes.subarray(3), true);
    return text === null ? null : { text, encoding: 'UTF-8' };
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    const text = decodeWith(encoding, bytes.subarray(2), true);
    return text === null ? null : { text, encoding: encoding.toUpperCase() };
  }
  const utf8 = decodeWith('utf-8', bytes, true);
  if (utf8 !== null) return { text: utf8, encoding: 'UTF-8' };
  // Not UTF-8: a legacy encoding (Big5, Shift_JIS, windows-1252 …) as the well-kept detector guesses it.
  const guess = chardet.detect(bytes);
  if (!guess || /^UTF-(16|32)/i.test(guess)) return null;
  const text = decodeWith(guess, bytes, false);
  return text === null ? null : { text, encoding: guess };
}

export function detectType(bytes: Uint8Array, name: string): Detected {
  if (bytes.length === 0) return { kind: 'unsupported', typeName: 'empty file', typeKey: 'empty' };
  const image = imageMimeOf(bytes);
  if (image) return { kind: 'image', mime: image };
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { kind: 'pdf' };
  const binary = binaryName(bytes, name);
  if (binary) return { kind: 'unsupported', typeName: binary, typeKey: keyOf(binary) };
  const decoded = decodeText(bytes);
  if (!decoded || looksBinary(decoded.text)) {
    const ext = extensionOf(name);
    return ext
      ? { kind: 'unsupported', typeName: `binary .${ext} file`, typeKey: 'binaryExt', ext }
      : { kind: 'unsupported', typeName: 'binary file', typeKey: 'binary' };
  }
  const mime = TEXT_MIME_BY_EXTENSION[extensionOf(name)] ?? 'text/plain';
  return { kind: 'text', text: decoded.text, mime, encoding: decoded.encoding };
}
