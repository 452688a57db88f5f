/**
 * Keys in the real OS keychain (Secret Service over D-Bus, GNOME Keyring in CI; run the tests the way
 * `.ci/run` does). Shows the key is in the keychain under service `Switchboard`, account = provider id,
 * and nowhere under the data dir, masked in every read, copied by duplicate, deleted with the provider;
 * and, in a child process without a D-Bus session, the keychain-unavailable path for real.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeychainStatus, ProviderList, ProviderView } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { KeytarSecretStore } from '../../electron/main/secrets/keytar-secret-store';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import { draft, filesUnder, startProvidersRig, type ProvidersRig } from '../support/providers-rig';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** A fresh key per run, so a hit when grepping can only come from this run. */
const freshKey = (label: string) => `sk-${label}-${randomBytes(12).toString('hex')}`;

/** True when any file under dir contains the secret (as UTF-8, UTF-16LE or base64). */
function foundUnder(dir: string, secret: string): string[] {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];
  return filesUnder(dir).filter((file) => {
    const bytes = fs.readFileSync(file);
    return needles.some((n) => bytes.includes(n));
  });
}

const createdAccounts: string[] = [];
let rig: ProvidersRig;

beforeAll(async () => {
  rig = startProvidersRig({ secrets: new KeytarSecretStore() });
  const status = await rig.call('providers:keychainStatus', undefined);
  if (status.state !== 'available') {
    throw new Error(
      `These tests need an unlocked Secret Service (run them like .ci/run: dbus-run-session + gnome-keyring-daemon --unlock). Keychain: ${status.state}: ${status.detail}`,
    );
  }
});

afterAll(async () => {
  for (const account of createdAccounts) await keytar.deletePassword(KEYCHAIN_SERVICE, account).catch(() => false);
  fs.rmSync(rig.dataDir, { recursive: true, force: true });
});

describe('keys in the real keychain', () => {
  it('save: the key is in the keychain, nowhere under the data dir, masked in reads, events and logs', async () => {
    const key = freshKey('save');
    const headerSecret = freshKey('hdr');
    const saved = await rig.call(
      'providers:save',
      draft({
        name: 'Gateway',
        baseUrl: 'https://gateway.example.com/v1',
        apiKey: { action: 'set', value: key },
        customHeaders: [
          { name: 'cf-aig-authorization', value: headerSecret },
          { name: 'X-Title', value: 'Switchboard' },
        ],
      }),
    );
    createdAccounts.push(saved.id, `${saved.id}:header:cf-aig-authorization`);

    expect(await keytar.getPassword('Switchboard', saved.id)).toBe(key);
    expect(await keytar.getPassword('Switchboard', `${saved.id}:header:cf-aig-authorization`)).toBe(headerSecret);

    expect(saved).toMatchObject({ hasApiKey: true, apiKeyHint: `…${key.slice(-4)}`, keyLocation: 'keychain' });
    expect(saved.customHeaders).toEqual([
      { name: 'cf-aig-authorization', value: `…${headerSecret.slice(-4)}` },
      { name: 'X-Title', value: 'Switchboard' },
    ]);
    const list = await rig.call('providers:list', undefined);
    expect(list.providers.find((p) => p.id === saved.id)).toEqual(saved);

    const files = filesUnder(rig.dataDir);
    expect(files.some((f) => f.endsWith('config.json'))).toBe(true);
    expect(foundUnder(rig.dataDir, key)).toEqual([]);
    expect(foundUnder(rig.dataDir, headerSecret)).toEqual([]);
    const everythingSaid = JSON.stringify([list, saved, rig.events.sent, rig.log.lines]);
    expect(everythingSaid).not.toContain(key);
    expect(everythingSaid).not.toContain(headerSecret);
    expect(rig.events.sent.some((e) => e.event === 'providers:changed')).toBe(true);

    // An app restart reads the key from the keychain again.
    const restarted = rig.restart();
    const after = (await restarted.call('providers:list', undefined)).providers.find((p) => p.id === saved.id);
    expect(after).toMatchObject({ hasApiKey: true, keyLocation: 'keychain', apiKeyHint: `…${key.slice(-4)}` });
  });

  it('keep, replace and clear', async () => {
    const first = freshKey('first');
    const saved = await rig.call('providers:save', draft({ name: 'Rotate', baseUrl: 'http://localhost:8000/v1', apiKey: { action: 'set', value: first } }));
    createdAccounts.push(saved.id);
    const kept = await rig.call('providers:save', draft({ id: saved.id, name: 'Rotate 2', baseUrl: 'http://localhost:8000/v1' }));
    expect(kept.name).toBe('Rotate 2');
    expect(await keytar.getPassword('Switchboard', saved.id)).toBe(first);

    const second = freshKey('second');
    await rig.call('providers:save', draft({ id: saved.id, name: 'Rotate 2', baseUrl: 'http://localhost:8000/v1', apiKey: { action: 'set', value: `  ${second}\n` } }));
    expect(await keytar.getPassword('Switchboard', saved.id)).toBe(second);

    const cleared = await rig.call('providers:save', draft({ id: saved.id, name: 'Rotate 2', baseUrl: 'http://localhost:8000/v1', apiKey: { action: 'clear' } }));
    expect(cleared).toMatchObject({ hasApiKey: false, apiKeyHint: null, keyLocation: 'none' });
    expect(await keytar.getPassword('Switchboard', saved.id)).toBeNull();
  });

  it('duplicate copies the key; delete removes the key and secret headers with the provider', async () => {
    const key = freshKey('dup');
    const headerSecret = freshKey('dupheader');
    const source = await rig.call(
      'providers:save',
      draft({ name: 'Original', baseUrl: 'http://localhost:4000/v1', apiKey: { action: 'set', value: key }, customHeaders: [{ name: 'api-key', value: headerSecret }] }),
    );
    const copy: ProviderView = await rig.call('providers:duplicate', { id: source.id });
    createdAccounts.push(source.id, copy.id, `${source.id}:header:api-key`, `${copy.id}:header:api-key`);
    expect(copy.id).not.toBe(source.id);
    expect(copy.name).toBe('Original (copy)');
    expect(await keytar.getPassword('Switchboard', copy.id)).toBe(key);
    expect(await keytar.getPassword('Switchboard', `${copy.id}:header:api-key`)).toBe(headerSecret);

    await rig.call('providers:delete', { id: copy.id });
    expect(await keytar.getPassword('Switchboard', copy.id)).toBeNull();
    expect(await keytar.getPassword('Switchboard', `${copy.id}:header:api-key`)).toBeNull();
    // The original keeps its own.
    expect(await keytar.getPassword('Switchboard', source.id)).toBe(key);
    const list: ProviderList = await rig.call('providers:list', undefined);
    expect(list.providers.map((p) => p.id)).not.toContain(copy.id);
    await rig.call('providers:delete', { id: source.id });
    expect(await keytar.getPassword('Switchboard', source.id)).toBeNull();
  });
});

interface ChildReport {
  status: KeychainStatus;
  saveError: AppError;
  afterFailedSave: ProviderList;
  sessionStatus: KeychainStatus;
  saved: ProviderView;
  resolvedKeyMatches: boolean;
  turnOffError: AppError;
  afterTurnOff: ProviderList;
  logLines: string[];
  events: unknown[];
}

describe('keychain unavailable, for real (no D-Bus session)', () => {
  it('reports the classified status, saves nothing, and keeps keys only in memory when the user chooses', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-nokeychain-'));
    const key = freshKey('nokeychain');
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(here, '../support/providers-keychain-child.ts'), dataDir, key],
        { cwd: repoRoot, env, timeout: 60_000 },
        (error, out, err) => (error ? reject(new Error(`child failed: ${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildReport;

    expect(report.status.state).toBe('unavailable');
    expect(report.status.sessionOnly).toBe(false);
    expect(report.status.detail).toMatch(/D-Bus/);
    expect(report.status.message).toMatch(/GNOME Keyring or KWallet/);

    expect(report.saveError.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(report.saveError.hint).toMatch(/session only/);
    expect(report.afterFailedSave.providers).toEqual([]);

    expect(report.sessionStatus).toMatchObject({ state: 'unavailable', sessionOnly: true });
    expect(report.saved).toMatchObject({ hasApiKey: true, keyLocation: 'session', apiKeyHint: `…${key.slice(-4)}` });
    expect(report.resolvedKeyMatches).toBe(true);

    // Turning session-only off would lose the key: refused, the key is still there.
    expect(report.turnOffError.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(report.afterTurnOff.keychain.sessionOnly).toBe(true);
    expect(report.afterTurnOff.providers[0]).toMatchObject({ hasApiKey: true, keyLocation: 'session' });

    // Never a plaintext fallback: the key is nowhere on disk, in logs or events.
    expect(foundUnder(dataDir, key)).toEqual([]);
    expect(JSON.stringify([report.logLines, report.events, report.saveError])).not.toContain(key);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
