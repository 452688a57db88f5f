import { describe, expect, it } from 'vitest';
import { decodeText, detectType } from '../../../../electron/main/attachments/detect-type';
import { imageMimeOf, readImageInfo } from '../../../../electron/main/attachments/image-header';
import { HELLO_PDF, pngOf, TINY_JPEG } from '../../../support/attachment-samples';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('readImageInfo', () => {
  it('reads PNG, JPEG, GIF and the three WebP headers', () => {
    expect(readImageInfo(pngOf(7, 3))).toEqual({ mime: 'image/png', width: 7, height: 3 });
    expect(readImageInfo(TINY_JPEG)).toEqual({ mime: 'image/jpeg', width: 1, height: 1 });
    const gif = Buffer.from('R0lGODlhAwAFAIAAAP///wAAACH5BAEAAAAALAAAAAADAAUAAAIEhI+pWAA7', 'base64');
    expect(readImageInfo(gif)).toEqual({ mime: 'image/gif', width: 3, height: 5 });
    const riff = (chunk: string, payload: number[]) =>
      new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP'), ...Buffer.from(chunk), 0, 0, 0, 0, ...payload, ...new Array(16).fill(0)]);
    // VP8X: 24-bit width-1 and height-1 at offsets 24 and 27.
    expect(readImageInfo(riff('VP8X', [0, 0, 0, 0, 99, 0, 0, 49, 0, 0]))).toEqual({ mime: 'image/webp', width: 100, height: 50 });
    // VP8L: signature 0x2f, then 14-bit width-1 and height-1.
    const w = 299, h = 199;
    const bits = (w) | (h << 14);
    expect(readImageInfo(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]))).toEqual({
      mime: 'image/webp',
      width: 300,
      height: 200,
    });
    // VP8 (lossy): frame tag, start code 9d 01 2a at 23, then 14-bit sizes.
    expect(readImageInfo(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 64, 1, 32, 1]))).toEqual({ mime: 'image/webp', width: 320, height: 288 });
  });

  it('refuses truncated or damaged headers', () => {
    expect(readImageInfo(pngOf(4, 4).subarray(0, 30))).toBeNull();
    expect(readImageInfo(TINY_JPEG.subarray(0, 20))).toBeNull();
    expect(readImageInfo(bytes(0xff, 0xd8, 0xff, 0xd9))).toBeNull();
    expect(imageMimeOf(bytes(0xff, 0xd8, 0xff, 0xd9))).toBe('image/jpeg');
    expect(readImageInfo(bytes(1, 2, 3))).toBeNull();
  });
});

describe('decodeText', () => {
  it('follows BOMs, takes valid UTF-8, and guesses legacy encodings', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('naïve')]))).toEqual({ text: 'naïve', encoding: 'UTF-8' });
    expect(decodeText(new Uint8Array([0xfe, 0xff, ...Buffer.from('hi', 'utf16le').swap16()]))).toEqual({ text: 'hi', encoding: 'UTF-16BE' });
    expect(decodeText(Buffer.from('繁體中文 UTF-8'))?.text).toBe('繁體中文 UTF-8');
    const latin1 = decodeText(Buffer.from('Gruß aus Köln, schöne Grüße und größere Fähigkeiten', 'latin1'));
    expect(latin1?.text).toBe('Gruß aus Köln, schöne Grüße und größere Fähigkeiten');
  });
});

describe('detectType', () => {
  it('images by their magic bytes whatever the name says', () => {
    expect(detectType(pngOf(1, 1), 'photo.jpg')).toEqual({ kind: 'image', mime: 'image/png' });
    expect(detectType(TINY_JPEG, 'x')).toEqual({ kind: 'image', mime: 'image/jpeg' });
  });
  it('PDFs, and text with a type from the extension', () => {
    expect(detectType(HELLO_PDF, 'a.pdf')).toEqual({ kind: 'pdf' });
    expect(detectType(Buffer.from('a,b\n1,2\n'), 'data.csv')).toMatchObject({ kind: 'text', mime: 'text/csv', text: 'a,b\n1,2\n' });
    expect(detectType(Buffer.from('{"a":1}'), 'x.json')).toMatchObject({ kind: 'text', mime: 'application/json' });
    expect(detectType(Buffer.from('fn main() {}\n'), 'main.rs')).toMatchObject({ kind: 'text', mime: 'text/plain' });
    expect(detectType(Buffer.from('\u001b[31mred\u001b[0m log line\n'), 'build.log')).toMatchObject({ kind: 'text' });
  });
  it('names what it refuses', () => {
    expect(detectType(Buffer.from('PK\u0003\u0004....'), 'sheet.xlsx')).toEqual({ kind: 'unsupported', typeName: 'Excel workbook', typeKey: 'excel' });
    expect(detectType(Buffer.from('PK\u0003\u0004....'), 'files.zip')).toEqual({ kind: 'unsupported', typeName: 'ZIP archive', typeKey: 'zip' });
    expect(detectType(Buffer.from('MZ\u0090\u0000'), 'setup.exe')).toEqual({ kind: 'unsupported', typeName: 'Windows program', typeKey: 'windowsProgram' });
    expect(detectType(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(8)]), 'v.mp4')).toEqual({
      kind: 'unsupported',
      typeName: 'video file',
      typeKey: 'video',
    });
    expect(detectType(Buffer.from([0x42, 0x4d, 1, 2]), 'a.bmp')).toEqual({ kind: 'unsupported', typeName: 'BMP image', typeKey: 'bmp' });
    expect(detectType(Buffer.from([1, 0, 2, 0, 3, 0, 0, 0, 9]), 'data.dat')).toEqual({ kind: 'unsupported', typeName: 'binary .dat file', typeKey: 'binaryExt', ext: 'dat' });
    expect(detectType(new Uint8Array(), 'empty.txt')).toEqual({ kind: 'unsupported', typeName: 'empty file', typeKey: 'empty' });
  });
});
