/**
 * Where provider secrets (API keys, secret custom-header values) are kept: the OS keychain, or, only after
 * the user explicitly chose it because the keychain does not work, memory for this session. There is no
 * plaintext fallback: a secret that cannot be stored makes the operation fail with a KEYCHAIN_* error.
 *
 * Accounts: the provider id for its API key (the first and only one of versions before key pools, and the
 * key with id `default` since), `<id>:key:<key id>` for each other key of its pool, and
 * `<id>:header:<lower-case name>` for a secret header value.
 */
import { LEGACY_KEY_ID, type KeychainStatus, type KeyLocation } from '../../../shared/models/provider';
import { AppFailure } from '../../../shared/result';
import type { Logger } from '../logger';
import { keychainAppError, keychainStatusFromError } from './keychain-errors';
import type { SecretStore } from './secret-store';

export const PROBE_ACCOUNT = 'switchboard:keychain-probe';

export function apiKeyAccount(providerId: string): string {
  return providerId;
}

/** Where one key of a provider's pool lives; the key an older version saved keeps its account for ever. */
export function keyAccount(providerId: string, keyId: string): string {
  return keyId === LEGACY_KEY_ID ? apiKeyAccount(providerId) : `${providerId}:key:${keyId}`;
}

export function headerAccount(providerId: string, headerName: string): string {
  return `${providerId}:header:${headerName.trim().toLowerCase()}`;
}

export interface StoredSecret {
  value: string;
  location: Exclude<KeyLocation, 'none'>;
}

/** Keys kept in memory for this session only; gone when the app quits. */
export class SessionSecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }

  accounts(): string[] {
    return [...this.secrets.keys()];
  }
}

export class KeyVault {
  private readonly session = new SessionSecretStore();
  private sessionOnly = false;
  private status: KeychainStatus | null = null;
  /** Writes to one account run one after another, so a rollback never races a newer write. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: { keychain: SecretStore; log: Logger; platform?: string },
  ) {}

  private serialize<T>(account: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(account) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.queues.set(account, next);
    void next.finally(() => {
      if (this.queues.get(account) === next) this.queues.delete(account);
    }).catch(() => undefined);
    return next;
  }

  private available(): KeychainStatus {
    return { state: 'available', message: null, detail: null, sessionOnly: this.sessionOnly };
  }

  private noteFailure(error: unknown): KeychainStatus {
    const status = keychainStatusFromError(error, this.sessionOnly, this.deps.platform);
    this.status = status;
    this.deps.log.warn('keychain', `keychain ${status.state}`, new Error(status.detail ?? ''));
    return status;
  }

  /** Probes the keychain with a write and a delete of a throw-away entry (a read alone can succeed on a
   * keyring that refuses writes). */
  async checkStatus(): Promise<KeychainStatus> {
    try {
      await this.deps.keychain.set(PROBE_ACCOUNT, 'probe');
      await this.deps.keychain.delete(PROBE_ACCOUNT);
      this.status = this.available();
    } catch (error) {
      this.noteFailure(error);
    }
    return this.currentStatus();
  }

  /** The last known status; probes once if nothing is known yet. */
  async getStatus(): Promise<KeychainStatus> {
    if (!this.status) return this.checkStatus();
    return this.currentStatus();
  }

  private currentStatus(): KeychainStatus {
    return { ...(this.status ?? this.available()), sessionOnly: this.sessionOnly };
  }

  isSessionOnly(): boolean {
    return this.sessionOnly;
  }

  /**
   * Turning session-only on keeps new secrets in memory. Turning it off moves the session's secrets into
   * the keychain first; if that fails, session-only stays on and nothing is lost.
   */
  async setSessionOnly(enabled: boolean): Promise<KeychainStatus> {
    if (enabled) {
      this.sessionOnly = true;
      this.deps.log.info('keychain', 'keys are kept in memory for this session only');
      return this.currentStatus();
    }
    const moved: string[] = [];
    try {
      for (const account of this.session.accounts()) {
        const value = await this.session.get(account);
        if (value === null) continue;
        await this.serialize(account, () => this.deps.keychain.set(account, value));
        moved.push(account);
      }
    } catch (error) {
      const status = this.noteFailure(error);
      throw new AppFailure(keychainAppError(status));
    }
    for (const account of moved) await this.session.delete(account);
    this.sessionOnly = false;
    this.status = this.available();
    return this.currentStatus();
  }

  /** Reads a secret: the session copy wins (it is the newer one), then the keychain. */
  async get(account: string): Promise<StoredSecret | null> {
    const inSession = await this.session.get(account);
    if (inSession !== null) return { value: inSession, location: 'session' };
    try {
      const value = await this.deps.keychain.get(account);
      return value === null ? null : { value, location: 'keychain' };
    } catch (error) {
      if (this.sessionOnly) return null;
      throw new AppFailure(keychainAppError(this.noteFailure(error)));
    }
  }

  /** Like get(), but a keychain that cannot be read counts as "no secret" (for building the list). */
  async peek(account: string): Promise<StoredSecret | null> {
    try {
      return await this.get(account);
    } catch {
      return null;
    }
  }

  /** Stores a secret where the current mode says; throws a KEYCHAIN_* AppFailure when it cannot. */
  async set(account: string, value: string): Promise<KeyLocation> {
    if (this.sessionOnly) {
      await this.session.set(account, value);
      return 'session';
    }
    try {
      await this.serialize(account, () => this.deps.keychain.set(account, value));
    } catch (error) {
      throw new AppFailure(keychainAppError(this.noteFailure(error)));
    }
    if (this.status?.state !== 'available') this.status = this.available();
    // A stale session copy would otherwise shadow the key just stored.
    await this.session.delete(account);
    return 'keychain';
  }

  /**
   * Deletes a secret everywhere. A keychain that is not there at all cannot be cleaned, so that is not an
   * error; a locked or refusing one is (the caller then changes nothing).
   */
  async delete(account: string): Promise<void> {
    await this.session.delete(account);
    try {
      await this.serialize(account, () => this.deps.keychain.delete(account));
    } catch (error) {
      const status = this.noteFailure(error);
      // With session-only keys the user chose to work without the keychain; an entry it may still hold
      // is left there rather than blocking the delete.
      if (status.state === 'unavailable' || this.sessionOnly) return;
      throw new AppFailure(keychainAppError(status));
    }
  }

  /** Restores an account to what it held before (used to roll back a failed save). */
  async restore(account: string, previous: StoredSecret | null): Promise<void> {
    try {
      if (previous === null) await this.delete(account);
      else if (previous.location === 'session') await this.session.set(account, previous.value);
      else await this.serialize(account, () => this.deps.keychain.set(account, previous.value));
    } catch (error) {
      this.deps.log.error('keychain', `could not roll back ${account.replace(/:(header|key):.*/, ':$1')}`, error);
    }
  }
}
