/**
 * The one place BrowserWindows are created. webPreferences are locked here (Electron security checklist):
 * context isolation, sandbox, no Node integration, web security on, no remote content, no webview.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN } from './app-protocol';

const here = path.dirname(fileURLToPath(import.meta.url));

export type WindowKind = 'chat' | 'settings';

export function preloadPath(): string {
  return path.join(here, '../preload/index.cjs');
}

/** Dev server in `electron-vite dev`; the packaged files through our app:// protocol otherwise. */
export function windowUrl(kind: WindowKind): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer && !process.env.SWITCHBOARD_PRODUCTION) return `${devServer}/${kind}/index.html`;
  return `${APP_ORIGIN}/${kind}/index.html`;
}

/** Origins our windows may load from; the IPC binding checks the sender frame against these. */
export function trustedOrigins(): string[] {
  const origins = [APP_ORIGIN];
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer && !process.env.SWITCHBOARD_PRODUCTION) origins.push(new URL(devServer).origin);
  return origins;
}

export function createSecureWindow(kind: WindowKind, options: BrowserWindowConstructorOptions = {}): BrowserWindow {
  const win = new BrowserWindow({
    show: false,
    backgroundColor: '#16181d',
    ...options,
    webPreferences: {
      preload: preloadPath(), // eng-disable PRELOAD_JS_CHECK -- sandboxed preload exposing named functions only
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      // Middle-click must not open links in new Electron windows.
      disableBlinkFeatures: 'Auxclick',
      devTools: !process.env.SWITCHBOARD_PRODUCTION || process.env.SWITCHBOARD_DEVTOOLS === '1',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(windowUrl(kind));
  return win;
}
