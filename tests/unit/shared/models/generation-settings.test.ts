import { describe, expect, it } from 'vitest';
import {
  generationSettingsSchema,
  hasCustomSettings,
  normalizeSettings,
  readStoredSettings,
} from '../../../../shared/models/generation-settings';
import { parseConversationFile, serializeConversation } from '../../../../electron/main/conversations/conversation-file';

const ok = (value: unknown) => generationSettingsSchema.safeParse(value).success;

describe('generationSettingsSchema', () => {
  it('accepts values inside the ranges of the API reference', () => {
    expect(ok({})).toBe(true);
    expect(ok({ temperature: 0, topP: 1, maxOutputTokens: 1, presencePenalty: -2, frequencyPenalty: 2, seed: -7 })).toBe(true);
    expect(ok({ temperature: 2, stop: ['a', 'b', 'c', 'd'], historyLimit: 'all', reasoningEffort: 'high' })).toBe(true);
  });

  it('refuses out-of-range values, fractional seeds and token counts, and too many stops', () => {
    expect(ok({ temperature: 2.1 })).toBe(false);
    expect(ok({ temperature: -0.1 })).toBe(false);
    expect(ok({ topP: 1.5 })).toBe(false);
    expect(ok({ maxOutputTokens: -1 })).toBe(false);
    expect(ok({ maxOutputTokens: 0 })).toBe(false);
    expect(ok({ maxOutputTokens: 1.5 })).toBe(false);
    expect(ok({ presencePenalty: 3 })).toBe(false);
    expect(ok({ frequencyPenalty: -2.5 })).toBe(false);
    expect(ok({ seed: 1.5 })).toBe(false);
    expect(ok({ stop: ['a', 'b', 'c', 'd', 'e'] })).toBe(false);
    expect(ok({ historyLimit: 0 })).toBe(false);
    expect(ok({ temperature: Number.NaN })).toBe(false);
    expect(ok({ unknown: 1 })).toBe(false);
  });
});

describe('normalizeSettings / hasCustomSettings', () => {
  it('drops empty fields, so only what differs from the defaults counts', () => {
    expect(normalizeSettings({ systemPrompt: ' ', stop: [], historyLimit: 'all' })).toEqual({});
    expect(hasCustomSettings({ systemPrompt: '' })).toBe(false);
    expect(hasCustomSettings(undefined)).toBe(false);
    expect(hasCustomSettings({ temperature: 1 })).toBe(true);
    expect(hasCustomSettings({ systemPrompt: 'x' })).toBe(true);
  });
});

describe('settings in conversation files', () => {
  const base = { id: 'c1', title: 't', providerId: 'p', model: 'm', createdAt: 'a', updatedAt: 'b', messages: [] };

  it('opens a file of an older version (no settings) unchanged', () => {
    const conversation = parseConversationFile(JSON.stringify({ version: 1, ...base }), 'c1');
    expect(conversation).toEqual(base);
    expect(conversation.settings).toBeUndefined();
  });

  it('round-trips settings', () => {
    const settings = { systemPrompt: 'Be brief.', temperature: 0.2, historyLimit: 10 };
    const text = serializeConversation({ ...base, settings });
    expect(parseConversationFile(text, 'c1').settings).toEqual(settings);
  });

  it('drops a damaged field on its own and keeps the rest', () => {
    expect(readStoredSettings({ temperature: 9, topP: 0.5, seed: 'x', extra: true })).toEqual({ topP: 0.5 });
    expect(readStoredSettings('nonsense')).toBeUndefined();
    const text = JSON.stringify({ version: 1, ...base, settings: { temperature: 'hot', systemPrompt: 'Hi' } });
    expect(parseConversationFile(text, 'c1').settings).toEqual({ systemPrompt: 'Hi' });
  });
});
