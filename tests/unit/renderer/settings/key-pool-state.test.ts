import { describe, expect, it } from 'vitest';
import type { ApiKeyView, ProviderView } from '../../../../shared/models/provider';
import { draftForSubmit, draftFromView, isDraftDirty } from '../../../../renderer/settings/provider-form-state';
import { keyRows, moveItem, startPool } from '../../../../renderer/settings/key-pool-state';

const ok = { state: 'ok' as const, lastUsedAt: null, lastError: null, lastErrorCode: null, coolingUntil: null };
const key = (id: string, hint: string, label = ''): ApiKeyView => ({ id, label, hint, location: 'keychain', health: ok });

const view: ProviderView = {
  id: 'p1',
  type: 'openai-compatible',
  name: 'Local',
  baseUrl: 'http://localhost:11434/v1',
  model: 'llama3',
  assistantId: '',
  customHeaders: [],
  runTimeoutMs: 300_000,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  hasApiKey: true,
  apiKeyHint: '…a1b2',
  keyLocation: 'keychain',
  keys: [key('default', '…a1b2', 'team')],
};

describe('key pool form state', () => {
  it('"Add another key" keeps the stored key, takes over a key typed in the simple field, and adds an empty row', () => {
    const pool = startPool(draftFromView(view), view);
    expect(pool.keys).toEqual([{ id: 'default', label: 'team' }, { label: '', value: '' }]);
    const typed = startPool({ ...draftFromView(view), apiKey: { action: 'set', value: 'sk-typed' } }, view);
    expect(typed.keys?.[0]).toEqual({ id: 'default', label: 'team', value: 'sk-typed' });
    expect(typed.apiKey).toEqual({ action: 'keep' });
  });

  it('a pool draft is dirty only when the pool changed, and sends the whole list without untouched blank rows', () => {
    const baseline = draftFromView(view);
    const pool = startPool(baseline, view);
    expect(isDraftDirty({ ...pool, keys: [{ id: 'default', label: 'team' }] }, baseline, view)).toBe(false);
    expect(isDraftDirty(pool, baseline, view)).toBe(false);
    expect(isDraftDirty({ ...pool, keys: [{ id: 'default', label: 'renamed' }] }, baseline, view)).toBe(true);
    const filled = { ...pool, keys: [{ id: 'default', label: 'team' }, { label: 'spare', value: 'sk-spare' }] };
    expect(isDraftDirty(filled, baseline, view)).toBe(true);
    expect(draftForSubmit(pool).keys).toEqual([{ id: 'default', label: 'team' }]);
    expect(draftForSubmit(filled).keys).toEqual([{ id: 'default', label: 'team' }, { label: 'spare', value: 'sk-spare' }]);
  });

  it('fallbacks and the strategy count as changes; blank fallback rows are not sent', () => {
    const baseline = draftFromView(view);
    expect(isDraftDirty({ ...baseline, keyStrategy: 'round-robin' }, baseline, view)).toBe(true);
    expect(isDraftDirty({ ...baseline, fallbacks: [{ providerId: 'p2', model: '' }] }, baseline, view)).toBe(true);
    expect(draftForSubmit({ ...baseline, fallbacks: [{ providerId: '', model: '' }, { providerId: 'p2', model: ' m ' }] }).fallbacks).toEqual([{ providerId: 'p2', model: 'm' }]);
  });

  it('rows pair each key with what main says about it; moving stays in bounds', () => {
    const rows = keyRows({ ...draftFromView(view), keys: [{ label: 'new', value: 'x' }, { id: 'default', label: 'team' }] }, view);
    expect(rows.map((r) => r.stored?.hint ?? null)).toEqual([null, '…a1b2']);
    expect(moveItem([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(moveItem([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
  });
});
