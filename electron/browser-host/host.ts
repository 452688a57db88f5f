/**
 * The browser host: runs the same services and dispatcher as the Electron app in plain Node, serves the
 * built renderer on 127.0.0.1 (Chat at /chat/, Settings at /settings/) and gives each page the same
 * window API over a WebSocket. It exists because the Electron binary cannot be downloaded on our build
 * machines; it is test and development tooling, not a product mode.
 *
 * Security: loopback only; a per-run token, given once in the URL, becomes an HttpOnly SameSite=Strict
 * cookie; the WebSocket requires that cookie and our own Origin, so another site in the same browser
 * cannot drive the app.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNEL_NAMES, EVENT_NAMES, WINDOW_API_GLOBAL } from '../../shared/ipc/channels';
import type { EventName, EventPayloads } from '../../shared/ipc/contract';
import type { AppShell } from '../main/app-shell';
import { createDispatcher, type WindowKind } from '../main/ipc/dispatcher';
import type { EventSink } from '../main/ipc/events';
import { createConsoleLogger, type Logger } from '../main/logger';
import { KeytarSecretStore } from '../main/secrets/keytar-secret-store';
import type { SecretStore } from '../main/secrets/secret-store';
import { createServices, type Services } from '../main/services';
import { createConfStore } from '../main/config/conf-store';

const here = path.dirname(fileURLToPath(import.meta.url));
const COOKIE = 'switchboard_host';
const WS_PATH = '/__switchboard/ws';
const BRIDGE_PATH = '/__switchboard/bridge.js';
/** The largest WebSocket frame the host accepts; the bridge refuses larger calls itself (a typed error). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface BrowserHostOptions {
  /** 0 = any free port. */
  port?: number;
  /** All app data (config, conversations). */
  dataDir: string;
  /** The built renderer (out/renderer). */
  rendererDir?: string;
  fetch?: typeof globalThis.fetch;
  secretStore?: SecretStore;
  log?: Logger;
  systemLocale?: string;
}

export interface BrowserHost {
  /** Base URL with the per-run token: opening it authorises the browser and redirects to the Chat window. */
  url: string;
  origin: string;
  token: string;
  chatUrl: string;
  settingsUrl: string;
  dataDir: string;
  services: Services;
  /** https links the app asked to open in the system browser (the host records them instead). */
  openedExternal: string[];
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

interface HostWindow {
  id: number;
  kind: WindowKind;
  socket: WebSocket;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const rendererDir = path.resolve(options.rendererDir ?? path.join(here, '../../out/renderer'));
  if (!fs.existsSync(path.join(rendererDir, 'chat', 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir}). Run \`npm run build\` first.`);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const token = randomBytes(24).toString('hex');
  const log = options.log ?? createConsoleLogger('warn');
  const windows = new Map<number, HostWindow>();
  let nextWindowId = 1;
  const openedExternal: string[] = [];

  const send = (win: HostWindow, message: unknown) => {
    if (win.socket.readyState === win.socket.OPEN) win.socket.send(JSON.stringify(message));
  };

  const events: EventSink = {
    sendTo<E extends EventName>(windowId: number, event: E, payload: EventPayloads[E]) {
      const win = windows.get(windowId);
      if (!win) return false;
      send(win, { type: 'event', event, payload });
      return true;
    },
    broadcast<E extends EventName>(event: E, payload: EventPayloads[E]) {
      for (const win of windows.values()) send(win, { type: 'event', event, payload });
    },
  };

  // Opening a window is something only the page can do in a browser: the host asks the calling page to
  // open it (a new tab), or focuses the one that is already open (there is only one Settings window).
  const openOrFocus = (kind: WindowKind, fromWindowId: number) => {
    const existing = [...windows.values()].find((w) => w.kind === kind);
    if (existing) {
      send(existing, { type: 'command', command: 'focus' });
      return;
    }
    const caller = windows.get(fromWindowId);
    if (caller) send(caller, { type: 'command', command: 'open-window', url: `/${kind}/`, target: `switchboard-${kind}` });
  };
  const shell: AppShell = {
    openSettings: (from) => openOrFocus('settings', from),
    openChat: (from) => openOrFocus('chat', from),
    async openInBrowser(url) {
      openedExternal.push(url);
      log.info('host', `the app asked to open ${url} in the system browser`);
    },
    // No app menu sends commands here: a page asks the host only for what it does itself.
    windowReady: () => undefined,
  };

  const services = createServices({
    dataDir: options.dataDir,
    fetch: options.fetch ?? globalThis.fetch,
    secretStore: options.secretStore ?? new KeytarSecretStore(),
    createStore: createConfStore,
    events,
    shell,
    info: {
      name: 'Switchboard',
      version: readVersion(),
      platform: process.platform,
      systemLocale: options.systemLocale ?? Intl.DateTimeFormat().resolvedOptions().locale,
      runtime: 'browser',
    },
    log,
  });
  const dispatcher = createDispatcher(services.handlers, log);

  const bridgeSource =
    `const BRIDGE_CONFIG = ${JSON.stringify({ channels: CHANNEL_NAMES, events: EVENT_NAMES, global: WINDOW_API_GLOBAL, wsPath: WS_PATH, maxFrameBytes: MAX_FRAME_BYTES })};\n` +
    fs.readFileSync(path.join(here, 'bridge.js'), 'utf8');

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const queryToken = url.searchParams.get('token');
    const cookieToken = readCookie(req.headers.cookie, COOKIE);
    const authorised =
      (queryToken !== null && safeEqual(queryToken, token)) || (cookieToken !== null && safeEqual(cookieToken, token));
    if (!authorised) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: open the URL the browser host printed (it carries the per-run token).');
      return;
    }
    const headers: Record<string, string> = {
      'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    if (url.pathname === '/' || url.pathname === '') {
      res.writeHead(302, { ...headers, location: '/chat/' });
      res.end();
      return;
    }
    if (url.pathname === BRIDGE_PATH) {
      res.writeHead(200, { ...headers, 'content-type': MIME['.js']! });
      res.end(bridgeSource);
      return;
    }
    let relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (relative === 'chat' || relative === 'settings') {
      res.writeHead(302, { ...headers, location: `/${relative}/` });
      res.end();
      return;
    }
    if (relative.endsWith('/') || relative === '') relative += 'index.html';
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    const ext = path.extname(file);
    let body: Buffer | string = fs.readFileSync(file);
    if (ext === '.html') {
      // The bridge must define window.switchboard before the app's module scripts run.
      body = body.toString('utf8').replace('<head>', `<head>\n    <script src="${BRIDGE_PATH}"></script>`);
    }
    res.writeHead(200, { ...headers, 'content-type': MIME[ext] ?? 'application/octet-stream' });
    res.end(body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  wss.on('error', (error) => log.warn('host', 'the WebSocket server reported an error', error));
  let origin = '';
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cookieToken = readCookie(req.headers.cookie, COOKIE);
    if (url.pathname !== WS_PATH || req.headers.origin !== origin || !cookieToken || !safeEqual(cookieToken, token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    const kind: WindowKind = url.searchParams.get('kind') === 'settings' ? 'settings' : 'chat';
    // A connection reset during the handshake must not end the host either.
    socket.on('error', (error) => log.warn('host', 'a window connection failed during its handshake', error));
    wss.handleUpgrade(req, socket, head, (ws) => {
      const win: HostWindow = { id: nextWindowId++, kind, socket: ws };
      windows.set(win.id, win);
      ws.on('close', () => windows.delete(win.id));
      // A frame over maxPayload or a text frame that is not UTF-8 makes ws emit 'error' (and close with
      // 1009/1007, which ws sends itself); unhandled, that error would end the host and every window
      // with it. Only this connection is dropped.
      ws.on('error', (error) => {
        log.warn('host', `window ${win.id} sent a message the host cannot accept; its connection was closed`, error);
        windows.delete(win.id);
      });
      ws.on('message', (data) => {
        let msg: { type?: unknown; id?: unknown; channel?: unknown; input?: unknown };
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (msg.type !== 'call' || typeof msg.id !== 'number') return;
        const id = msg.id;
        void dispatcher
          .dispatch(msg.channel, msg.input, { windowId: win.id, windowKind: win.kind })
          .then((result) => send(win, { type: 'result', id, result }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    chatUrl: `${origin}/chat/?token=${token}`,
    settingsUrl: `${origin}/settings/?token=${token}`,
    dataDir: options.dataDir,
    services,
    openedExternal,
    async close() {
      await services.dispose();
      for (const win of windows.values()) win.socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(here, '../../package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** A fresh temporary data dir, for when the caller gives none. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-host-'));
}
