import { describe, expect, it } from 'vitest';
import type { McpServerConfig, McpServerStatus } from '../../../../shared/models/tools';
import { createMemoryLogger } from '../../../../electron/main/logger';
import type { McpConnection } from '../../../../electron/main/tools/mcp-connection';
import { McpSupervisor, type SupervisorTimers } from '../../../../electron/main/tools/mcp-supervisor';

function config(id: string, overrides: Partial<McpServerConfig> = {}): McpServerConfig {
  return { id, name: id, enabled: true, transport: 'stdio', command: 'srv', args: [], cwd: '', env: [], url: '', headers: [], ...overrides };
}

/** Manual timers: `advance` runs what is due. */
function manualTimers(): SupervisorTimers & { advance(ms: number): void; pending(): number[] } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    setTimeout(fn, ms) {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout(id) {
      timers = timers.filter((t) => t.id !== id);
    },
    now: () => now,
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    pending: () => timers.map((t) => t.at - now),
  };
}

function stand() {
  const started: string[] = [];
  const closed: string[] = [];
  const crash: Record<string, (reason: string) => void> = {};
  const statuses: [string, McpServerStatus][] = [];
  const timers = manualTimers();
  let fail: string | null = null;
  const supervisor = new McpSupervisor({
    connect: async (server) => {
      started.push(server.id);
      if (fail) throw new Error(fail);
      const connection: McpConnection = {
        tools: [{ name: 't', description: '', inputSchema: {} }],
        callTool: async () => ({ text: '', isError: false }),
        close: async () => {
          closed.push(server.id);
        },
        onClosed: (listener) => {
          crash[server.id] = listener;
        },
      };
      return connection;
    },
    resolve: async (c) => c,
    onStatus: (id, status) => statuses.push([id, status]),
    log: createMemoryLogger(),
    timers,
    restartDelaysMs: [100, 1000],
    stableAfterMs: 10_000,
  });
  return { supervisor, started, closed, crash, statuses, timers, failWith: (m: string | null) => (fail = m) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('McpSupervisor', () => {
  it('starts only enabled servers, stops disabled and removed ones, restarts a changed one', async () => {
    const s = stand();
    s.supervisor.sync([config('a'), config('b', { enabled: false })]);
    await tick();
    expect(s.started).toEqual(['a']);
    expect(s.supervisor.status('a')).toMatchObject({ state: 'ready', tools: [{ name: 't' }] });
    expect(s.supervisor.status('b').state).toBe('stopped');
    s.supervisor.sync([config('a', { name: 'renamed' }), config('b')]);
    await tick();
    expect(s.started).toEqual(['a', 'b']);
    s.supervisor.sync([config('a', { args: ['--new'] })]);
    await tick();
    expect(s.closed.sort()).toEqual(['a', 'b']);
    expect(s.started).toEqual(['a', 'b', 'a']);
  });

  it('restarts a crashed server after each back-off delay, then stays in error with a sentence', async () => {
    const s = stand();
    s.supervisor.sync([config('a')]);
    await tick();
    s.crash.a?.('The server stopped.');
    expect(s.supervisor.status('a')).toMatchObject({ state: 'error', message: 'The server stopped. Restarting in 1 s…', restarts: 1 });
    s.timers.advance(99);
    expect(s.started).toEqual(['a']);
    s.timers.advance(1);
    await tick();
    expect(s.started).toEqual(['a', 'a']);
    s.crash.a?.('The server stopped.');
    expect(s.timers.pending()).toEqual([1000]);
    s.timers.advance(1000);
    await tick();
    s.crash.a?.('The server stopped.');
    expect(s.supervisor.status('a')).toMatchObject({ state: 'error', restarts: 2 });
    expect(s.supervisor.status('a').message).toMatch(/not restarted again/);
    expect(s.timers.pending()).toEqual([]);
    // A server that stayed up long enough has its count forgotten.
    await s.supervisor.restart('a');
    s.timers.advance(20_000);
    s.crash.a?.('The server stopped.');
    expect(s.supervisor.status('a')).toMatchObject({ restarts: 1 });
  });

  it('a start failure is an error with its sentence, not retried on its own; dispose stops all and starts nothing later', async () => {
    const s = stand();
    s.failWith('The command “srv” was not found.');
    s.supervisor.sync([config('a')]);
    await tick();
    expect(s.supervisor.status('a')).toMatchObject({ state: 'error', message: 'The command “srv” was not found.' });
    expect(s.timers.pending()).toEqual([]);
    s.failWith(null);
    await s.supervisor.restart('a');
    expect(s.supervisor.status('a').state).toBe('ready');
    await s.supervisor.dispose();
    expect(s.closed).toEqual(['a']);
    s.supervisor.sync([config('c')]);
    await tick();
    expect(s.started).not.toContain('c');
  });
});
