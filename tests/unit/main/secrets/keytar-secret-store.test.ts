import { describe, expect, it, vi } from 'vitest';
import { createConsoleLogger } from '../../../../electron/main/logger';
import { KeyVault } from '../../../../electron/main/secrets/key-vault';
import { KeytarSecretStore, type KeytarLike } from '../../../../electron/main/secrets/keytar-secret-store';

// What loading keytar's native module throws where libsecret is not installed (dlopen's message).
const NO_LIBSECRET = new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory');

function memoryKeytar(): KeytarLike {
  const map = new Map<string, string>();
  return {
    getPassword: async (s, a) => map.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void map.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => map.delete(`${s}/${a}`),
  };
}

describe('KeytarSecretStore', () => {
  it('loads keytar only when a secret is first needed, and once', async () => {
    const load = vi.fn(async () => memoryKeytar());
    const store = new KeytarSecretStore('Test', load);
    expect(load).not.toHaveBeenCalled();
    await store.set('a', 'secret');
    expect(await store.get('a')).toBe('secret');
    expect(await store.delete('a')).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a keytar that cannot load makes the keychain "unavailable" with advice, and is tried again later', async () => {
    const load = vi.fn<() => Promise<KeytarLike>>().mockRejectedValueOnce(NO_LIBSECRET).mockResolvedValue(memoryKeytar());
    const vault = new KeyVault({ keychain: new KeytarSecretStore('Test', load), log: createConsoleLogger('silent'), platform: 'linux' });
    const status = await vault.checkStatus();
    expect(status.state).toBe('unavailable');
    expect(status.message).toMatch(/No system keychain is available/);
    expect(status.detail).toContain('libsecret-1.so.0');
    // The user installed libsecret and asked again.
    expect((await vault.checkStatus()).state).toBe('available');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
