/**
 * Hostile WebSocket frames against the real browser host process (`tsx electron/browser-host/cli.ts`, as
 * `npm start` falls back to it): a 17 MB frame (over the 16 MB limit) and a text frame that is not UTF-8
 * each cost only the connection that sent them. The host keeps running and another window connected to
 * it still gets answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const root = path.resolve(import.meta.dirname, '../..');
// Node itself with tsx's loader (not the tsx binary, which runs Node as a child that a SIGKILL would orphan).
const nodeWithTsx = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;

let child: ChildProcess;
let origin = '';
let cookie = '';
let output = '';

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'out/renderer/chat/index.html'))) throw new Error('run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-frames-'));
  child = spawn(...nodeWithTsx(['electron/browser-host/cli.ts', '--port', '0', '--data-dir', dataDir]), { cwd: root, env: { ...process.env } });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const m = /^Switchboard browser host: (\S+)$/m.exec(output);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`browser host exited early (${code}): ${output}`)));
  });
  origin = new URL(url).origin;
  const entry = await fetch(url, { redirect: 'manual' });
  cookie = entry.headers.get('set-cookie')!.split(';')[0]!;
});

afterAll(() => {
  child?.kill('SIGKILL');
});

/** A window's connection to the host, as the bridge opens it. */
async function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/__switchboard/ws?kind=chat`, { headers: { origin, cookie } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

let nextId = 1;
/** Calls `app:info` over `ws` and resolves with the Result the host answers. */
function appInfo(ws: WebSocket): Promise<{ ok: boolean }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: { ok: boolean } };
      if (msg.type === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.result!);
      }
    };
    ws.on('message', onMessage);
    ws.once('close', () => reject(new Error(`the connection closed; host output: ${output}`)));
    ws.send(JSON.stringify({ type: 'call', id, channel: 'app:info' }));
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('the browser host and a bad WebSocket frame', () => {
  it('drops only the connection that sent a 17 MB frame; another window keeps its answers', async () => {
    const other = await connect();
    expect((await appInfo(other)).ok).toBe(true);
    const bad = await connect();
    bad.on('error', () => undefined);
    const badClosed = closed(bad);
    bad.send(Buffer.alloc(17 * 1024 * 1024, 0x61), { binary: false });
    expect(await badClosed).toBe(1009);
    expect((await appInfo(other)).ok).toBe(true);
    expect(child.exitCode).toBeNull();
    other.close();
  });

  it('drops only the connection that sent text that is not UTF-8; another window keeps its answers', async () => {
    const other = await connect();
    const bad = await connect();
    bad.on('error', () => undefined);
    const badClosed = closed(bad);
    bad.send(Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), { binary: false });
    expect(await badClosed).toBe(1007);
    expect((await appInfo(other)).ok).toBe(true);
    // A window that connects afterwards is served too.
    const later = await connect();
    expect((await appInfo(later)).ok).toBe(true);
    expect(child.exitCode).toBeNull();
    other.close();
    later.close();
  });
});
