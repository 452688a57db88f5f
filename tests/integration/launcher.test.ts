/**
 * `npm start` as a user runs it, on a machine where Electron's binary is not installed. The electron
 * package's own installer runs once against a download server that fails the way a blocked or offline
 * machine does: a closed 127.0.0.1 port (ELECTRON_MIRROR, read by @electron/get) or a local server whose
 * file does not match Electron's published checksum. No request leaves 127.0.0.1. The launcher must then say
 * why in one sentence, serve the app through the browser host on the app's own data dir, and stop on
 * SIGTERM. Where a binary is installed (a stand-in under ELECTRON_OVERRIDE_DIST_PATH), it must start it on
 * the project through electron-vite's CLI and never run the installer. `--skip-build` uses the build in out/
 * (the suite builds before it runs), so these tests never rewrite out/ under the other tests' feet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_MMAP_THRESHOLD_BYTES } from '../../electron/launcher/decisions';
import { glibcVersion } from '../../electron/launcher/host-process-env';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const URL_LINE = /^Switchboard browser host: (\S+)$/m;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A temp HOME with nothing of the developer's: no Electron cache, no npm or Electron settings, no proxy. */
function sandboxEnv(extra: Record<string, string>): { env: NodeJS.ProcessEnv; home: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-launch-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(ELECTRON_|npm_config_electron|npm_package_config_electron|SWITCHBOARD_|NODE_USE_ENV_PROXY$|https?_proxy$|all_proxy$)/i.test(key)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    electron_config_cache: path.join(home, 'electron-cache'),
    NO_PROXY: '127.0.0.1',
    ...extra,
  });
  return { env, home };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, options: { group?: boolean } = {}): Run {
  const child = spawn(command, args, { cwd: root, env, detached: options.group ?? false });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

function waitForUrl(r: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = URL_LINE.exec(r.output());
      if (m) resolve(m[1]!);
    };
    r.child.stdout?.on('data', check);
    void r.exited.then(({ code }) => reject(new Error(`the launcher exited (${code}) without a URL:\n${r.output()}`)));
  });
}

/** The processes of a process group (Linux /proc): their command lines and environments. */
function processesInGroup(pgid: number): { pid: number; cmdline: string[]; environ: Record<string, string> }[] {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so read after its ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const environ = Object.fromEntries(
        fs
          .readFileSync(`/proc/${entry}/environ`, 'utf8')
          .split('\0')
          .filter((kv) => kv.includes('='))
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      found.push({ pid: Number(entry), cmdline, environ });
    } catch {
      // The process ended while we read it.
    }
  }
  return found;
}

/** A port nothing listens on: bound, then closed, so a connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Opens the printed URL as a browser would and checks the Chat window is served behind the token. */
async function expectChatWindowBehindToken(url: string): Promise<void> {
  const parsed = new URL(url);
  expect(parsed.hostname).toBe('127.0.0.1');
  expect(parsed.searchParams.get('token')).toMatch(/^[0-9a-f]{32,}$/);
  const entry = await fetch(url, { redirect: 'manual' });
  expect(entry.status).toBe(302);
  expect(entry.headers.get('location')).toBe('/chat/');
  const cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
  const page = await fetch(`${parsed.origin}/chat/`, { headers: { cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('/__switchboard/bridge.js');
  expect(html).toContain('Content-Security-Policy');
  expect((await fetch(`${parsed.origin}/chat/`)).status).toBe(403);
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
});

beforeAll(() => {
  for (const f of ['out/main/index.js', 'out/renderer/chat/index.html']) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
});

// Where Electron is installed, npm start starts it: these cover the machines where it is not (ours).
const electronInstalled = fs.existsSync(path.join(root, 'node_modules/electron/path.txt'));

describe.skipIf(electronInstalled)('npm start where Electron cannot be downloaded', () => {
  it('says why in one sentence, serves the Chat window on the app’s own data dir, and stops on SIGTERM', async () => {
    const { env, home } = sandboxEnv({ ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    // The real `npm start` (its script from package.json), in its own process group as a terminal runs it.
    const r = run('npm', ['start', '--silent', '--', '--skip-build'], env, { group: true });
    started.push(r.child);
    const url = await waitForUrl(r);

    const lines = r.output().split('\n');
    const sentence = lines.find((l) => l.includes('in your browser instead'));
    expect(sentence).toBe(
      'Electron could not be downloaded (fetch failed: this machine cannot reach the download server), so Switchboard is running in your browser instead: open the URL below.',
    );
    // The installer ran once, with its output shown, before the sentence.
    expect(r.output().match(/Downloading Electron/g)).toHaveLength(1);
    expect(r.output()).toContain('fetch failed');
    expect(lines.indexOf(sentence!)).toBeLessThan(lines.findIndex((l) => URL_LINE.test(l)));

    await expectChatWindowBehindToken(url);
    // Electron's userData on Linux: $XDG_CONFIG_HOME/<productName>.
    const dataDir = path.join(home, 'config', 'Switchboard');
    expect(fs.readdirSync(dataDir)).toContain('config.json');
    expect(r.output()).toContain(`Your data: ${dataDir}`);
    // The host is a process of its own, started with the fixed malloc mmap threshold where libc is glibc.
    const host = processesInGroup(r.child.pid!).find((p) => p.cmdline.some((arg) => arg.endsWith(path.join('electron', 'browser-host', 'cli.ts'))));
    expect(host?.cmdline).toContain(dataDir);
    if (glibcVersion()) expect(host?.environ.GLIBC_TUNABLES).toBe(`glibc.malloc.mmap_threshold=${HOST_MMAP_THRESHOLD_BYTES}`);

    process.kill(-r.child.pid!, 'SIGTERM');
    await r.exited;
    await expect(fetch(url)).rejects.toThrow();
  });

  it('names a checksum mismatch as the reason when the download server hands over the wrong file', async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end('this is not Electron');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { env, home } = sandboxEnv({
        ELECTRON_MIRROR: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      });
      env.SWITCHBOARD_USER_DATA_DIR = path.join(home, 'own-data');
      const r = run(tsx, ['electron/launcher/run.ts', 'start', '--skip-build'], env);
      started.push(r.child);
      await waitForUrl(r);
      expect(r.output()).toContain(
        "Electron's download did not match its published checksum, so Switchboard is running in your browser instead: open the URL below.",
      );
      expect(requests.some((u) => /electron-v[\d.]+-linux-\w+\.zip$/.test(u))).toBe(true);
      expect(fs.existsSync(path.join(root, 'node_modules/electron/path.txt'))).toBe(false);
      // SWITCHBOARD_USER_DATA_DIR overrides the data dir here as it does in the Electron main process.
      expect(fs.readdirSync(path.join(home, 'own-data'))).toContain('config.json');
      expect(fs.existsSync(path.join(home, 'config', 'Switchboard'))).toBe(false);
      r.child.kill('SIGTERM');
      expect((await r.exited).code).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('SWITCHBOARD_BROWSER_HOST=1 skips Electron and the download, says so, and exits 0 on SIGTERM', async () => {
    const { env, home } = sandboxEnv({ SWITCHBOARD_BROWSER_HOST: '1', ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    const r = run(tsx, ['electron/launcher/run.ts', 'start', '--skip-build'], env);
    started.push(r.child);
    const url = await waitForUrl(r);
    expect(r.output()).toContain('SWITCHBOARD_BROWSER_HOST is set, so Switchboard is running in your browser instead: open the URL below.');
    expect(r.output()).not.toContain('Downloading Electron');
    await expectChatWindowBehindToken(url);
    expect(fs.readdirSync(path.join(home, 'config', 'Switchboard'))).toContain('config.json');
    r.child.kill('SIGTERM');
    expect(await r.exited).toEqual({ code: 0, signal: null });
  });
});

describe('npm start where Electron is installed', () => {
  it('starts the binary on the project through electron-vite preview, without downloading anything', async () => {
    const { env, home } = sandboxEnv({ ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    // A stand-in Electron distribution: records how it was started and exits.
    const dist = path.join(home, 'electron-dist');
    fs.mkdirSync(dist);
    const record = path.join(home, 'electron-argv.txt');
    fs.writeFileSync(path.join(dist, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$PWD" "$SWITCHBOARD_USER_DATA_DIR" "$@" > '${record}'\n`, { mode: 0o755 });
    env.ELECTRON_OVERRIDE_DIST_PATH = dist;
    env.SWITCHBOARD_USER_DATA_DIR = path.join(home, 'own-data');
    const r = run('npm', ['start', '--silent', '--', '--skip-build'], env, { group: true });
    started.push(r.child);
    const { code } = await r.exited;
    expect(r.output()).not.toContain('Downloading Electron');
    expect(r.output()).not.toContain('browser host');
    expect(code, r.output()).toBe(0);
    // electron-vite runs `<electron> .` in the project dir; the data dir override reaches the main process.
    expect(fs.readFileSync(record, 'utf8').split('\n').slice(0, 3)).toEqual([root, path.join(home, 'own-data'), '.']);
  });
});
