/**
 * Where a provider's secrets live and how they change. The API key lives at account `<id>`; the value of a
 * custom header whose name looks secret (see isSecretHeaderName) at `<id>:header:<lower-case name>`, and the
 * config file keeps that header with an empty value. A masked value sent back unchanged keeps the stored
 * secret; writes are all or nothing.
 */
import type { CustomHeader, ProviderConfig, ProviderDraft } from '../../../shared/models/provider';
import { isSecretHeaderName, maskSecret } from '../../../shared/validation/provider-validation';
import { headerAccount, type KeyVault, type StoredSecret } from '../secrets/key-vault';

/** One planned change to a secret: a new value, or null to delete it. */
export interface SecretWrite {
  account: string;
  value: string | null;
}

export function headerKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Headers as the config file keeps them: a secret header's value lives in the keychain, so it is empty here. */
export function headersForConfigFile(headers: readonly CustomHeader[]): CustomHeader[] {
  return headers.map((h) => ({ name: h.name, value: isSecretHeaderName(h.name) ? '' : h.value }));
}

/**
 * The real values of the draft's headers: a secret header sent back with its mask keeps its stored value
 * (matched by name, or, after a rename, by the mask of another stored secret header).
 */
export function resolveDraftHeaders(draft: ProviderDraft, stored: Map<string, string>): CustomHeader[] {
  const unclaimed = new Map(stored);
  const out: CustomHeader[] = [];
  for (const header of draft.customHeaders) {
    const name = header.name.trim();
    if (name === '' && header.value === '') continue;
    let value = header.value;
    if (isSecretHeaderName(name)) {
      const same = stored.get(headerKey(name));
      if (same !== undefined && same !== '' && value === maskSecret(same)) {
        value = same;
        unclaimed.delete(headerKey(name));
      } else {
        const renamed = [...unclaimed.entries()].find(([, v]) => v !== '' && maskSecret(v) === value);
        if (renamed) {
          value = renamed[1];
          unclaimed.delete(renamed[0]);
        }
      }
    }
    out.push({ name, value });
  }
  return out;
}

/** A provider's secret header values in the vault (keychain, or memory for session-only keys). */
export class ProviderSecrets {
  constructor(private readonly vault: KeyVault) {}

  /** The stored value of each secret header (keychain; a plain value left in an older config as fallback). */
  async headerValues(config: ProviderConfig, strict: boolean): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const header of config.customHeaders) {
      if (!isSecretHeaderName(header.name)) continue;
      const account = headerAccount(config.id, header.name);
      const stored = strict ? await this.vault.get(account) : await this.vault.peek(account);
      values.set(headerKey(header.name), stored?.value ?? header.value);
    }
    return values;
  }

  /** Applies secret writes in order; on failure restores what was written and rethrows. */
  async apply(writes: SecretWrite[]): Promise<() => Promise<void>> {
    const snapshots: { account: string; previous: StoredSecret | null }[] = [];
    for (const write of writes) snapshots.push({ account: write.account, previous: await this.vault.get(write.account) });
    const done: number[] = [];
    const rollback = async () => {
      for (const i of done.reverse()) {
        const snap = snapshots[i];
        if (snap) await this.vault.restore(snap.account, snap.previous);
      }
    };
    try {
      for (const [i, write] of writes.entries()) {
        if (write.value === null) await this.vault.delete(write.account);
        else await this.vault.set(write.account, write.value);
        done.push(i);
      }
    } catch (error) {
      await rollback();
      throw error;
    }
    return rollback;
  }
}
