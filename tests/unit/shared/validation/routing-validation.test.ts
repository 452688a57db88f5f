import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../../shared/models/provider';
import { validateFallbacks, validateKeyDrafts } from '../../../../shared/validation/routing-validation';

type P = Pick<ProviderConfig, 'id' | 'name' | 'type' | 'conversationState' | 'fallbacks'>;
const p = (id: string, extra: Partial<P> = {}): P => ({ id, name: id.toUpperCase(), type: 'openai-compatible', ...extra });

describe('validateKeyDrafts', () => {
  it('refuses an empty key and a key given twice, with a sentence naming the rows', () => {
    const issues = validateKeyDrafts([{ label: '', value: 'sk-one' }, { label: '', value: '   ' }, { label: '', value: ' sk-one ' }]);
    expect(issues['keys.1']).toMatchObject({ code: 'KEY_EMPTY', message: 'Key 2 is empty: paste the key or remove the row.' });
    expect(issues['keys.2']).toMatchObject({ code: 'KEY_DUPLICATE', message: 'Key 3 is the same as key 1: each key can be in the pool once.' });
  });

  it('sees a new key that repeats a stored one', () => {
    const issues = validateKeyDrafts([{ id: 'a', label: '' }, { label: '', value: 'sk-stored' }], new Map([['a', 'sk-stored']]));
    expect(issues['keys.1']?.code).toBe('KEY_DUPLICATE');
    expect(validateKeyDrafts([{ id: 'a', label: '' }, { label: '', value: 'sk-new' }], new Map([['a', 'sk-stored']]))).toEqual({});
  });
});

describe('validateFallbacks', () => {
  it('refuses itself, a deleted provider, a duplicate and a stateful one', () => {
    const providers = [p('a'), p('b'), p('asst', { type: 'openai-assistant' })];
    const issues = validateFallbacks({ id: 'a', type: 'openai-compatible' }, [
      { providerId: 'a', model: '' },
      { providerId: 'zzz', model: '' },
      { providerId: 'b', model: 'm' },
      { providerId: 'b', model: 'm' },
      { providerId: 'asst', model: '' },
    ], providers);
    expect(Object.fromEntries(Object.entries(issues).map(([k, v]) => [k, v.code]))).toEqual({
      'fallbacks.0': 'FALLBACK_SELF',
      'fallbacks.1': 'FALLBACK_MISSING',
      'fallbacks.3': 'FALLBACK_DUPLICATE',
      'fallbacks.4': 'FALLBACK_STATEFUL',
    });
  });

  it('refuses a loop through other providers’ fallbacks', () => {
    const providers = [p('a'), p('b', { fallbacks: [{ providerId: 'c', model: '' }] }), p('c', { fallbacks: [{ providerId: 'a', model: '' }] })];
    const issues = validateFallbacks({ id: 'a', type: 'openai-compatible' }, [{ providerId: 'b', model: '' }], providers);
    expect(issues['fallbacks.0']).toMatchObject({ code: 'FALLBACK_LOOP', message: 'B falls back to this provider in turn, which would make a loop.' });
  });

  it('a provider that keeps conversations on its server cannot fall back at all', () => {
    const issues = validateFallbacks({ id: 'r', type: 'openai-responses' }, [{ providerId: 'b', model: '' }], [p('b')]);
    expect(issues.fallbacks?.code).toBe('FALLBACK_FROM_STATEFUL');
    expect(validateFallbacks({ id: 'r', type: 'openai-responses', conversationState: 'stateless' }, [{ providerId: 'b', model: '' }], [p('b')])).toEqual({});
  });
});
