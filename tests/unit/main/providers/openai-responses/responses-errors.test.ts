/**
 * The English texts of the Responses API's errors equal their translations in errors.json (the window shows
 * the translation; a mismatch would say something else in each language).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { responsesApiUnavailable } from '../../../../../electron/main/providers/openai-responses/responses-errors';
import type { AppError } from '../../../../../shared/result';

const LOCALES = path.resolve(__dirname, '../../../../../renderer/i18n/locales');

describe('error texts', () => {
  const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(LOCALES, lang, 'errors.json'), 'utf8')) as Record<string, unknown> & { hints: Record<string, string> };
  const en = load('en');
  const render = (template: string, params: Record<string, string | number> = {}) =>
    template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? ''));
  const key = (error: AppError) => (typeof error.params?.context === 'string' ? `${error.code}_${error.params.context}` : error.code);

  it.each([
    ['no Responses API', responsesApiUnavailable('http://127.0.0.1:8000/v1', 404)],
    ['no Conversations API', responsesApiUnavailable('https://openrouter.ai/api/v1', 404, 'conversations')],
  ])('%s: the English message and hint equal the en translations', (_what, error) => {
    expect(render(en[key(error)] as string, error.params)).toBe(error.message);
    expect(render(en.hints[key(error)] ?? '', error.params)).toBe(error.hint);
  });

  it('has every Responses code in both languages', () => {
    const zh = load('zh-TW');
    for (const code of ['RESPONSES_API_UNAVAILABLE', 'RESPONSES_API_UNAVAILABLE_conversations', 'RESPONSE_FAILED', 'RESPONSE_INCOMPLETE', 'RESPONSE_CANCELLED']) {
      expect(en[code], code).toEqual(expect.any(String));
      expect(zh[code], code).toEqual(expect.any(String));
      expect(en.hints[code], code).toEqual(expect.any(String));
      expect(zh.hints[code], code).toEqual(expect.any(String));
    }
  });
});
