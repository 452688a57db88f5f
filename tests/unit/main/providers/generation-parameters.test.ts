import { describe, expect, it } from 'vitest';
import {
  assistantRunParameters,
  chatCompletionsParameters,
  isOpenAIReasoningModel,
  limitHistory,
  omittedFor,
  responsesParameters,
  withOmitted,
} from '../../../../electron/main/providers/generation-parameters';
import type { GenerationSettings } from '../../../../shared/models/generation-settings';

const all: GenerationSettings = {
  systemPrompt: 'Be brief.',
  temperature: 0.3,
  topP: 0.9,
  maxOutputTokens: 512,
  presencePenalty: 0.5,
  frequencyPenalty: -0.5,
  seed: 42,
  stop: ['END'],
  reasoningEffort: 'low',
};

describe('isOpenAIReasoningModel', () => {
  it('knows the o-series and gpt-5, also behind a gateway prefix', () => {
    for (const m of ['o1', 'o1-mini', 'o3', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5.1', 'gpt-5-mini', 'openai/o3']) {
      expect(isOpenAIReasoningModel(m), m).toBe(true);
    }
    for (const m of ['gpt-4o', 'gpt-4.1', 'llama3.1', 'qwen2.5:7b', 'omni', 'o', 'gpt-50']) {
      expect(isOpenAIReasoningModel(m), m).toBe(false);
    }
  });
});

describe('chatCompletionsParameters', () => {
  it('names every field as the spec does, with max_tokens and a system message for other models', () => {
    const { fields, systemMessage } = chatCompletionsParameters(all, 'gpt-4o');
    expect(fields).toEqual({
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 512,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      seed: 42,
      stop: ['END'],
      reasoning_effort: 'low',
    });
    expect(systemMessage).toEqual({ role: 'system', content: 'Be brief.' });
  });

  it('uses max_completion_tokens and a developer message for OpenAI reasoning models', () => {
    const { fields, systemMessage } = chatCompletionsParameters(all, 'o3-mini');
    expect(fields.max_completion_tokens).toBe(512);
    expect(fields).not.toHaveProperty('max_tokens');
    expect(systemMessage?.role).toBe('developer');
  });

  it('sends nothing for empty settings, a blank prompt or an empty stop list', () => {
    expect(chatCompletionsParameters(undefined, 'gpt-4o')).toEqual({ fields: {}, systemMessage: null });
    expect(chatCompletionsParameters({ systemPrompt: '   ', stop: [] }, 'gpt-4o')).toEqual({ fields: {}, systemMessage: null });
  });

  it('leaves out the parameters the provider refused for this model', () => {
    const { fields } = chatCompletionsParameters(all, 'gpt-4o', new Set(['seed', 'max_tokens']));
    expect(fields).not.toHaveProperty('seed');
    expect(fields).not.toHaveProperty('max_tokens');
    expect(fields.temperature).toBe(0.3);
  });
});

describe('responsesParameters', () => {
  it('maps to instructions, max_output_tokens, reasoning.effort, temperature and top_p only', () => {
    expect(responsesParameters(all, undefined)).toEqual({
      instructions: 'Be brief.',
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 512,
      reasoning: { effort: 'low' },
    });
  });

  it("prefers the conversation's system prompt to the provider's instructions, which stay the default", () => {
    expect(responsesParameters({ systemPrompt: 'Mine' }, 'Provider').instructions).toBe('Mine');
    expect(responsesParameters({}, 'Provider').instructions).toBe('Provider');
    expect(responsesParameters({}, '  ')).toEqual({});
  });
});

describe('assistantRunParameters', () => {
  it('maps to additional_instructions, temperature, top_p and max_completion_tokens', () => {
    expect(assistantRunParameters(all)).toEqual({
      additional_instructions: 'Be brief.',
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 512,
    });
  });
});

describe('limitHistory', () => {
  const history = [1, 2, 3, 4, 5].map((n) => ({ role: n % 2 ? ('user' as const) : ('assistant' as const), content: String(n) }));
  it('keeps the latest N messages, or all', () => {
    expect(limitHistory(history, 3).map((m) => m.content)).toEqual(['3', '4', '5']);
    expect(limitHistory(history, 'all')).toHaveLength(5);
    expect(limitHistory(history, undefined)).toHaveLength(5);
    expect(limitHistory(history, 10)).toHaveLength(5);
  });
});

describe('omitted parameters quirk', () => {
  it('is kept per model and adds without losing the others', () => {
    const first = withOmitted({}, 'm1', 'seed');
    const second = withOmitted(first, 'm1', 'max_tokens');
    const third = withOmitted(second, 'm2', 'seed');
    expect([...omittedFor(third, 'm1')]).toEqual(['seed', 'max_tokens']);
    expect([...omittedFor(third, 'm2')]).toEqual(['seed']);
    expect(omittedFor(third, 'm3').size).toBe(0);
    expect(withOmitted(third, 'm1', 'seed').omittedParameters?.m1).toEqual(['seed', 'max_tokens']);
  });
});
