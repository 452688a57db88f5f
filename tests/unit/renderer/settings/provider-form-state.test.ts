import { describe, expect, it } from 'vitest';
import type { ProviderView } from '../../../../shared/models/provider';
import { DEFAULT_BASE_URL } from '../../../../shared/models/provider';
import {
  apiKeyInputValue,
  draftForSubmit,
  draftFromView,
  isDraftDirty,
  minutesToRunTimeoutMs,
  newDraft,
  runTimeoutMinutesText,
  showsField,
} from '../../../../renderer/settings/provider-form-state';

const view: ProviderView = {
  id: 'p1',
  type: 'openai-compatible',
  name: 'Local',
  baseUrl: 'http://localhost:11434/v1',
  model: 'llama3',
  assistantId: '',
  customHeaders: [{ name: 'api-key', value: '…wxyz' }],
  runTimeoutMs: 300_000,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hasApiKey: true,
  apiKeyHint: '…a1b2',
  keyLocation: 'keychain',
  keys: [{ id: 'default', label: '', hint: '…a1b2', location: 'keychain', health: { state: 'ok', lastUsedAt: null, lastError: null, lastErrorCode: null, coolingUntil: null } }],
};

describe('provider form state', () => {
  it('shows exactly the fields of issue 3 for each type', () => {
    expect(showsField('openai', 'baseUrl')).toBe(false);
    expect(showsField('openai', 'apiKey')).toBe(true);
    expect(showsField('openai', 'customHeaders')).toBe(false);
    expect(showsField('openai-compatible', 'customHeaders')).toBe(true);
    expect(showsField('openai-compatible', 'assistantId')).toBe(false);
    expect(showsField('openai-assistant', 'assistantId')).toBe(true);
    expect(showsField('openai-assistant', 'model')).toBe(false);
    expect(showsField('openai-assistant', 'baseUrl')).toBe(true);
  });

  it('starts a saved provider from its view with the key kept, and never puts a key in the input', () => {
    const draft = draftFromView(view);
    expect(draft.apiKey).toEqual({ action: 'keep' });
    expect(apiKeyInputValue(draft)).toBe('');
    expect(isDraftDirty(draft, draftFromView(view))).toBe(false);
  });

  it('counts a typed key or a removal as a change, and an emptied key field as no change', () => {
    const baseline = draftFromView(view);
    expect(isDraftDirty({ ...baseline, apiKey: { action: 'set', value: 'sk-new' } }, baseline)).toBe(true);
    expect(isDraftDirty({ ...baseline, apiKey: { action: 'clear' } }, baseline)).toBe(true);
    expect(isDraftDirty({ ...baseline, apiKey: { action: 'set', value: '' } }, baseline)).toBe(false);
  });

  it('ignores leftovers of another type and blank header rows when deciding what is unsaved', () => {
    const baseline = draftFromView(view);
    expect(isDraftDirty({ ...baseline, assistantId: 'asst_x' }, baseline)).toBe(false);
    expect(isDraftDirty({ ...baseline, customHeaders: [...baseline.customHeaders, { name: '', value: '' }] }, baseline)).toBe(false);
    expect(isDraftDirty({ ...baseline, customHeaders: [] }, baseline)).toBe(true);
    expect(isDraftDirty({ ...baseline, type: 'openai' }, baseline)).toBe(true);
    expect(isDraftDirty({ ...baseline, model: 'other' }, baseline)).toBe(true);
  });

  it('sends only what the chosen type uses: hidden values typed under another type never leave the form', () => {
    const draft = { ...draftFromView(view), type: 'openai' as const, assistantId: 'asst_1' };
    const out = draftForSubmit(draft);
    expect(out.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(out.customHeaders).toEqual([]);
    expect(out.assistantId).toBe('');
    expect(out.model).toBe('llama3');

    const assistant = draftForSubmit({ ...draftFromView(view), type: 'openai-assistant', assistantId: ' asst_1 ' });
    expect(assistant).toMatchObject({ model: '', customHeaders: [], assistantId: 'asst_1', baseUrl: view.baseUrl });
  });

  it('the Assistant run timeout: shown only for assistants, edited in minutes, a change only when the value differs', () => {
    expect(showsField('openai-assistant', 'runTimeout')).toBe(true);
    expect(showsField('openai-compatible', 'runTimeout')).toBe(false);
    expect(showsField('openai', 'runTimeout')).toBe(false);

    expect(runTimeoutMinutesText(300_000)).toBe('5');
    expect(runTimeoutMinutesText(90_000)).toBe('1.5');
    expect(runTimeoutMinutesText(Number.NaN)).toBe('');
    expect(minutesToRunTimeoutMs('12')).toBe(720_000);
    expect(minutesToRunTimeoutMs(' 1,5 ')).toBe(90_000);
    expect(minutesToRunTimeoutMs('')).toBeNaN();
    expect(minutesToRunTimeoutMs('ten')).toBeNaN();

    const assistantView: ProviderView = { ...view, type: 'openai-assistant', model: '', customHeaders: [], assistantId: 'asst_1' };
    const baseline = draftFromView(assistantView);
    expect(isDraftDirty({ ...baseline, runTimeoutMs: 300_000 }, baseline)).toBe(false);
    expect(isDraftDirty({ ...baseline, runTimeoutMs: 600_000 }, baseline)).toBe(true);
    expect(isDraftDirty({ ...baseline, runTimeoutMs: Number.NaN }, baseline)).toBe(true);
    // A new provider without a value uses the default, so typing the default changes nothing.
    const fresh = { ...newDraft('openai-assistant') };
    expect(isDraftDirty({ ...fresh, runTimeoutMs: 300_000 }, { ...fresh })).toBe(false);

    expect(draftForSubmit({ ...baseline, runTimeoutMs: 600_000 }).runTimeoutMs).toBe(600_000);
    // Hidden for other types: never sent, so main keeps what is saved.
    expect(draftForSubmit({ ...baseline, type: 'openai-compatible', runTimeoutMs: Number.NaN })).not.toHaveProperty('runTimeoutMs');
  });

  it('trims text, keeps blank header rows in place (main skips them), keeps masked header values verbatim and turns an empty typed key into keep', () => {
    const out = draftForSubmit({
      ...newDraft(),
      name: '  Box  ',
      baseUrl: ' http://localhost:1234/v1 ',
      customHeaders: [
        { name: ' X-Title ', value: ' Switchboard ' },
        { name: '', value: '' },
        { name: 'api-key', value: '…wxyz' },
      ],
      apiKey: { action: 'set', value: '' },
    });
    expect(out.name).toBe('Box');
    expect(out.baseUrl).toBe('http://localhost:1234/v1');
    expect(out.customHeaders).toEqual([
      { name: 'X-Title', value: ' Switchboard ' },
      { name: '', value: '' },
      { name: 'api-key', value: '…wxyz' },
    ]);
    expect(out.apiKey).toEqual({ action: 'keep' });
    expect(out.id).toBeUndefined();
  });
});

describe('default conversation settings in the provider form', () => {
  it('are dirty only when what they mean changes (not their order or empty fields), and an emptied set is sent as empty', () => {
    const saved = { ...view, defaults: { temperature: 0.5, systemPrompt: 'Hi' } };
    const baseline = draftFromView(saved);
    expect(isDraftDirty({ ...baseline, defaults: { systemPrompt: 'Hi', temperature: 0.5, stop: [] } }, baseline)).toBe(false);
    expect(isDraftDirty({ ...baseline, defaults: { systemPrompt: 'Hi' } }, baseline)).toBe(true);
    expect(draftFromView(view).defaults).toEqual({});
    expect(draftForSubmit({ ...baseline, defaults: {} }).defaults).toEqual({});
  });
});
