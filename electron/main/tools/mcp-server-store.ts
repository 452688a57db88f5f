/**
 * The user's MCP servers and globally allowed tools, in `mcp-servers.json` beside the other settings
 * (written atomically). A value whose name looks secret (an env variable `GITHUB_TOKEN`, a header
 * `Authorization`) lives in the keychain at `mcp:<id>:env:<name>` / `mcp:<id>:header:<name>`; the file
 * keeps it empty, and Settings sees it masked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { McpServerConfig, McpServerDraft, NameValue } from '../../../shared/models/tools';
import { MCP_TRANSPORTS } from '../../../shared/models/tools';
import { isSecretHeaderName, maskSecret } from '../../../shared/validation/provider-validation';
import { AppFailure } from '../../../shared/result';
import { writeFileAtomic } from '../conversations/atomic-file';
import type { Logger } from '../logger';
import type { KeyVault } from '../secrets/key-vault';

export const MCP_FILE_NAME = 'mcp-servers.json';

const nameValue = z.object({ name: z.string(), value: z.string() });
const serverSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  enabled: z.boolean().default(false),
  transport: z.enum(MCP_TRANSPORTS),
  command: z.string().default(''),
  args: z.array(z.string()).default([]),
  cwd: z.string().default(''),
  env: z.array(nameValue).default([]),
  url: z.string().default(''),
  headers: z.array(nameValue).default([]),
});
const fileSchema = z.object({
  servers: z.array(z.unknown()).default([]),
  alwaysAllowed: z.array(z.string()).default([]),
});

type Section = 'env' | 'header';

export function secretAccount(serverId: string, section: Section, name: string): string {
  return `mcp:${serverId}:${section}:${name.trim().toLowerCase()}`;
}

export class McpServerStore {
  private servers: McpServerConfig[] = [];
  private allowed: string[] = [];
  private readonly file: string;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { dataDir: string; vault: KeyVault; log: Logger }) {
    this.file = path.join(deps.dataDir, MCP_FILE_NAME);
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    try {
      const data = fileSchema.parse(JSON.parse(text));
      for (const entry of data.servers) {
        const parsed = serverSchema.safeParse(entry);
        if (parsed.success) this.servers.push(parsed.data);
        else this.deps.log.warn('mcp', 'skipped an MCP server entry this version cannot read');
      }
      this.allowed = data.alwaysAllowed;
    } catch (error) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      this.deps.log.warn('mcp', `${MCP_FILE_NAME} was unreadable and was moved to ${aside}`, error);
      try {
        fs.renameSync(this.file, aside);
      } catch {
        // left in place; the next save replaces it
      }
    }
  }

  list(): McpServerConfig[] {
    return structuredClone(this.servers);
  }

  get(id: string): McpServerConfig | undefined {
    const found = this.servers.find((s) => s.id === id);
    return found ? structuredClone(found) : undefined;
  }

  alwaysAllowed(): string[] {
    return [...this.allowed];
  }

  async setAllowed(key: string, allowed: boolean): Promise<void> {
    this.allowed = allowed ? [...new Set([...this.allowed, key])] : this.allowed.filter((k) => k !== key);
    await this.save();
  }

  /** The config with its secret values from the vault (for starting it). */
  async resolve(config: McpServerConfig): Promise<McpServerConfig> {
    const read = async (section: Section, items: NameValue[]) =>
      Promise.all(
        items.map(async (item) =>
          isSecretHeaderName(item.name) ? { name: item.name, value: (await this.deps.vault.get(secretAccount(config.id, section, item.name)))?.value ?? item.value } : item,
        ),
      );
    return { ...config, env: await read('env', config.env), headers: await read('header', config.headers) };
  }

  /** The config as Settings sees it: secret values masked. */
  async masked(config: McpServerConfig): Promise<McpServerConfig> {
    const mask = async (section: Section, items: NameValue[]) =>
      Promise.all(
        items.map(async (item) => {
          if (!isSecretHeaderName(item.name)) return item;
          const stored = await this.deps.vault.peek(secretAccount(config.id, section, item.name));
          return { name: item.name, value: stored?.value ? maskSecret(stored.value) : '' };
        }),
      );
    return { ...config, env: await mask('env', config.env), headers: await mask('header', config.headers) };
  }

  async save(draft?: McpServerDraft): Promise<McpServerConfig | undefined> {
    let saved: McpServerConfig | undefined;
    if (draft) {
      const existing = draft.id ? this.servers.find((s) => s.id === draft.id) : undefined;
      if (draft.id && !existing) throw new AppFailure({ code: 'NOT_FOUND', message: 'That MCP server no longer exists.' });
      const config = validate(draft, existing?.id ?? randomUUID());
      const previous = existing ? await this.resolve(existing) : null;
      // Secrets first: a keychain that refuses leaves the file (and the running server) as they were.
      const env = await this.storeSecrets(config.id, 'env', config.env, previous?.env ?? []);
      const headers = await this.storeSecrets(config.id, 'header', config.headers, previous?.headers ?? []);
      saved = { ...config, env, headers };
      this.servers = existing ? this.servers.map((s) => (s.id === saved?.id ? (saved as McpServerConfig) : s)) : [...this.servers, saved];
    }
    const data = JSON.stringify({ servers: this.servers, alwaysAllowed: this.allowed }, null, 2);
    const write = this.writes.then(() => writeFileAtomic(this.file, data));
    this.writes = write.catch(() => undefined);
    await write;
    return saved ? structuredClone(saved) : undefined;
  }

  async remove(id: string): Promise<void> {
    const existing = this.servers.find((s) => s.id === id);
    if (!existing) return;
    this.servers = this.servers.filter((s) => s.id !== id);
    this.allowed = this.allowed.filter((k) => !k.startsWith(`${id}/`));
    await this.save();
    for (const item of existing.env) if (isSecretHeaderName(item.name)) await this.deps.vault.delete(secretAccount(id, 'env', item.name)).catch(() => undefined);
    for (const item of existing.headers) if (isSecretHeaderName(item.name)) await this.deps.vault.delete(secretAccount(id, 'header', item.name)).catch(() => undefined);
  }

  /** Stores secret values (a masked value sent back keeps the stored one); returns the items as the file keeps them. */
  private async storeSecrets(id: string, section: Section, items: NameValue[], previous: NameValue[]): Promise<NameValue[]> {
    const out: NameValue[] = [];
    for (const item of items) {
      if (!isSecretHeaderName(item.name)) {
        out.push(item);
        continue;
      }
      const before = previous.find((p) => p.name.trim().toLowerCase() === item.name.trim().toLowerCase());
      const keep = before && before.value && item.value === maskSecret(before.value);
      if (!keep) await this.deps.vault.set(secretAccount(id, section, item.name), item.value);
      out.push({ name: item.name, value: '' });
    }
    for (const gone of previous) {
      if (isSecretHeaderName(gone.name) && !items.some((i) => i.name.trim().toLowerCase() === gone.name.trim().toLowerCase())) {
        await this.deps.vault.delete(secretAccount(id, section, gone.name)).catch(() => undefined);
      }
    }
    return out;
  }
}

function invalid(message: string, field: string): AppFailure {
  return new AppFailure({ code: 'VALIDATION', message, params: { context: 'mcp', field } });
}

/** A draft as a config, or one sentence about what is wrong with it. */
export function validate(draft: McpServerDraft, id: string): McpServerConfig {
  const name = draft.name.trim();
  if (!name) throw invalid('Give the server a name.', 'name');
  const clean = (items: NameValue[]) => items.map((i) => ({ name: i.name.trim(), value: i.value })).filter((i) => i.name || i.value);
  const env = clean(draft.env);
  const headers = clean(draft.headers);
  for (const item of env) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(item.name)) throw invalid(`“${item.name}” is not a valid environment variable name.`, 'env');
  for (const item of headers) if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(item.name)) throw invalid(`“${item.name}” is not a valid header name.`, 'headers');
  if (draft.transport === 'stdio') {
    if (!draft.command.trim()) throw invalid('Enter the command that starts the server.', 'command');
  } else {
    let url: URL;
    try {
      url = new URL(draft.url.trim());
    } catch {
      throw invalid('Enter the server’s full URL, starting with http:// or https://.', 'url');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('Enter the server’s full URL, starting with http:// or https://.', 'url');
  }
  return {
    id,
    name,
    enabled: draft.enabled,
    transport: draft.transport,
    command: draft.command.trim(),
    args: draft.args.filter((a) => a !== ''),
    cwd: draft.cwd.trim(),
    env,
    url: draft.url.trim(),
    headers,
  };
}
