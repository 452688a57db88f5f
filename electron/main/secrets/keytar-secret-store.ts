/**
 * The OS keychain through keytar: service `Switchboard`, account = the provider's id (or a sub-account).
 *
 * keytar is loaded when a secret is first needed, not at start-up: its native module links against
 * libsecret on Linux, and where that library is missing a static import killed the main process before
 * any window could explain. A failed load rejects every call with the loader's error (e.g.
 * "libsecret-1.so.0: cannot open shared object file"), which the key vault classifies as "keychain
 * unavailable" and the Settings window explains, offering session-only keys.
 */
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

async function importKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return mod.default ?? mod;
}

export class KeytarSecretStore implements SecretStore {
  private lib: Promise<KeytarLike> | null = null;

  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    private readonly load: () => Promise<KeytarLike> = importKeytar,
  ) {}

  /** Loads keytar once; a failed load is tried again on the next call (the user may install libsecret meanwhile). */
  private keytar(): Promise<KeytarLike> {
    this.lib ??= this.load().catch((error: unknown) => {
      this.lib = null;
      throw error;
    });
    return this.lib;
  }

  async get(account: string): Promise<string | null> {
    return (await this.keytar()).getPassword(this.service, account);
  }

  async set(account: string, secret: string): Promise<void> {
    return (await this.keytar()).setPassword(this.service, account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return (await this.keytar()).deletePassword(this.service, account);
  }
}
