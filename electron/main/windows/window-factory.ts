/**
 * The one place BrowserWindows are created. webPreferences are locked here (Electron security checklist):
 * context isolation, sandbox, no Node integration, web security on, no remote content, no webview.
 */
import { app, BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN } from '../shell/own-pages';
import { spellcheckEnabled } from '../shell/context-menu';

const here = path.dirname(fileURLToPath(import.meta.url));

export type WindowKind = 'chat' | 'settings';

export function preloadPath(): string {
  return path.join(here, '../preload/index.cjs');
}

/**
 * The Vite dev server only in `electron-vite dev` of an unpackaged app; a packaged (production) build always
 * loads its own files through app://, whatever the environment says.
 */
function devServerUrl(): string | null {
  const url = process.env.ELECTRON_RENDERER_URL;
  return url && !app.isPackaged && !process.env.SWITCHBOARD_PRODUCTION ? url : null;
}

/** DevTools only in development, or in a production build when SWITCHBOARD_DEVTOOLS=1 is set. */
export function devToolsEnabled(): boolean {
  return devServerUrl() !== null || process.env.SWITCHBOARD_DEVTOOLS === '1';
}

export function windowUrl(kind: WindowKind): string {
  const devServer = devServerUrl();
  return devServer ? `${devServer}/${kind}/index.html` : `${APP_ORIGIN}/${kind}/index.html`;
}

/** The dev server's origin in `electron-vite dev`, else null: the only pages besides app://switchboard that are ours. */
export function devServerOrigin(): string | null {
  const devServer = devServerUrl();
  return devServer ? new URL(devServer).origin : null;
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
      // Off where Chromium would download Hunspell dictionaries from Google (see shell/context-menu.ts).
      spellcheck: spellcheckEnabled(process.platform),
      // Middle-click must not open links in new Electron windows.
      disableBlinkFeatures: 'Auxclick',
      devTools: devToolsEnabled(),
    },
  });
  win.once('ready-to-show', () => win.show());
  // A failed load is reported through 'did-fail-load' (AppWindows shows the window and offers Reload).
  win.loadURL(windowUrl(kind)).catch(() => undefined);
  return win;
}
