/**
 * The composition root of the Electron app: app guards, the single-instance lock, the app:// protocol,
 * services built with Electron's pieces (net.fetch, electron-store, the keychain), the IPC binding and
 * the windows. Everything else lives in Electron-free services (see services.ts).
 */
import { app, dialog, Menu } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveLanguage } from '../../shared/models/preferences';
import { electronFetch } from './electron/net-fetch';
import { createDispatcher } from './ipc/dispatcher';
import { bindIpc, createElectronEventSink } from './ipc/electron-binding';
import { createConsoleLogger } from './logger';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { createServices, type Services } from './services';
import { createQuitSequence } from './shell/quit-sequence';
import { sandboxNotice } from './shell/sandbox-notice';
import { shellText } from './shell/shell-text';
import { installAppGuards } from './windows/app-guards';
import { handleAppProtocol, registerAppScheme } from './windows/app-protocol';
import { buildMenuTemplate } from './windows/app-menu';
import { AppWindows } from './windows/app-windows';
import { devToolsEnabled } from './windows/window-factory';
import { WindowStateFile } from './windows/window-state';

const here = path.dirname(fileURLToPath(import.meta.url));

// Tests (and portable set-ups) point all app data at a directory of their choosing.
if (process.env.SWITCHBOARD_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.SWITCHBOARD_USER_DATA_DIR));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  const log = createConsoleLogger(app.isPackaged ? 'warn' : 'info');
  let services: Services | null = null;
  // Native dialogs and the right-click menu follow the language chosen in Settings (English until ready).
  const text = () =>
    shellText(services ? resolveLanguage(services.config.getPreferences().language, systemLocale()) : 'en');
  const quit = createQuitSequence({
    flushState: () => windows.flushState(),
    dispose: () => services?.dispose() ?? Promise.resolve(),
    quit: () => app.quit(),
    onError: (error) => log.error('app', 'shutting down the services failed', error),
  });
  const windows = new AppWindows({
    state: new WindowStateFile(path.join(app.getPath('userData'), 'window-state.json')),
    text,
    log: () => log,
    quitting: () => quit.state !== 'running',
  });
  installAppGuards({ openInBrowser: (url) => windows.openInBrowser(url), text });

  app.on('second-instance', () => windows.showChat());

  app.whenReady().then(() => {
    handleAppProtocol(path.join(here, '../renderer'));
    const events = createElectronEventSink(windows);
    services = createServices({
      dataDir: app.getPath('userData'),
      // net.fetch applies the system proxy settings and certificate store (manual redirects: electron/net-fetch.ts).
      fetch: electronFetch,
      secretStore: new KeytarSecretStore(),
      createStore: ({ cwd, name }) => new ElectronStore({ cwd, name, clearInvalidConfig: false }),
      events,
      shell: windows,
      info: {
        name: 'Switchboard',
        version: app.getVersion(),
        platform: process.platform,
        systemLocale: systemLocale(),
        runtime: 'electron',
      },
      log,
      startupNotices: [
        sandboxNotice({ platform: process.platform, noSandbox: app.commandLine.hasSwitch('no-sandbox'), appImage: process.env.APPIMAGE }),
      ].filter((n) => n !== null),
    });
    bindIpc(createDispatcher(services.handlers, log), windows);

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          appName: 'Switchboard',
          version: app.getVersion(),
          devTools: devToolsEnabled(),
          actions: {
            // Held until the Chat window's page listens, so a window that is just opening gets it too.
            newChat: () => windows.sendToChat('new-chat'),
            openSettings: () => windows.showSettings(),
            showAbout: () =>
              void dialog.showMessageBox({
                type: 'info',
                title: 'About Switchboard',
                message: `Switchboard ${app.getVersion()}`,
                detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
              }),
          },
        }),
      ),
    );
    windows.showChat();

    app.on('activate', () => windows.showChat());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Services are disposed only once the quit is certain (will-quit): a window's beforeunload can still
  // cancel it after before-quit, and chat must then go on working (shell/quit-sequence.ts).
  app.on('before-quit', (event) => quit.beforeQuit(event));
  app.on('will-quit', (event) => quit.willQuit(event));
}

function systemLocale(): string {
  return app.getPreferredSystemLanguages()[0] ?? app.getLocale();
}
