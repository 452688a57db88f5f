/**
 * Key pools in the real OS keychain (Secret Service over D-Bus; run like `.ci/run`): each key of a pool at
 * its own account, none of them under the data dir, an older config's one key read where it always was,
 * and every key of a deleted provider gone from the keychain.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../electron/main/secrets/keytar-secret-store';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import { draft, filesUnder, startProvidersRig, type ProvidersRig } from '../support/providers-rig';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../fixtures/config');
const freshKey = (label: string) => `sk-${label}-${randomBytes(12).toString('hex')}`;
const accountsOf = async (prefix: string) => (await keytar.findCredentials(KEYCHAIN_SERVICE)).map((c) => c.account).filter((a) => a.startsWith(prefix));

const created: string[] = [];
let rig: ProvidersRig;

beforeAll(async () => {
  rig = startProvidersRig({ secrets: new KeytarSecretStore() });
  const status = await rig.call('providers:keychainStatus', undefined);
  if (status.state !== 'available') throw new Error(`These tests need an unlocked Secret Service (see .ci/run). Keychain: ${status.state}: ${status.detail}`);
});

afterAll(async () => {
  for (const prefix of created) for (const account of await accountsOf(prefix)) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
  fs.rmSync(rig.dataDir, { recursive: true, force: true });
});

describe('key pools in the real keychain', () => {
  it('keeps each key at its own account, masked in reads, never under the data dir; removes every key with the provider', async () => {
    const keys = [freshKey('one'), freshKey('two'), freshKey('three')];
    const saved = await rig.call('providers:save', draft({ name: 'Pool', baseUrl: 'https://pool.example.com/v1', keys: keys.map((value, i) => ({ label: `k${i + 1}`, value })) }));
    created.push(saved.id);
    const ids = saved.keys.map((k) => k.id);
    for (const [i, id] of ids.entries()) expect(await keytar.getPassword(KEYCHAIN_SERVICE, `${saved.id}:key:${id}`)).toBe(keys[i]);
    expect(saved.keys.map((k) => [k.label, k.hint, k.location])).toEqual(keys.map((k, i) => [`k${i + 1}`, `…${k.slice(-4)}`, 'keychain']));
    const everything = filesUnder(rig.dataDir).map((f) => fs.readFileSync(f, 'utf8')).join('\n') + JSON.stringify(rig.events.sent) + rig.log.lines.join('\n');
    for (const key of keys) expect(everything).not.toContain(key);

    // Reorder, drop the middle key, replace the last: the keychain follows exactly.
    const replacement = freshKey('four');
    const updated = await rig.call(
      'providers:save',
      draft({ ...saved, apiKey: { action: 'keep' }, keys: [{ id: ids[2], label: 'k3', value: replacement }, { id: ids[0], label: 'k1' }] }),
    );
    expect(updated.keys.map((k) => k.hint)).toEqual([`…${replacement.slice(-4)}`, `…${keys[0]?.slice(-4)}`]);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, `${saved.id}:key:${ids[1]}`)).toBeNull();
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, `${saved.id}:key:${ids[2]}`)).toBe(replacement);

    await rig.call('providers:delete', { id: saved.id });
    expect(await accountsOf(saved.id)).toEqual([]);
  });

  it('a config written before pools (one key at the provider account) keeps working, and a second key joins it', async () => {
    const dir = fs.mkdtempSync(path.join(rig.dataDir, 'v1-'));
    fs.copyFileSync(path.join(FIXTURES, 'v1-config.json'), path.join(dir, 'config.json'));
    const old = startProvidersRig({ secrets: new KeytarSecretStore(), dataDir: dir });
    const providerId = '0b5c9a52-7d1e-4d8e-9a57-2f4f0d7b1a01';
    const oldKey = freshKey('old');
    created.push(providerId);
    await keytar.setPassword(KEYCHAIN_SERVICE, providerId, oldKey);

    const listed = (await old.call('providers:list', undefined)).providers.find((p) => p.id === providerId);
    expect(listed).toMatchObject({ hasApiKey: true, apiKeyHint: `…${oldKey.slice(-4)}`, keys: [{ id: 'default', hint: `…${oldKey.slice(-4)}` }] });
    const resolved = await old.services.providers.resolve(providerId);
    expect(resolved.apiKey).toBe(oldKey);
    expect(resolved.keys?.map((k) => k.value)).toEqual([oldKey]);

    const second = freshKey('second');
    await old.call('providers:save', draft({ ...listed!, apiKey: { action: 'keep' }, keys: [{ id: 'default', label: '' }, { label: 'spare', value: second }] }));
    // The old key never moved; the new one has its own account.
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, providerId)).toBe(oldKey);
    expect((await old.services.providers.resolve(providerId)).keys?.map((k) => k.value)).toEqual([oldKey, second]);

    await old.call('providers:delete', { id: providerId });
    expect(await accountsOf(providerId)).toEqual([]);
  });
});
