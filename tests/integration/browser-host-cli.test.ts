/**
 * `npm run host:browser -- --port 0 --data-dir DIR` as a user runs it: the CLI prints one line with its URL
 * once ready, serves both windows behind the per-run token on loopback only, keeps its data in DIR, and
 * stops on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// Node itself with tsx's loader (not the tsx binary, which runs Node as a child that a SIGKILL would orphan).
const nodeWithTsx = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;

function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(...nodeWithTsx(['electron/browser-host/cli.ts', ...args]), { cwd: root, env: { ...process.env } });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const m = /^Switchboard browser host: (\S+)$/m.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`browser host exited early (${code}): ${out}`)));
  });
}

describe('browser host CLI', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('prints its URL, serves both windows behind the token and keeps data in --data-dir', async () => {
    if (!fs.existsSync(path.join(root, 'out/renderer/chat/index.html'))) throw new Error('run `npm run build` first');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-'));
    const { child, url } = await startCli(['--port', '0', '--data-dir', dataDir]);
    children.push(child);
    const parsed = new URL(url);
    expect(parsed.hostname).toBe('127.0.0.1');
    expect(Number(parsed.port)).toBeGreaterThan(0);
    const token = parsed.searchParams.get('token');
    expect(token).toMatch(/^[0-9a-f]{32,}$/);

    const entry = await fetch(url, { redirect: 'manual' });
    expect(entry.status).toBe(302);
    expect(entry.headers.get('location')).toBe('/chat/');
    const cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
    for (const win of ['chat', 'settings']) {
      const page = await fetch(`${parsed.origin}/${win}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Content-Security-Policy');
      expect(html).toContain('/__switchboard/bridge.js');
    }
    expect((await fetch(`${parsed.origin}/chat/`)).status).toBe(403);
    expect((await fetch(`${parsed.origin}/chat/?token=wrong`)).status).toBe(403);
    expect(fs.readdirSync(dataDir)).toContain('config.json');

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad --port with a clear message', async () => {
    await expect(startCli(['--port', 'seventy'])).rejects.toThrow(/--port must be 0\.\.65535/);
  });
});
