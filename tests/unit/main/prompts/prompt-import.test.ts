import { describe, expect, it } from 'vitest';
import { parsePromptImport } from '../../../../electron/main/prompts/prompt-import';
import { PROMPT_NAME_MAX, PROMPT_TEXT_MAX, promptDraftSchema, promptMatches } from '../../../../shared/models/prompts';
import { AppFailure, type AppError } from '../../../../shared/result';

function refusal(text: string): AppError {
  try {
    parsePromptImport(text, 'library.json');
  } catch (error) {
    if (error instanceof AppFailure) return error.appError;
    throw error;
  }
  throw new Error('the import was accepted');
}

const ours = (prompts: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'switchboard-prompts', version: 1, prompts, ...extra });

describe('parsePromptImport', () => {
  it('reads our export (names trimmed; a BOM is fine)', () => {
    const text = '\uFEFF' + ours([{ name: ' Summary ', text: 'Summarize {{text}}' }, { name: 'Poem', text: 'Write a poem' }]);
    expect(parsePromptImport(text, 'library.json')).toEqual([
      { name: 'Summary', text: 'Summarize {{text}}' },
      { name: 'Poem', text: 'Write a poem' },
    ]);
  });

  it('refuses a file that is not JSON', () => {
    const error = refusal('{"format": "switchboard-prompts", ');
    expect(error.code).toBe('PROMPTS_IMPORT_NOT_JSON');
    expect(error.message).toBe('library.json is not a JSON file: nothing was imported.');
  });

  it('refuses JSON that is not ours: another app, our conversations export, an array, a missing list', () => {
    for (const text of [
      JSON.stringify([{ name: 'a', text: 'b' }]),
      JSON.stringify({ format: 'switchboard-conversations', version: 1, conversations: [] }),
      JSON.stringify({ prompts: [{ name: 'a', text: 'b' }] }),
      JSON.stringify({ format: 'switchboard-prompts', version: 'one', prompts: [] }),
      JSON.stringify({ format: 'switchboard-prompts', version: 1, prompts: {} }),
      'null',
    ]) {
      const error = refusal(text);
      expect(error.code, text).toBe('PROMPTS_IMPORT_FOREIGN');
      expect(error.message).toBe('library.json is not a Switchboard prompt library: nothing was imported.');
    }
  });

  it('refuses a newer format, naming it', () => {
    const error = refusal(ours([], { version: 2 }));
    expect(error.code).toBe('PROMPTS_IMPORT_NEWER_VERSION');
    expect(error.params).toMatchObject({ file: 'library.json', version: 2 });
  });

  it('refuses a half-valid file as a whole, naming the first prompt and field that do not fit', () => {
    const cases: [unknown[], number, string][] = [
      [[{ name: 'Good', text: 'fine' }, { name: 'No text' }], 2, 'text'],
      [[{ name: 'Good', text: 'fine' }, 'a string'], 2, 'prompt'],
      [[{ name: '   ', text: 'x' }], 1, 'name'],
      [[{ name: 'x'.repeat(PROMPT_NAME_MAX + 1), text: 'x' }], 1, 'name'],
      [[{ name: 'Long', text: 'x'.repeat(PROMPT_TEXT_MAX + 1) }], 1, 'text'],
      [[{ name: 'Number', text: 42 }], 1, 'text'],
    ];
    for (const [prompts, index, field] of cases) {
      const error = refusal(ours(prompts));
      expect(error.code).toBe('PROMPTS_IMPORT_BAD_PROMPT');
      expect(error.params).toEqual({ file: 'library.json', index, field });
      expect(error.message).toBe(
        `Prompt ${index} in library.json cannot be imported (the field “${field}” is missing or wrong): nothing was imported.`,
      );
    }
  });
});

describe('promptDraftSchema (prompts:save at the IPC boundary)', () => {
  const ok = (value: unknown) => promptDraftSchema.safeParse(value).success;
  it('accepts a name up to 200 characters and a text up to 100,000', () => {
    expect(ok({ name: 'n'.repeat(PROMPT_NAME_MAX), text: 't'.repeat(PROMPT_TEXT_MAX) })).toBe(true);
    expect(ok({ id: 'abc', name: 'Edit', text: 'x' })).toBe(true);
  });
  it('refuses an empty or blank name, an empty text, and anything longer', () => {
    expect(ok({ name: '', text: 'x' })).toBe(false);
    expect(ok({ name: '   ', text: 'x' })).toBe(false);
    expect(ok({ name: 'a', text: '' })).toBe(false);
    expect(ok({ name: 'n'.repeat(PROMPT_NAME_MAX + 1), text: 'x' })).toBe(false);
    expect(ok({ name: 'a', text: 't'.repeat(PROMPT_TEXT_MAX + 1) })).toBe(false);
    expect(ok({ name: 'a', text: 'x', id: '' })).toBe(false);
  });
});

describe('promptMatches', () => {
  it('matches name or text, ignoring case; an empty query matches all', () => {
    const prompt = { name: 'Code Review', text: 'Review this diff for bugs' };
    expect(promptMatches(prompt, 'code')).toBe(true);
    expect(promptMatches(prompt, 'DIFF')).toBe(true);
    expect(promptMatches(prompt, '  ')).toBe(true);
    expect(promptMatches(prompt, 'poem')).toBe(false);
  });
});
