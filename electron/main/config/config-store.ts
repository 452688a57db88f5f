/**
 * Provider configs and preferences, kept in one JSON file through electron-store in the app (its engine,
 * `conf`, in tests and the browser host: electron-store is `conf` with Electron's default paths, and both
 * are handed in by the composition root). The file carries a schema version; older files are migrated on
 * load and a corrupted file is moved aside, never deleted, and reported to the user.
 *
 * API keys are never written here: see secrets/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readStoredSettings } from '../../../shared/models/generation-settings';
import { z } from 'zod';
import type { ProviderConfig } from '../../../shared/models/provider';
import { CONVERSATION_STATE_MODES, DEFAULT_ASSISTANT_RUN_TIMEOUT_MS, KEY_STRATEGIES, PROVIDER_TYPES } from '../../../shared/models/provider';
import type { AppNotice, LanguagePreference } from '../../../shared/models/preferences';
import type { Logger } from '../logger';

/** The file-backed store the composition root hands in: electron-store in the app, conf elsewhere. */
export interface JsonFileStore {
  readonly path: string;
  store: Record<string, unknown>;
}
export type JsonFileStoreFactory = (options: { cwd: string; name: string }) => JsonFileStore;

export const CONFIG_SCHEMA_VERSION = 1;
export const CONFIG_FILE_NAME = 'config';

/** Per-provider facts learned at run time (e.g. "rejects stream_options"), kept across restarts. */
export interface ProviderQuirks {
  noStreamOptions?: boolean;
  /** OpenAI Responses: the server refuses `background: true` (replies then run as normal responses). */
  noBackground?: boolean;
  /** Parameters this provider refused for a model (by model name), left out since ("Send without it"). */
  omittedParameters?: Record<string, string[]>;
}

export interface ConfigData {
  /** The file's version: ours, or a newer one's when a newer Switchboard wrote it (never downgraded). */
  schemaVersion: number;
  providers: ProviderConfig[];
  /** Fields of a provider this version does not know (written by a newer version), by provider id. */
  providerExtras: Record<string, Record<string, unknown>>;
  /** Top-level keys this version does not know, written back untouched. */
  extra: Record<string, unknown>;
  /** Saved entries this version cannot read (e.g. a provider type from a newer version): kept untouched. */
  unreadableProviders: unknown[];
  preferences: { language: LanguagePreference };
  quirks: Record<string, ProviderQuirks>;
}

const KNOWN_TOP_LEVEL = new Set(['schemaVersion', 'providers', 'unreadableProviders', 'preferences', 'quirks']);

const providerSchema = z.object({
  id: z.string().min(1),
  type: z.enum(PROVIDER_TYPES),
  name: z.string(),
  baseUrl: z.string().default(''),
  model: z.string().default(''),
  assistantId: z.string().default(''),
  customHeaders: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  runTimeoutMs: z.number().int().positive().default(DEFAULT_ASSISTANT_RUN_TIMEOUT_MS),
  // OpenAI Responses only, so optional: entries of the other types (and files older versions wrote) stay
  // exactly as they are. A mode this version does not know falls back to the default instead of hiding the
  // provider.
  instructions: z.string().optional(),
  conversationState: z.enum(CONVERSATION_STATE_MODES).optional().catch(undefined),
  // Added without a schema bump: absent in older files (no defaults), read field by field like a conversation's.
  defaults: z.unknown().transform(readStoredSettings).optional(),
  // Key pools and fallbacks, also without a bump: absent in older files (one key at the provider account).
  // A damaged list falls back to that one key rather than hiding the provider.
  keys: z.array(z.object({ id: z.string().min(1), label: z.string().default('') })).optional().catch(undefined),
  keyStrategy: z.enum(KEY_STRATEGIES).optional().catch(undefined),
  fallbacks: z.array(z.object({ providerId: z.string().min(1), model: z.string().default('') })).optional().catch(undefined),
  createdAt: z.string().default(() => new Date(0).toISOString()),
  updatedAt: z.string().default(() => new Date(0).toISOString()),
});

/**
 * Migrations from version N to N+1, applied in order. Each takes the raw object of version N.
 * Version 0 is a file without `schemaVersion` (nothing was ever released without it, but a hand-made or
 * truncated file may lack it).
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  0: (raw) => ({ ...raw, schemaVersion: 1 }),
};

export function migrateConfig(raw: Record<string, unknown>, log?: Logger): Record<string, unknown> {
  let data = raw;
  let version = typeof data.schemaVersion === 'number' ? data.schemaVersion : 0;
  while (version < CONFIG_SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`No migration from config schema version ${version}`);
    data = step(data);
    version += 1;
    log?.info('config', `migrated config to schema version ${version}`);
  }
  return data;
}

/** Reads the raw store into typed data; entries this version cannot read are kept aside, not dropped. */
export function parseConfig(raw: Record<string, unknown>, log?: Logger): ConfigData {
  const providers: ProviderConfig[] = [];
  const providerExtras: Record<string, Record<string, unknown>> = {};
  const unreadableProviders: unknown[] = Array.isArray(raw.unreadableProviders) ? [...raw.unreadableProviders] : [];
  const known = new Set(Object.keys(providerSchema.shape));
  for (const entry of Array.isArray(raw.providers) ? raw.providers : []) {
    const parsed = providerSchema.safeParse(entry);
    if (parsed.success && !providers.some((p) => p.id === parsed.data.id)) {
      providers.push(parsed.data);
      const extras = Object.fromEntries(Object.entries(entry as Record<string, unknown>).filter(([k]) => !known.has(k)));
      if (Object.keys(extras).length > 0) providerExtras[parsed.data.id] = extras;
    } else {
      unreadableProviders.push(entry);
      log?.warn('config', 'kept a provider entry this version cannot read');
    }
  }
  const extra = Object.fromEntries(Object.entries(raw).filter(([k]) => !KNOWN_TOP_LEVEL.has(k)));
  const prefs = (raw.preferences ?? {}) as Record<string, unknown>;
  const language = z.enum(['system', 'en', 'zh-TW']).safeParse(prefs.language);
  const quirks =
    typeof raw.quirks === 'object' && raw.quirks !== null ? (raw.quirks as Record<string, ProviderQuirks>) : {};
  const version = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : CONFIG_SCHEMA_VERSION;
  return {
    schemaVersion: Math.max(version, CONFIG_SCHEMA_VERSION),
    providers,
    providerExtras,
    extra,
    unreadableProviders,
    preferences: { language: language.success ? language.data : 'system' },
    quirks,
  };
}

export class ConfigStore {
  private readonly file: JsonFileStore;
  private data: ConfigData;
  /** Start-up notices for the user (a corrupted file moved aside). */
  readonly notices: AppNotice[] = [];

  constructor(
    private readonly deps: { dataDir: string; createStore: JsonFileStoreFactory; log: Logger; now?: () => Date },
  ) {
    this.file = this.open();
    const raw = this.file.store;
    const migrated = migrateConfig(raw, deps.log);
    this.data = parseConfig(migrated, deps.log);
    if (migrated !== raw) this.flush();
  }

  get path(): string {
    return this.file.path;
  }

  private open(): JsonFileStore {
    const options = { cwd: this.deps.dataDir, name: CONFIG_FILE_NAME };
    const file = path.join(this.deps.dataDir, `${CONFIG_FILE_NAME}.json`);
    // The store would read `[]`, `"x"` or `{"providers": {}}` as empty settings and then overwrite the file;
    // such a file is damaged (or hand-edited wrongly) and must be kept for the user instead.
    const problem = describeDamage(file);
    if (problem) this.moveAside(file, new Error(problem));
    try {
      return this.deps.createStore(options);
    } catch (error) {
      if (!fs.existsSync(file)) throw error;
      this.moveAside(file, error);
      return this.deps.createStore(options);
    }
  }

  private moveAside(file: string, error: unknown): void {
    const stamp = (this.deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    let aside = path.join(this.deps.dataDir, `${CONFIG_FILE_NAME}.corrupt-${stamp}.json`);
    for (let n = 2; fs.existsSync(aside); n++) aside = path.join(this.deps.dataDir, `${CONFIG_FILE_NAME}.corrupt-${stamp}-${n}.json`);
    fs.renameSync(file, aside);
    this.deps.log.warn('config', `config file was unreadable and was moved to ${aside}`, error);
    this.notices.push({
      id: `config-corrupt-${stamp}`,
      code: 'CONFIG_CORRUPT_MOVED',
      message: `Your settings file could not be read. It was moved to ${aside} and Switchboard started with fresh settings.`,
      params: { path: aside },
    });
  }

  private flush(): void {
    this.file.store = {
      ...this.data.extra,
      schemaVersion: this.data.schemaVersion,
      providers: this.data.providers.map((p) => ({ ...this.data.providerExtras[p.id], ...p })),
      ...(this.data.unreadableProviders.length ? { unreadableProviders: this.data.unreadableProviders } : {}),
      preferences: this.data.preferences,
      quirks: this.data.quirks,
    };
  }

  listProviders(): ProviderConfig[] {
    return this.data.providers.map((p) => ({ ...p, customHeaders: p.customHeaders.map((h) => ({ ...h })) }));
  }

  getProvider(id: string): ProviderConfig | undefined {
    return this.listProviders().find((p) => p.id === id);
  }

  /** Inserts or replaces one provider; the file is written atomically in one step. */
  upsertProvider(provider: ProviderConfig): void {
    const i = this.data.providers.findIndex((p) => p.id === provider.id);
    if (i >= 0) this.data.providers[i] = provider;
    else this.data.providers.push(provider);
    this.flush();
  }

  removeProvider(id: string): boolean {
    const before = this.data.providers.length;
    this.data.providers = this.data.providers.filter((p) => p.id !== id);
    delete this.data.quirks[id];
    delete this.data.providerExtras[id];
    if (this.data.providers.length === before) return false;
    // No provider keeps naming it as a fallback (a dangling entry would block saving that provider), in
    // the same write as the deletion.
    this.data.providers = this.data.providers.map((p) => withoutFallbackTo(p, id));
    this.flush();
    return true;
  }

  getPreferences(): { language: LanguagePreference } {
    return { ...this.data.preferences };
  }

  setPreferences(prefs: { language: LanguagePreference }): void {
    this.data.preferences = { ...prefs };
    this.flush();
  }

  getQuirks(providerId: string): ProviderQuirks {
    return { ...this.data.quirks[providerId] };
  }

  setQuirks(providerId: string, quirks: ProviderQuirks): void {
    this.data.quirks[providerId] = { ...this.data.quirks[providerId], ...quirks };
    this.flush();
  }
}

/** Why an existing config file cannot be used as settings, or null when it can (or does not exist). */
function describeDamage(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return 'the file is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the file does not hold a settings object';
  const providers = (value as Record<string, unknown>).providers;
  if (providers !== undefined && !Array.isArray(providers)) return 'the provider list in the file is not a list';
  return null;
}

function withoutFallbackTo(provider: ProviderConfig, id: string): ProviderConfig {
  if (!provider.fallbacks?.some((f) => f.providerId === id)) return provider;
  const { fallbacks, ...rest } = provider;
  const kept = fallbacks.filter((f) => f.providerId !== id);
  return kept.length > 0 ? { ...rest, fallbacks: kept } : rest;
}
