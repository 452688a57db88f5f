/**
 * MCP servers in main as Settings sees them: real processes and HTTP endpoints that start, fail to start in
 * the ways real ones do, crash and are restarted with back-off, and stop when the app quits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, localServerAndRigs, memorySecretStore } from '../support/chat-rig';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp/http-server';
import { httpDraft, saveServer, saveServerRaw, serverIn, stdioDraft } from '../support/mcp/mcp-rig';

const local = localServerAndRigs();
let http: McpHttpServer;
beforeAll(async () => {
  http = await startMcpHttpServer({ requiredHeader: { name: 'Authorization', value: 'Bearer mcp-secret-123456' } });
});
afterAll(async () => {
  await http.close();
});

function rig() {
  return local.rig({ mcp: { startTimeoutMs: 3_000, restartDelaysMs: [50, 100] } });
}

describe('MCP servers: starting', () => {
  it('lists a ready server with its tools and descriptions; a disabled one is never started', async () => {
    const r = rig();
    const off = await saveServer(r, stdioDraft({ name: 'Off', enabled: false }));
    const on = await saveServer(r, stdioDraft({ name: 'On' }));
    const ready = await serverIn(r, on.id, 'ready');
    expect(ready.status.tools.find((t) => t.name === 'add')).toMatchObject({ description: 'Adds two numbers.' });
    expect((await r.call('mcp:list', undefined)).servers.find((s) => s.id === off.id)?.status).toEqual({ state: 'stopped', tools: [], restarts: 0 });
  });

  it('a command that does not exist, one that exits at once, and one that prints garbage each get a sentence', async () => {
    const r = rig();
    const missing = await saveServer(r, stdioDraft({ name: 'Missing', command: 'no-such-mcp-server-xyz', args: [] }));
    const exits = await saveServer(r, stdioDraft({ name: 'Exits' }, ['--exit']));
    const garbage = await saveServer(r, stdioDraft({ name: 'Garbage' }, ['--garbage']));
    expect((await serverIn(r, missing.id, 'error')).status.message).toBe('The command “no-such-mcp-server-xyz” was not found. Check the command, or give its full path.');
    expect((await serverIn(r, exits.id, 'error')).status.message).toBe('The server exited as soon as it started. It said: “fatal: missing configuration file”');
    expect((await serverIn(r, garbage.id, 'error')).status.message).toMatch(/printed something that is not MCP \(JSON-RPC\) on its output; is it an MCP server\?/);
  });

  it('a bad draft is refused with one sentence, and only the Settings window may add a server', async () => {
    const r = rig();
    expect(errorOf(await r.raw('mcp:save', stdioDraft())).message).toBe('MCP servers can only be added or changed in the Settings window.');
    expect((await r.call('mcp:list', undefined)).servers).toEqual([]);
    expect(errorOf(await saveServerRaw(r, stdioDraft({ command: '  ' }))).message).toBe('Enter the command that starts the server.');
    expect(errorOf(await saveServerRaw(r, httpDraft('localhost:3000/mcp'))).message).toMatch(/full URL/);
    expect(errorOf(await saveServerRaw(r, stdioDraft({ env: [{ name: 'BAD NAME', value: 'x' }] }))).message).toMatch(/not a valid environment variable name/);
  });

  it('keeps secret env values and headers in the keychain, masked in the list, and passes them to the server', async () => {
    const secrets = memorySecretStore();
    const r = local.rig({ secretStore: secrets, mcp: { startTimeoutMs: 3_000 } });
    const saved = await saveServer(r, stdioDraft({ env: [{ name: 'ECHO_SUFFIX', value: 'plain' }, { name: 'API_TOKEN', value: 'tok-abcdef123456' }] }));
    expect(saved.env).toEqual([{ name: 'ECHO_SUFFIX', value: 'plain' }, { name: 'API_TOKEN', value: '…3456' }]);
    expect(secrets.values.get(`mcp:${saved.id}:env:api_token`)).toBe('tok-abcdef123456');
    const file = (await import('node:fs')).readFileSync(`${r.dataDir}/mcp-servers.json`, 'utf8');
    expect(file).not.toContain('tok-abcdef123456');
    // Sent back masked: the stored value stays, and the process gets the real values.
    await saveServer(r, { ...stdioDraft(), id: saved.id, env: saved.env });
    expect(secrets.values.get(`mcp:${saved.id}:env:api_token`)).toBe('tok-abcdef123456');
    await serverIn(r, saved.id, 'ready');
    const turn = r.services.mcp.forConversation({ id: 'c', title: '', providerId: null, model: '', createdAt: '', updatedAt: '', messages: [], tools: { serverIds: [saved.id] } });
    const loop = turn?.loop;
    const echo = loop?.tools.find((t) => t.name === 'echo');
    if (!loop || !echo) throw new Error('echo is not offered');
    expect((await loop.call(echo, { text: 'hi' }, new AbortController().signal)).text).toBe('echo: hi plain tok-abcdef123456');

    const remote = await saveServer(r, httpDraft(http.url, { headers: [{ name: 'Authorization', value: 'Bearer mcp-secret-123456' }] }));
    expect(remote.headers).toEqual([{ name: 'Authorization', value: '…3456' }]);
    await serverIn(r, remote.id, 'ready');
    const refused = await saveServer(r, httpDraft(http.url, { name: 'No auth' }));
    expect((await serverIn(r, refused.id, 'error')).status.message).toMatch(/refused the request \(HTTP 401\); check its headers/);
  });

  it('an HTTP server where nothing listens says so', async () => {
    const r = rig();
    const gone = await saveServer(r, httpDraft('http://127.0.0.1:1/mcp'));
    expect((await serverIn(r, gone.id, 'error')).status.message).toMatch(/127\.0\.0\.1:1/);
  });
});

describe('MCP servers: crashes, restart and quit', () => {
  it('restarts a crashed server with back-off, gives up after the bound, and Restart starts it again', async () => {
    const r = rig();
    const flaky = await saveServer(r, stdioDraft({ name: 'Flaky' }, ['--crash-after-ms', '150']));
    const finalError = await serverIn(r, flaky.id, 'error', 20_000).then(async (view) => {
      // Wait until the automatic restarts are used up.
      for (let i = 0; i < 200 && !/not restarted again/.test(view.status.message ?? ''); i++) {
        await new Promise((res) => setTimeout(res, 50));
        view = (await r.call('mcp:list', undefined)).servers.find((s) => s.id === flaky.id) ?? view;
      }
      return view;
    });
    expect(finalError.status).toMatchObject({ state: 'error', restarts: 2 });
    expect(finalError.status.message).toMatch(/^The server stopped\. It stopped 3 times in a row, so it is not restarted again; use Restart when it is fixed\.$/);
    await r.call('mcp:restart', { id: flaky.id });
    expect((await serverIn(r, flaky.id, 'ready')).status.restarts).toBe(0);
  });

  it('stops every server process when the app quits', async () => {
    const r = rig();
    const marker = `quit-test-${process.pid}-${Date.now()}`;
    const server = await saveServer(r, stdioDraft({}, ['--name', marker]));
    await serverIn(r, server.id, 'ready');
    const pids = (await import('node:child_process')).execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').map(Number);
    expect(pids).toHaveLength(1);
    await r.services.dispose();
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
