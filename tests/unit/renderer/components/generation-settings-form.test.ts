import { describe, expect, it } from 'vitest';
import { draftOf, readDraft } from '../../../../renderer/components/generation-settings-form';

const empty = draftOf(undefined);

describe('conversation settings form', () => {
  it('reads every field, and empty fields send nothing', () => {
    expect(readDraft(empty)).toEqual({ settings: {}, problems: {} });
    const { settings, problems } = readDraft({
      ...empty,
      systemPrompt: 'Be kind.',
      temperature: '0.7',
      topP: '1',
      maxOutputTokens: '256',
      presencePenalty: '-2',
      frequencyPenalty: '1.5',
      seed: '-3',
      stop: 'END\n###',
      reasoningEffort: 'high',
      historyLimit: '20',
    });
    expect(problems).toEqual({});
    expect(settings).toEqual({
      systemPrompt: 'Be kind.',
      temperature: 0.7,
      topP: 1,
      maxOutputTokens: 256,
      presencePenalty: -2,
      frequencyPenalty: 1.5,
      seed: -3,
      stop: ['END', '###'],
      reasoningEffort: 'high',
      historyLimit: 20,
    });
  });

  it('refuses out-of-range values with the allowed range', () => {
    const { problems } = readDraft({
      ...empty,
      temperature: '2.5',
      topP: 'abc',
      maxOutputTokens: '-1',
      presencePenalty: '3',
      seed: '1.5',
      stop: 'a\nb\nc\nd\ne',
      historyLimit: '0',
    });
    expect(problems).toEqual({
      temperature: { key: 'range', values: { min: 0, max: 2 } },
      topP: { key: 'range', values: { min: 0, max: 1 } },
      maxOutputTokens: { key: 'positiveInteger' },
      presencePenalty: { key: 'range', values: { min: -2, max: 2 } },
      seed: { key: 'integer' },
      stop: { key: 'tooManyStops', values: { max: 4 } },
      historyLimit: { key: 'positiveInteger' },
    });
  });

  it('round-trips saved settings through the draft', () => {
    const saved = { systemPrompt: 'x', temperature: 0.2, stop: ['a'], historyLimit: 5 };
    expect(readDraft(draftOf(saved)).settings).toEqual(saved);
  });
});
