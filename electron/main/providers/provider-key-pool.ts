/**
 * A provider's key pool in the vault: the config keeps the keys' ids and labels (`keys`), each key lives at
 * its own account (key-vault.ts keyAccount). A config written before pools existed has no `keys`: its one
 * key, at the provider's own account, is the pool (id `default`), read and written where it always was, so
 * such a file keeps working unchanged and nothing has to be migrated.
 */
import { LEGACY_KEY_ID, type ApiKeyMeta, type ApiKeyView, type ProviderConfig, type ProviderDraft } from '../../../shared/models/provider';
import { fieldsFailure } from '../../../shared/result';
import { maskSecret, normalizeApiKey } from '../../../shared/validation/provider-validation';
import { validateKeyDrafts, type RoutingIssues } from '../../../shared/validation/routing-validation';
import { keyAccount, type KeyVault, type StoredSecret } from '../secrets/key-vault';
import type { SecretWrite } from './provider-secrets';
import type { PooledKey } from './provider-kind';
import type { KeyHealthBook } from './routing/key-pool';

export const MAX_KEY_LABEL = 100;

/** The pool's keys as the config says (a config of an older version: its one key). */
export function poolOf(config: Pick<ProviderConfig, 'keys'> | undefined): ApiKeyMeta[] {
  if (!config) return [];
  return config.keys ?? [{ id: LEGACY_KEY_ID, label: '' }];
}

export interface PoolSavePlan {
  /** The pool to save; undefined keeps the config's as it is (an older config keeps no `keys`). */
  keys: ApiKeyMeta[] | undefined;
  writes: SecretWrite[];
  /** Keys whose value changed or that left the pool: their health starts afresh. */
  touched: string[];
}

export class ProviderKeyPool {
  constructor(
    private readonly vault: KeyVault,
    private readonly health: KeyHealthBook,
  ) {}

  /** The stored value of each key that has one. `strict`: a keychain that cannot be read throws. */
  async stored(config: ProviderConfig | undefined, strict: boolean): Promise<Map<string, StoredSecret>> {
    const values = new Map<string, StoredSecret>();
    if (!config) return values;
    for (const key of poolOf(config)) {
      const account = keyAccount(config.id, key.id);
      const secret = strict ? await this.vault.get(account) : await this.vault.peek(account);
      if (secret && secret.value !== '') values.set(key.id, secret);
    }
    return values;
  }

  /** The keys a request can use, in pool order (keys without a stored value left out). */
  async resolve(config: ProviderConfig): Promise<PooledKey[]> {
    const stored = await this.stored(config, true);
    return poolOf(config).flatMap((key) => {
      const value = stored.get(key.id)?.value;
      return value ? [{ id: key.id, label: key.label, hint: maskSecret(value), value }] : [];
    });
  }

  /** The pool as the renderer sees it: masked, labelled, with each key's health. */
  async views(config: ProviderConfig): Promise<ApiKeyView[]> {
    const stored = await this.stored(config, false);
    const explicit = config.keys !== undefined;
    return poolOf(config).flatMap((key) => {
      const secret = stored.get(key.id);
      // An older config's implicit key exists only when something is stored.
      if (!secret && !explicit) return [];
      return [
        {
          id: key.id,
          label: key.label,
          hint: secret ? maskSecret(secret.value) : null,
          location: secret?.location ?? 'none',
          health: this.health.view(config.id, key.id),
        },
      ];
    });
  }

  /** Every account the provider's keys may occupy (for deleting it). */
  accounts(config: ProviderConfig): string[] {
    const ids = new Set([LEGACY_KEY_ID, ...poolOf(config).map((k) => k.id)]);
    return [...ids].map((id) => keyAccount(config.id, id));
  }

  /**
   * The writes a save makes to the pool: the whole list (`draft.keys`), or, from a form that knows one key
   * only (`draft.apiKey`), a change to the first key.
   */
  async planSave(id: string, existing: ProviderConfig | undefined, draft: ProviderDraft, newKeyId: () => string): Promise<PoolSavePlan> {
    const stored = await this.stored(existing, true);
    const pool = poolOf(existing);
    if (draft.keys === undefined) return this.planSingle(id, existing, pool, draft);
    const storedValues = new Map([...stored].map(([k, v]) => [k, v.value]));
    const issues: RoutingIssues = validateKeyDrafts(draft.keys, storedValues);
    draft.keys.forEach((key, row) => {
      if (key.value === undefined && key.id !== undefined && !storedValues.has(key.id) && !issues[`keys.${row}`]) {
        issues[`keys.${row}`] = { code: 'KEY_EMPTY', message: `Key ${row + 1} is no longer stored: paste it again or remove the row.`, params: { row: row + 1 } };
      }
    });
    if (Object.keys(issues).length > 0) throw fieldsFailure(issues);
    const known = new Set(pool.map((k) => k.id));
    const keys: ApiKeyMeta[] = [];
    const writes: SecretWrite[] = [];
    const touched: string[] = [];
    for (const key of draft.keys) {
      const keyId = key.id !== undefined && known.has(key.id) ? key.id : newKeyId();
      keys.push({ id: keyId, label: key.label.trim().slice(0, MAX_KEY_LABEL) });
      if (key.value !== undefined && normalizeApiKey(key.value) !== storedValues.get(keyId)) {
        writes.push({ account: keyAccount(id, keyId), value: normalizeApiKey(key.value) });
        touched.push(keyId);
      }
    }
    const kept = new Set(keys.map((k) => k.id));
    for (const key of pool) {
      if (kept.has(key.id)) continue;
      if (stored.has(key.id)) writes.push({ account: keyAccount(id, key.id), value: null });
      touched.push(key.id);
    }
    return { keys, writes, touched };
  }

  private planSingle(id: string, existing: ProviderConfig | undefined, pool: ApiKeyMeta[], draft: ProviderDraft): PoolSavePlan {
    const first = pool[0];
    const explicit = existing?.keys !== undefined;
    if (draft.apiKey.action === 'keep') return { keys: existing?.keys, writes: [], touched: [] };
    if (draft.apiKey.action === 'clear') {
      if (!first) return { keys: existing?.keys, writes: [], touched: [] };
      return {
        keys: explicit ? pool.slice(1) : undefined,
        writes: [{ account: keyAccount(id, first.id), value: null }],
        touched: [first.id],
      };
    }
    const value = normalizeApiKey(draft.apiKey.value);
    const target = first ?? { id: LEGACY_KEY_ID, label: '' };
    return {
      keys: explicit ? (first ? pool : [target]) : undefined,
      writes: [{ account: keyAccount(id, target.id), value: value === '' ? null : value }],
      touched: [target.id],
    };
  }
}
