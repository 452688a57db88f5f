/**
 * Runs the built main process (out/main/index.js, the real composition root) in a Node child process with
 * `electron` resolved to the stand-in (electron.mjs), and drives it over the child-process IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
export const BUILT_MAIN = path.join(root, 'out/main/index.js');

export interface StandInWindow {
  webContentsId: number;
  url: string;
  visible: boolean;
  title: string;
  lastLoad: { url: string; status: number; contentType: string | null } | null;
}

export interface MenuItemFacts {
  id?: string;
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
}

export interface StandInState {
  ready: boolean;
  windows: StandInWindow[];
  appEvents: string[];
  dialogs: { sync: boolean; type?: string; title?: string; message?: string; detail?: string; buttons?: string[] }[];
  openedExternal: string[];
  clipboard: Record<string, unknown>[];
  popups: MenuItemFacts[][];
  windowOptions: { show?: boolean; webPreferences: Record<string, unknown> }[];
  spellCheckerEnabled: boolean;
  dictionaryWords: string[];
  privilegedSchemes: Record<string, Record<string, boolean>>;
  applicationMenu: boolean;
  userData: string;
}

export interface ShellApp {
  child: ChildProcess;
  userData: string;
  output(): string;
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  state(): Promise<StandInState>;
  /** An IPC call from a page, as ipcRenderer.invoke would make it; returns the handler's Result. */
  invoke<T = unknown>(webContentsId: number, channel: string, input?: unknown, opts?: { fromSubframe?: boolean; subframeUrl?: string }): Promise<T>;
  waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string): Promise<T>;
  exited: Promise<number | null>;
  kill(): void;
}

export async function startShell(env: Record<string, string> = {}): Promise<ShellApp> {
  if (!fs.existsSync(BUILT_MAIN)) throw new Error('run `npm run build` first (out/main/index.js is missing)');
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-shell-'));
  let out = '';
  const child = fork(BUILT_MAIN, [], {
    cwd: root,
    execArgv: ['--import', path.join(import.meta.dirname, 'register.mjs')],
    env: { ...process.env, SWITCHBOARD_USER_DATA_DIR: userData, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  child.on('message', (msg: { id?: number; ok?: boolean; value?: unknown; error?: string; event?: string }) => {
    if (msg.event === 'ready') readyResolve();
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.ok) p?.resolve(msg.value);
    else p?.reject(new Error(msg.error));
  });
  void exited.then((code) => {
    for (const p of pending.values()) p.reject(new Error(`main exited (${code}): ${out}`));
    pending.clear();
  });

  const call = <T>(op: string, args: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`main exited (${child.exitCode}): ${out}`));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args });
    });

  await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`main exited before ready (${code}): ${out}`)))]);

  const app: ShellApp = {
    child,
    userData,
    output: () => out,
    call,
    state: () => call<StandInState>('state'),
    invoke: (webContentsId, channel, input, opts = {}) => call('invoke', { webContentsId, channel, input, ...opts }),
    async waitFor(check, what) {
      for (let i = 0; i < 400; i++) {
        const value = await check();
        if (value) return value;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}; main said: ${out}`);
    },
    exited,
    kill: () => child.kill('SIGKILL'),
  };
  return app;
}
