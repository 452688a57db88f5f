import { describe, expect, it } from 'vitest';
import type { ProviderConfig, ProviderDraft } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import { createMemoryLogger } from '../../../../electron/main/logger';
import { poolOf, ProviderKeyPool } from '../../../../electron/main/providers/provider-key-pool';
import { KeyHealthBook } from '../../../../electron/main/providers/routing/key-pool';
import { KeyVault, SessionSecretStore } from '../../../../electron/main/secrets/key-vault';

function setup(stored: Record<string, string>) {
  const keychain = new SessionSecretStore();
  for (const [account, value] of Object.entries(stored)) void keychain.set(account, value);
  const vault = new KeyVault({ keychain, log: createMemoryLogger(), platform: 'linux' });
  return new ProviderKeyPool(vault, new KeyHealthBook(() => 0));
}

const config = (keys?: ProviderConfig['keys']): ProviderConfig => ({
  id: 'p',
  type: 'openai-compatible',
  name: 'P',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'm',
  assistantId: '',
  customHeaders: [],
  runTimeoutMs: 1000,
  createdAt: '',
  updatedAt: '',
  ...(keys ? { keys } : {}),
});
const draft = (patch: Partial<ProviderDraft>): ProviderDraft => ({ type: 'openai-compatible', name: 'P', baseUrl: '', model: '', assistantId: '', customHeaders: [], apiKey: { action: 'keep' }, ...patch });
let n = 0;
const newId = () => `n${++n}`;

describe('ProviderKeyPool.planSave', () => {
  it('an older config (no pool) changed through the single key field keeps the key at the provider account and writes no pool', async () => {
    const pool = setup({ p: 'sk-old' });
    expect(poolOf(config())).toEqual([{ id: 'default', label: '' }]);
    expect(await pool.planSave('p', config(), draft({ apiKey: { action: 'set', value: ' sk-new ' } }), newId)).toEqual({
      keys: undefined,
      writes: [{ account: 'p', value: 'sk-new' }],
      touched: ['default'],
    });
    expect(await pool.planSave('p', config(), draft({ apiKey: { action: 'clear' } }), newId)).toMatchObject({ keys: undefined, writes: [{ account: 'p', value: null }] });
  });

  it('the single key field on a pool changes its first key; clearing it drops that key from the pool', async () => {
    const pool = setup({ 'p:key:a': 'sk-a', 'p:key:b': 'sk-b' });
    const pooled = config([{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }]);
    expect(await pool.planSave('p', pooled, draft({ apiKey: { action: 'set', value: 'sk-c' } }), newId)).toMatchObject({
      keys: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }],
      writes: [{ account: 'p:key:a', value: 'sk-c' }],
    });
    expect(await pool.planSave('p', pooled, draft({ apiKey: { action: 'clear' } }), newId)).toMatchObject({
      keys: [{ id: 'b', label: 'B' }],
      writes: [{ account: 'p:key:a', value: null }],
    });
  });

  it('a whole pool: kept keys are not rewritten, new ones get ids, removed ones leave the keychain', async () => {
    const pool = setup({ 'p:key:a': 'sk-a', 'p:key:b': 'sk-b' });
    const plan = await pool.planSave(
      'p',
      config([{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }]),
      draft({ keys: [{ id: 'b', label: ' Bee ' }, { label: 'new', value: 'sk-new' }, { id: 'a', label: 'A', value: 'sk-a' }] }),
      () => 'fresh',
    );
    expect(plan.keys).toEqual([{ id: 'b', label: 'Bee' }, { id: 'fresh', label: 'new' }, { id: 'a', label: 'A' }]);
    // Key a was "replaced" by the same value: nothing to write, its health stays.
    expect(plan.writes).toEqual([{ account: 'p:key:fresh', value: 'sk-new' }]);
    expect(plan.touched).toEqual(['fresh']);
    const dropped = await pool.planSave('p', config([{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }]), draft({ keys: [{ id: 'a', label: 'A' }] }), newId);
    expect(dropped.writes).toEqual([{ account: 'p:key:b', value: null }]);
  });

  it('refuses a kept key that is no longer stored, and duplicates across stored and new keys', async () => {
    const pool = setup({ 'p:key:a': 'sk-a' });
    const pooled = config([{ id: 'a', label: '' }, { id: 'gone', label: '' }]);
    const missing = await pool.planSave('p', pooled, draft({ keys: [{ id: 'a', label: '' }, { id: 'gone', label: '' }] }), newId).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppFailure);
    expect((missing as AppFailure).appError.fields?.['keys.1']?.code).toBe('KEY_EMPTY');
    const dup = await pool.planSave('p', pooled, draft({ keys: [{ id: 'a', label: '' }, { label: '', value: 'sk-a' }] }), newId).catch((e: unknown) => e);
    expect((dup as AppFailure).appError.fields?.['keys.1']?.code).toBe('KEY_DUPLICATE');
  });
});
