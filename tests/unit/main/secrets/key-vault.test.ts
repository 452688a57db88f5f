import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../../electron/main/logger';
import { classifyKeychainState, keychainAppError, keychainStatusFromError } from '../../../../electron/main/secrets/keychain-errors';
import { headerAccount, KeyVault, PROBE_ACCOUNT } from '../../../../electron/main/secrets/key-vault';
import type { SecretStore } from '../../../../electron/main/secrets/secret-store';
import { AppFailure } from '../../../../shared/result';

/** A keychain whose every call fails with `failWith` when set: the OS library's own error text. */
class ScriptedKeychain implements SecretStore {
  readonly entries = new Map<string, string>();
  failWith: string | null = null;
  calls: string[] = [];

  private check(op: string, account: string) {
    this.calls.push(`${op} ${account}`);
    if (this.failWith) throw new Error(this.failWith);
  }
  async get(account: string) {
    this.check('get', account);
    return this.entries.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.check('set', account);
    this.entries.set(account, secret);
  }
  async delete(account: string) {
    this.check('delete', account);
    return this.entries.delete(account);
  }
}

describe('classifyKeychainState', () => {
  it.each([
    // Real messages from keytar/libsecret, macOS and Windows.
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'unavailable'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'unavailable'],
    ['GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable', 'unavailable'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'locked'],
    ['Cannot create an item in a locked collection', 'locked'],
    ['No such secret collection at path: /', 'locked'],
    ['User interaction is not allowed.', 'locked'],
    ['Prompt dismissed', 'denied'],
    ['User canceled the operation.', 'denied'],
    ['Access is denied.', 'denied'],
    ['Something unexpected', 'error'],
  ])('%s → %s', (message, state) => {
    expect(classifyKeychainState(new Error(message))).toBe(state);
  });

  it('gives a status with a fix and the OS detail, and a typed AppError', () => {
    const status = keychainStatusFromError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'), false, 'linux');
    expect(status).toMatchObject({ state: 'unavailable', sessionOnly: false, detail: 'Cannot autolaunch D-Bus without X11 $DISPLAY' });
    expect(status.message).toMatch(/GNOME Keyring or KWallet/);
    expect(status.message).toMatch(/session only/);
    const error = keychainAppError(status);
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.hint).toMatch(/GNOME Keyring/);
    expect(keychainAppError(keychainStatusFromError(new Error('Prompt dismissed'), false)).code).toBe('KEYCHAIN_DENIED');
    expect(keychainAppError(keychainStatusFromError(new Error('locked collection'), false)).code).toBe('KEYCHAIN_LOCKED');
    expect(keychainAppError(keychainStatusFromError(new Error('x'), false)).code).toBe('KEYCHAIN_ERROR');
  });
});

describe('KeyVault', () => {
  const make = () => {
    const keychain = new ScriptedKeychain();
    const log = createMemoryLogger();
    return { keychain, log, vault: new KeyVault({ keychain, log, platform: 'linux' }) };
  };

  it('probes with a throw-away entry and leaves nothing behind', async () => {
    const { keychain, vault } = make();
    expect(await vault.checkStatus()).toEqual({ state: 'available', message: null, detail: null, sessionOnly: false });
    expect(keychain.calls).toEqual([`set ${PROBE_ACCOUNT}`, `delete ${PROBE_ACCOUNT}`]);
    expect(keychain.entries.size).toBe(0);
  });

  it('stores in the keychain, reads back, deletes', async () => {
    const { keychain, vault } = make();
    expect(await vault.set('p1', 'sk-secret-1')).toBe('keychain');
    expect(keychain.entries.get('p1')).toBe('sk-secret-1');
    expect(await vault.get('p1')).toEqual({ value: 'sk-secret-1', location: 'keychain' });
    await vault.delete('p1');
    expect(await vault.get('p1')).toBeNull();
  });

  it('a failing keychain makes set fail with a typed error and no fallback anywhere', async () => {
    const { keychain, vault, log } = make();
    keychain.failWith = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
    const error = await vault.set('p1', 'sk-never-stored').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).appError.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await vault.getStatus()).state).toBe('unavailable');
    keychain.failWith = null;
    expect(await vault.get('p1')).toBeNull();
    expect(JSON.stringify(log.lines)).not.toContain('sk-never-stored');
  });

  it('session-only keys live in memory, and turning it off moves them into the keychain', async () => {
    const { keychain, vault } = make();
    keychain.failWith = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
    await vault.checkStatus();
    const status = await vault.setSessionOnly(true);
    expect(status).toMatchObject({ state: 'unavailable', sessionOnly: true });
    expect(await vault.set('p1', 'sk-session')).toBe('session');
    expect(await vault.get('p1')).toEqual({ value: 'sk-session', location: 'session' });

    // Still unavailable: turning session-only off would lose the key, so it is refused.
    const refused = await vault.setSessionOnly(false).catch((e: unknown) => e);
    expect((refused as AppFailure).appError.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(vault.isSessionOnly()).toBe(true);
    expect(await vault.get('p1')).toEqual({ value: 'sk-session', location: 'session' });

    keychain.failWith = null;
    expect(await vault.setSessionOnly(false)).toMatchObject({ state: 'available', sessionOnly: false });
    expect(keychain.entries.get('p1')).toBe('sk-session');
    expect(await vault.get('p1')).toEqual({ value: 'sk-session', location: 'keychain' });
  });

  it('delete: an absent keychain is not an error, a locked one is', async () => {
    const { keychain, vault } = make();
    keychain.entries.set('p1', 'k');
    keychain.failWith = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
    await expect(vault.delete('p1')).resolves.toBeUndefined();
    keychain.failWith = 'Cannot create an item in a locked collection';
    const error = await vault.delete('p1').catch((e: unknown) => e);
    expect((error as AppFailure).appError.code).toBe('KEYCHAIN_LOCKED');
  });

  it('restore puts back what an account held', async () => {
    const { keychain, vault } = make();
    await vault.set('p1', 'old');
    const before = await vault.get('p1');
    await vault.set('p1', 'new');
    await vault.restore('p1', before);
    expect(keychain.entries.get('p1')).toBe('old');
    await vault.restore('p2', null);
    expect(keychain.entries.has('p2')).toBe(false);
  });

  it('header accounts are per provider and case-insensitive', () => {
    expect(headerAccount('abc', ' API-Key ')).toBe('abc:header:api-key');
  });
});
