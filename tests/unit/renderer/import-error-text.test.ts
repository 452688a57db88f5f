/** IMPORT_BAD_CONVERSATION reads as one sentence in each language: the reason is a param, not English text. */
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { parseImport } from '../../../electron/main/archive/import-parse';
import { AppFailure } from '../../../shared/result';
import { errorText } from '../../../renderer/lib/error-text';
import { resources } from '../../../renderer/i18n';

async function textOf(language: 'en' | 'zh-TW', file: unknown): Promise<string> {
  const i18n = createInstance();
  await i18n.init({ resources, lng: language, fallbackLng: 'en', ns: ['errors'], interpolation: { escapeValue: false } });
  try {
    parseImport(new TextEncoder().encode(JSON.stringify(file)), 'c.json');
  } catch (error) {
    if (error instanceof AppFailure) return errorText(i18n.t, error.appError);
    throw error;
  }
  throw new Error('imported');
}

const loop = [{ title: 'Loop', id: 'a', create_time: 1, current_node: 'n1', mapping: { n1: { id: 'n1', parent: 'n2', children: [] }, n2: { id: 'n2', parent: 'n1', children: [] } } }];

describe('IMPORT_BAD_CONVERSATION', () => {
  it('says why in the language of the UI', async () => {
    expect(await textOf('en', loop)).toBe('Conversation 1 (“Loop”) cannot be imported (its messages form a loop): nothing was imported.');
    const zh = await textOf('zh-TW', loop);
    expect(zh).toBe('第 1 個對話（「Loop」）無法匯入（其訊息形成迴圈），未匯入任何內容。');
    expect(zh).not.toMatch(/loop|messages/);
  });
});
