/**
 * The `providers:*` channels: provider configs in the config store, their secrets in the KeyVault
 * (keychain, or memory when the user chose session-only keys), validation, Test Connection and the model
 * list (both handed to the provider's kind). Also `resolve()`, which the chat service uses to get a provider
 * with its key, and `deleteRemoteState()`, which deletes what a kind keeps on the server for a conversation.
 *
 * Secrets rule (provider-secrets.ts): the API key and the values of secret-looking custom headers live in
 * the KeyVault, never in the config file. Reads give the renderer `hasApiKey`, a masked hint, and masked
 * secret header values (`…a1b2`); sending a masked value back unchanged keeps the stored secret.
 *
 * Nothing is saved half-way: validate, snapshot the secrets about to change, write them, then the config;
 * on any failure the secrets are restored and the config is untouched.
 */
import { normalizeSettings, type GenerationSettings } from '../../../shared/models/generation-settings';
import { randomUUID } from 'node:crypto';
import type { Conversation } from '../../../shared/models/conversation';
import type {
  ConnectionTestResult,
  KeychainStatus,
  ProviderConfig,
  ProviderDraft,
  ProviderList,
  ProviderType,
  ProviderView,
} from '../../../shared/models/provider';
import { DEFAULT_ASSISTANT_RUN_TIMEOUT_MS } from '../../../shared/models/provider';
import { AppFailure, fieldsFailure } from '../../../shared/result';
import {
  isSecretHeaderName,
  maskSecret,
  normalizeApiKey,
  supportsCustomHeaders,
  validateProviderDraft,
  type FieldIssueCode,
} from '../../../shared/validation/provider-validation';
import type { ConfigStore } from '../config/config-store';
import type { Handlers } from '../ipc/dispatcher';
import type { EventSink } from '../ipc/events';
import type { Logger } from '../logger';
import { diskFullError, isDiskFull } from '../disk-full';
import { headerAccount, keyAccount, type KeyVault } from '../secrets/key-vault';
import { validateFallbacks } from '../../../shared/validation/routing-validation';
import { poolOf, ProviderKeyPool } from './provider-key-pool';
import { KeyHealthBook } from './routing/key-pool';
import { testEveryKey } from './routing/key-tests';
import type { KindOf } from './kinds';
import type { ConnectionTarget, ProviderKind, ResolvedProvider } from './provider-kind';
import { headerKey, headersForConfigFile, ProviderSecrets, resolveDraftHeaders, type SecretWrite } from './provider-secrets';

export interface ProviderServiceDeps {
  config: ConfigStore;
  vault: KeyVault;
  kindOf: KindOf;
  events: EventSink;
  fetch: typeof globalThis.fetch;
  log: Logger;
  now?: () => Date;
  /** Bound on connect + first byte for Test Connection and the model list (about 10 s by default). */
  connectTimeoutMs?: number;
  newId?: () => string;
  /** The health of every pooled key (shared with the reply router). */
  health?: KeyHealthBook;
}

export class ProviderService {
  private readonly secrets: ProviderSecrets;
  private readonly pool: ProviderKeyPool;
  readonly health: KeyHealthBook;

  constructor(private readonly deps: ProviderServiceDeps) {
    this.secrets = new ProviderSecrets(deps.vault);
    this.health = deps.health ?? new KeyHealthBook();
    this.pool = new ProviderKeyPool(deps.vault, this.health);
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  private kind(type: ProviderType): ProviderKind {
    const kind = this.deps.kindOf(type);
    if (!kind) throw new AppFailure({ code: 'VALIDATION', message: 'Switchboard cannot use this kind of provider.', params: { context: 'unsupported_provider', type } });
    return kind;
  }

  private getConfig(id: string): ProviderConfig {
    const config = this.deps.config.getProvider(id);
    if (!config) throw new AppFailure({ code: 'NOT_FOUND', message: 'This provider no longer exists.', params: { id } });
    return config;
  }

  private async view(config: ProviderConfig): Promise<ProviderView> {
    const keys = await this.pool.views(config);
    const first = keys.find((k) => k.hint !== null);
    const secrets = await this.secrets.headerValues(config, false);
    return {
      ...config,
      customHeaders: config.customHeaders.map((h) => {
        const secret = secrets.get(headerKey(h.name));
        return secret === undefined ? { ...h } : { name: h.name, value: secret === '' ? '' : maskSecret(secret) };
      }),
      hasApiKey: first !== undefined,
      apiKeyHint: first?.hint ?? null,
      keyLocation: first?.location ?? 'none',
      keys,
    };
  }

  async list(): Promise<ProviderList> {
    const providers = await Promise.all(this.deps.config.listProviders().map((p) => this.view(p)));
    return { providers, keychain: await this.deps.vault.getStatus() };
  }

  /** Key health changed (a key cooled down or was rejected): open Settings windows show it. */
  async healthChanged(): Promise<void> {
    await this.broadcast();
  }

  private async broadcast(): Promise<void> {
    try {
      this.deps.events.broadcast('providers:changed', await this.list());
    } catch (error) {
      this.deps.log.warn('providers', 'could not broadcast the provider list', error);
    }
  }

  /** A provider with its key and real header values, for the chat service. Keychain problems throw. */
  async resolve(id: string): Promise<ResolvedProvider> {
    const config = this.deps.config.getProvider(id);
    if (!config) {
      throw new AppFailure({
        code: 'NO_PROVIDER',
        message: 'The provider of this conversation no longer exists. Choose another one.',
        params: { id },
      });
    }
    const keys = await this.pool.resolve(config);
    const secrets = await this.secrets.headerValues(config, true);
    return {
      config: {
        ...config,
        customHeaders: config.customHeaders.map((h) => ({ name: h.name, value: secrets.get(headerKey(h.name)) ?? h.value })),
      },
      apiKey: keys[0]?.value ?? null,
      quirks: this.deps.config.getQuirks(id),
      keys,
    };
  }

  /** The keys a draft would use, in order, with their values (the pool's, or the one key of a simple form). */
  private async draftKeys(draft: ProviderDraft, existing: ProviderConfig | undefined): Promise<{ id: string; label: string; value: string }[]> {
    const stored = await this.pool.stored(existing, true);
    if (draft.keys !== undefined) {
      return draft.keys.flatMap((k, row) => {
        const value = k.value !== undefined ? normalizeApiKey(k.value) : k.id !== undefined ? (stored.get(k.id)?.value ?? '') : '';
        return value ? [{ id: k.id ?? `new-${row}`, label: k.label, value }] : [];
      });
    }
    // A form that shows the simple key field only (a saved pool it did not edit): the pool as saved, with a
    // key typed there in place of the first, as a save would do (provider-key-pool.ts planSingle).
    const kept = poolOf(existing).flatMap((k) => {
      const value = stored.get(k.id)?.value;
      return value ? [{ id: k.id, label: k.label, value }] : [];
    });
    if (draft.apiKey.action === 'set') {
      const value = normalizeApiKey(draft.apiKey.value);
      const first = kept[0];
      return value ? [{ id: first?.id ?? 'new-0', label: first?.label ?? '', value }, ...kept.slice(1)] : [];
    }
    if (draft.apiKey.action === 'keep') return kept;
    return [];
  }

  /** The endpoint a draft describes, with the key it would use, for Test Connection and the model list. */
  private async targetFor(draft: ProviderDraft, ignore: readonly FieldIssueCode[]): Promise<ConnectionTarget & { keys: { id: string; label: string; value: string }[] }> {
    const existing = draft.id ? this.getConfig(draft.id) : undefined;
    const keys = await this.draftKeys(draft, existing);
    const validation = validateProviderDraft(draft, { hasStoredKey: keys.length > 0 });
    const errors = Object.fromEntries(
      Object.entries(validation.errors).filter(([, issue]) => !ignore.includes(issue.code as FieldIssueCode)),
    );
    if (Object.keys(errors).length > 0) throw fieldsFailure(errors);
    const storedHeaders = existing ? await this.secrets.headerValues(existing, true) : new Map<string, string>();
    const apiKey = keys[0]?.value ?? null;
    const { model, assistantId, conversationState } = this.kind(draft.type).settings(draft, existing);
    return {
      type: draft.type,
      baseUrl: validation.normalizedBaseUrl,
      apiKey,
      keys,
      customHeaders: supportsCustomHeaders(draft.type) ? resolveDraftHeaders(draft, storedHeaders) : [],
      model,
      assistantId,
      ...(conversationState ? { conversationState } : {}),
    };
  }

  async test(draft: ProviderDraft): Promise<ConnectionTestResult> {
    const target = await this.targetFor(draft, ['NAME_REQUIRED']);
    const deps = { fetch: this.deps.fetch, timeoutMs: this.deps.connectTimeoutMs };
    const kind = this.kind(draft.type);
    // A pool: every key is checked and reported on its own.
    if (target.keys.length > 1) return testEveryKey(target, target.keys, (t) => kind.testConnection(t, deps));
    return kind.testConnection(target, deps);
  }

  async listModels(draft: ProviderDraft): Promise<{ models: string[] }> {
    const type = this.kind(draft.type).listModelsAs ?? draft.type;
    const target = await this.targetFor({ ...draft, type }, ['NAME_REQUIRED', 'ASSISTANT_ID_REQUIRED', 'API_KEY_REQUIRED']);
    return { models: await this.kind(type).listModels(target, { fetch: this.deps.fetch, timeoutMs: this.deps.connectTimeoutMs }) };
  }

  /**
   * The `deleteRemoteThread` of conversations:delete: deletes what the server keeps for a conversation (an
   * Assistants thread, a Responses conversation object), through the provider that created it (which may no
   * longer be the conversation's). The provider is resolved exactly as for a chat turn, so the key and
   * secret header values kept in the keychain (or for this session only) reach this request too.
   */
  async deleteRemoteState(conversation: Pick<Conversation, 'threadId' | 'threadProviderId' | 'providerId'>): Promise<void> {
    if (!conversation.threadId) return;
    const ownerGone = () =>
      new AppFailure({
        code: 'NO_PROVIDER',
        message: 'The provider that created this conversation’s thread no longer exists, so the thread cannot be deleted on the server.',
        params: { reason: 'removed' },
      });
    const ownerId = conversation.threadProviderId ?? conversation.providerId;
    if (!ownerId) throw ownerGone();
    let provider: ResolvedProvider;
    try {
      provider = await this.resolve(ownerId);
    } catch (error) {
      if (error instanceof AppFailure && error.appError.code === 'NO_PROVIDER') throw ownerGone();
      throw error;
    }
    const deleteRemoteState = this.deps.kindOf(provider.config.type)?.deleteRemoteState;
    if (!deleteRemoteState) throw ownerGone();
    await deleteRemoteState(provider, conversation.threadId);
  }

  private writeConfig(config: ProviderConfig): void {
    try {
      this.deps.config.upsertProvider(config);
    } catch (error) {
      this.deps.log.error('providers', 'could not write the settings file', error);
      if (isDiskFull(error)) throw new AppFailure(diskFullError());
      throw new AppFailure({
        code: 'INTERNAL',
        message: 'Switchboard could not write its settings file, so nothing was saved.',
        hint: 'Check that the disk is not full and the settings folder is writable, then try again.',
        retryable: true,
      });
    }
  }

  /** Secrets first, then the config; when the config cannot be written the secrets are restored. */
  private async writeWithSecrets(config: ProviderConfig, writes: SecretWrite[]): Promise<void> {
    const rollback = await this.secrets.apply(writes);
    try {
      this.writeConfig(config);
    } catch (error) {
      await rollback();
      throw error;
    }
  }

  async save(draft: ProviderDraft): Promise<ProviderView> {
    const existing = draft.id ? this.getConfig(draft.id) : undefined;
    const storedKeys = await this.pool.stored(existing, true);
    const validation = validateProviderDraft(draft, { hasStoredKey: storedKeys.size > 0 });
    const fallbacks = draft.fallbacks ?? existing?.fallbacks ?? [];
    const routingIssues = validateFallbacks(
      { ...(existing ? { id: existing.id } : {}), type: draft.type, conversationState: draft.conversationState ?? existing?.conversationState },
      fallbacks,
      this.deps.config.listProviders().map((p) => (p.id === existing?.id ? { ...p, fallbacks } : p)),
    );
    if (!validation.ok || Object.keys(routingIssues).length > 0) throw fieldsFailure({ ...validation.errors, ...routingIssues });

    const id = existing?.id ?? this.deps.newId?.() ?? randomUUID();
    const poolPlan = await this.pool.planSave(id, existing, draft, () => randomUUID().slice(0, 8));
    const storedHeaders = existing ? await this.secrets.headerValues(existing, true) : new Map<string, string>();
    const headers = supportsCustomHeaders(draft.type) ? resolveDraftHeaders(draft, storedHeaders) : [];

    const writes: SecretWrite[] = [...poolPlan.writes];
    const keptSecretHeaders = new Set<string>();
    for (const header of headers) {
      if (!isSecretHeaderName(header.name)) continue;
      keptSecretHeaders.add(headerKey(header.name));
      if (storedHeaders.get(headerKey(header.name)) === header.value && existing) {
        // Unchanged; but a value still kept in plain text by an older version moves to the keychain now.
        const original = existing.customHeaders.find((h) => headerKey(h.name) === headerKey(header.name));
        if (!original || original.value === '') continue;
      }
      writes.push({ account: headerAccount(id, header.name), value: header.value === '' ? null : header.value });
    }
    for (const name of storedHeaders.keys()) {
      if (!keptSecretHeaders.has(name)) writes.push({ account: headerAccount(id, name), value: null });
    }

    const now = this.now();
    // A kind's own settings (an Assistant's ID, the Responses instructions …) come from its kind alone:
    // a type switch (e.g. from OpenAI Assistant) starts from that kind's defaults.
    const { model, assistantId, ...ownSettings } = this.kind(draft.type).settings(draft, existing);
    const config: ProviderConfig = {
      id,
      type: draft.type,
      name: draft.name.trim(),
      baseUrl: validation.normalizedBaseUrl,
      model,
      assistantId,
      customHeaders: headersForConfigFile(headers),
      runTimeoutMs: draft.runTimeoutMs ?? existing?.runTimeoutMs ?? DEFAULT_ASSISTANT_RUN_TIMEOUT_MS,
      ...ownSettings,
      ...defaultsOf(draft.defaults ?? existing?.defaults),
      ...(poolPlan.keys !== undefined ? { keys: poolPlan.keys } : {}),
      ...routingOf(draft.keyStrategy ?? existing?.keyStrategy, fallbacks),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };

    await this.writeWithSecrets(config, writes);
    // An edited or removed key is judged afresh (a key marked invalid is valid again once replaced).
    for (const keyId of poolPlan.touched) this.health.forget(id, keyId);
    this.deps.log.info('providers', `saved provider ${id}`);
    await this.broadcast();
    return this.view(config);
  }

  async delete(id: string): Promise<void> {
    const config = this.getConfig(id);
    const accounts = [
      ...this.pool.accounts(config),
      ...config.customHeaders.filter((h) => isSecretHeaderName(h.name)).map((h) => headerAccount(id, h.name)),
    ];
    // Secrets first: if the keychain refuses, the provider stays and the user can retry after unlocking.
    for (const account of accounts) await this.deps.vault.delete(account);
    this.deps.config.removeProvider(id);
    this.health.forgetProvider(id);
    this.deps.log.info('providers', `deleted provider ${id}`);
    await this.broadcast();
  }

  private copyName(name: string): string {
    const names = new Set(this.deps.config.listProviders().map((p) => p.name));
    const base = `${name} (copy)`;
    if (!names.has(base)) return base;
    for (let n = 2; ; n++) if (!names.has(`${name} (copy ${n})`)) return `${name} (copy ${n})`;
  }

  async duplicate(id: string): Promise<ProviderView> {
    const source = this.getConfig(id);
    const newId = this.deps.newId?.() ?? randomUUID();
    const keys = await this.pool.stored(source, true);
    const secrets = await this.secrets.headerValues(source, true);
    const writes: SecretWrite[] = [];
    for (const [keyId, key] of keys) writes.push({ account: keyAccount(newId, keyId), value: key.value });
    for (const [name, value] of secrets) if (value !== '') writes.push({ account: headerAccount(newId, name), value });
    const now = this.now();
    const copy: ProviderConfig = {
      ...source,
      id: newId,
      name: this.copyName(source.name),
      customHeaders: headersForConfigFile(source.customHeaders),
      createdAt: now,
      updatedAt: now,
    };
    await this.writeWithSecrets(copy, writes);
    await this.broadcast();
    return this.view(copy);
  }

  async keychainStatus(): Promise<KeychainStatus> {
    return this.deps.vault.checkStatus();
  }

  async setSessionOnlyKeys(enabled: boolean): Promise<KeychainStatus> {
    const status = await this.deps.vault.setSessionOnly(enabled);
    await this.broadcast();
    return status;
  }

  handlers(): Pick<
    Handlers,
    | 'providers:list'
    | 'providers:save'
    | 'providers:delete'
    | 'providers:duplicate'
    | 'providers:test'
    | 'providers:listModels'
    | 'providers:keychainStatus'
    | 'providers:setSessionOnlyKeys'
  > {
    return {
      'providers:list': () => this.list(),
      'providers:save': (draft) => this.save(draft),
      'providers:delete': ({ id }) => this.delete(id),
      'providers:duplicate': ({ id }) => this.duplicate(id),
      'providers:test': (draft) => this.test(draft),
      'providers:listModels': (draft) => this.listModels(draft),
      'providers:keychainStatus': () => this.keychainStatus(),
      'providers:setSessionOnlyKeys': ({ enabled }) => this.setSessionOnlyKeys(enabled),
    };
  }
}


/** A provider's default conversation settings as saved: empty fields dropped, nothing at all when none is left. */
function defaultsOf(settings: GenerationSettings | undefined): Pick<ProviderConfig, 'defaults'> {
  const clean = settings ? normalizeSettings(settings) : {};
  return Object.keys(clean).length > 0 ? { defaults: clean } : {};
}

/** The key strategy and fallbacks as saved: the defaults (`order`, none) are left out of the file. */
function routingOf(strategy: ProviderConfig['keyStrategy'], fallbacks: NonNullable<ProviderConfig['fallbacks']>): Pick<ProviderConfig, 'keyStrategy' | 'fallbacks'> {
  return {
    ...(strategy && strategy !== 'order' ? { keyStrategy: strategy } : {}),
    ...(fallbacks.length > 0 ? { fallbacks: fallbacks.map((f) => ({ providerId: f.providerId, model: f.model.trim() })) } : {}),
  };
}
