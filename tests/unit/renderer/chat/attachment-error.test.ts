import { describe, expect, it } from 'vitest';
import { withTranslatedType } from '../../../../renderer/chat/attachments/attachment-error';
import { errorText } from '../../../../renderer/lib/error-text';
import type { AppError } from '../../../../shared/result';
import { translator } from '../../../support/translator';

const refused = (typeKey: string, type: string, ext?: string): AppError => ({
  code: 'ATTACHMENT_UNSUPPORTED',
  message: 'English sentence',
  params: { name: 'a.bin', type, typeKey, ...(ext ? { ext } : {}) },
});

describe('a refused type in the window’s language', () => {
  it('names the type in English and Traditional Chinese', async () => {
    const en = await translator('en');
    const zh = await translator('zh-TW');
    expect(errorText(en, withTranslatedType(en, refused('word', 'Word document')))).toBe(
      '“a.bin” is a Word document: Switchboard can attach images (PNG, JPEG, WebP, GIF), text files and PDFs.',
    );
    expect(errorText(zh, withTranslatedType(zh, refused('word', 'Word document')))).toBe(
      '「a.bin」是Word 文件：Switchboard 可附加圖片（PNG、JPEG、WebP、GIF）、文字檔與 PDF。',
    );
    expect(errorText(zh, withTranslatedType(zh, refused('binaryExt', 'binary .bin file', 'bin')))).toContain('二進位 .bin 檔');
  });
  it('keeps main’s English name for a key it does not know, and leaves other errors alone', async () => {
    const zh = await translator('zh-TW');
    expect(withTranslatedType(zh, refused('future', 'future file')).params?.type).toBe('future file');
    const other: AppError = { code: 'ATTACHMENT_UNREADABLE', message: 'x', params: { name: 'a' } };
    expect(withTranslatedType(zh, other)).toBe(other);
  });
});
