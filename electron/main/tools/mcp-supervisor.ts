/**
 * Keeps the enabled MCP servers running: starts each enabled server (and only those: a program runs only
 * because the user configured and enabled it), stops disabled, removed and changed ones, restarts one that
 * stopped on its own with a bounded back-off, and stops them all on quit. Transport-free: the connector is
 * injected, so every decision here is unit-tested with a stand-in.
 */
import type { McpServerConfig, McpServerStatus } from '../../../shared/models/tools';
import type { Logger } from '../logger';
import type { McpConnection, McpConnector, ResolvedServer } from './mcp-connection';

export interface SupervisorTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface SupervisorDeps {
  connect: McpConnector;
  /** The config with its secret values (keychain). */
  resolve(config: McpServerConfig): Promise<ResolvedServer>;
  onStatus(serverId: string, status: McpServerStatus): void;
  log: Logger;
  timers?: SupervisorTimers;
  /** Bound on the start handshake and the tool list. */
  startTimeoutMs?: number;
  /** Waits before each automatic restart after a crash; once used up, the server stays stopped with its sentence. */
  restartDelaysMs?: readonly number[];
  /** A server that stayed up this long has its crash count forgotten. */
  stableAfterMs?: number;
}

export const DEFAULT_RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 15_000, 30_000] as const;

interface Entry {
  config: McpServerConfig;
  key: string;
  status: McpServerStatus;
  connection: McpConnection | null;
  /** Bumped on every start and stop: a start that finishes after a newer one began is dropped. */
  generation: number;
  restartTimer: unknown;
  readyAt: number;
}

const realTimers: SupervisorTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class McpSupervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly timers: SupervisorTimers;
  private disposed = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  /** Brings the running servers in line with the configs (after start-up and every save). */
  sync(configs: readonly McpServerConfig[]): void {
    if (this.disposed) return;
    const wanted = new Map(configs.map((c) => [c.id, c]));
    const restarting = new Set<string>();
    for (const [id, entry] of this.entries) {
      const config = wanted.get(id);
      if (!config || !config.enabled) {
        void this.stopEntry(entry, { state: 'stopped', tools: [], restarts: 0 });
        if (!config) this.entries.delete(id);
        else entry.config = config;
        continue;
      }
      if (configKey(config) !== entry.key) {
        entry.config = config;
        entry.key = configKey(config);
        restarting.add(config.id);
        void this.restartEntry(entry);
      } else {
        entry.config = config;
      }
    }
    for (const config of configs) {
      const known = this.entries.get(config.id);
      if (known) {
        // Enabled again (a changed one is being restarted above and is not `stopped` by then).
        if (config.enabled && known.status.state === 'stopped' && known.connection === null && !restarting.has(config.id)) void this.start(known);
        continue;
      }
      const entry: Entry = {
        config,
        key: configKey(config),
        status: { state: 'stopped', tools: [], restarts: 0 },
        connection: null,
        generation: 0,
        restartTimer: null,
        readyAt: 0,
      };
      this.entries.set(config.id, entry);
      if (config.enabled) void this.start(entry);
    }
  }

  status(id: string): McpServerStatus {
    return structuredClone(this.entries.get(id)?.status ?? { state: 'stopped', tools: [], restarts: 0 });
  }

  connection(id: string): McpConnection | null {
    const entry = this.entries.get(id);
    return entry?.status.state === 'ready' ? entry.connection : null;
  }

  /** The user's Restart: a fresh start with the crash count forgotten. */
  async restart(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || !entry.config.enabled || this.disposed) return;
    entry.status.restarts = 0;
    await this.restartEntry(entry);
  }

  /** Stops every server (app quit); later syncs start nothing. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.entries.values()].map((e) => this.stopEntry(e, { state: 'stopped', tools: [], restarts: 0 }, false)));
  }

  private async restartEntry(entry: Entry): Promise<void> {
    await this.stopEntry(entry, { ...entry.status, state: 'stopped', tools: [] }, false);
    await this.start(entry);
  }

  private setStatus(entry: Entry, status: McpServerStatus, notify = true): void {
    entry.status = status;
    if (notify) this.deps.onStatus(entry.config.id, structuredClone(status));
  }

  private async stopEntry(entry: Entry, status: McpServerStatus, notify = true): Promise<void> {
    entry.generation += 1;
    if (entry.restartTimer !== null) {
      this.timers.clearTimeout(entry.restartTimer);
      entry.restartTimer = null;
    }
    const connection = entry.connection;
    entry.connection = null;
    this.setStatus(entry, status, notify);
    if (connection) await connection.close().catch((error: unknown) => this.deps.log.warn('mcp', `closing server ${entry.config.id} failed`, error));
  }

  private async start(entry: Entry): Promise<void> {
    if (this.disposed) return;
    const generation = ++entry.generation;
    this.setStatus(entry, { state: 'starting', tools: [], restarts: entry.status.restarts });
    let connection: McpConnection;
    try {
      const resolved = await this.deps.resolve(entry.config);
      connection = await this.deps.connect(resolved, { timeoutMs: this.deps.startTimeoutMs ?? 30_000 });
    } catch (error) {
      if (generation !== entry.generation) return;
      const message = error instanceof Error && error.message ? error.message : 'The server could not be started.';
      this.deps.log.warn('mcp', `server ${entry.config.id} did not start: ${message}`);
      this.setStatus(entry, { state: 'error', message, tools: [], restarts: entry.status.restarts });
      return;
    }
    if (generation !== entry.generation || this.disposed) {
      await connection.close().catch(() => undefined);
      return;
    }
    entry.connection = connection;
    entry.readyAt = this.timers.now();
    connection.onClosed((reason) => this.crashed(entry, generation, reason));
    this.setStatus(entry, { state: 'ready', tools: connection.tools, restarts: entry.status.restarts });
  }

  /** The server stopped on its own: restart it after a wait, a bounded number of times. */
  private crashed(entry: Entry, generation: number, reason: string): void {
    if (generation !== entry.generation || this.disposed) return;
    entry.connection = null;
    const delays = this.deps.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
    const stable = this.timers.now() - entry.readyAt >= (this.deps.stableAfterMs ?? 60_000);
    const restarts = stable ? 0 : entry.status.restarts;
    this.deps.log.warn('mcp', `server ${entry.config.id} stopped: ${reason}`);
    const delay = delays[restarts];
    if (delay === undefined) {
      this.setStatus(entry, {
        state: 'error',
        message: `${reason} It stopped ${restarts + 1} times in a row, so it is not restarted again; use Restart when it is fixed.`,
        tools: [],
        restarts,
      });
      return;
    }
    this.setStatus(entry, { state: 'error', message: `${reason} Restarting in ${Math.max(1, Math.round(delay / 1000))} s…`, tools: [], restarts: restarts + 1 });
    const next = ++entry.generation;
    entry.restartTimer = this.timers.setTimeout(() => {
      entry.restartTimer = null;
      if (next === entry.generation) void this.start(entry);
    }, delay);
  }
}

/** What makes a running server out of date: anything but its name. */
function configKey(config: McpServerConfig): string {
  const { name: _name, enabled: _enabled, ...rest } = config;
  return JSON.stringify(rest);
}
