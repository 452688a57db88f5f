/**
 * The composition root of the Electron app: app guards, the single-instance lock, the app:// protocol,
 * services built with Electron's pieces (net.fetch, electron-store, the keychain), the IPC binding and
 * the windows. Everything else lives in Electron-free services (see services.ts).
 */
import { app, dialog, Menu, net } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from './ipc/dispatcher';
import { bindIpc, createElectronEventSink } from './ipc/electron-binding';
import { createConsoleLogger } from './logger';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import { createServices, type Services } from './services';
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
  const windows = new AppWindows(new WindowStateFile(path.join(app.getPath('userData'), 'window-state.json')));
  installAppGuards((url) => windows.openInBrowser(url));
  let services: Services | null = null;

  app.on('second-instance', () => windows.showChat());

  app.whenReady().then(() => {
    handleAppProtocol(path.join(here, '../renderer'));
    const log = createConsoleLogger(app.isPackaged ? 'warn' : 'info');
    const events = createElectronEventSink(windows);
    services = createServices({
      dataDir: app.getPath('userData'),
      // net.fetch applies the system proxy settings and certificate store.
      fetch: ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        net.fetch(input instanceof URL ? input.toString() : input, init)) as typeof fetch,
      secretStore: new KeytarSecretStore(),
      createStore: ({ cwd, name }) => new ElectronStore({ cwd, name, clearInvalidConfig: false }),
      events,
      shell: windows,
      info: {
        name: 'Switchboard',
        version: app.getVersion(),
        platform: process.platform,
        systemLocale: app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
        runtime: 'electron',
      },
      log,
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
            newChat: () => {
              const wasOpen = windows.chatWebContents() !== undefined;
              const chat = windows.showChat();
              const send = () => events.sendTo(chat.webContents.id, 'app:command', { command: 'new-chat' });
              // A window that is just being created receives the command once its page has loaded.
              if (wasOpen && !chat.webContents.isLoading()) send();
              else chat.webContents.once('did-finish-load', send);
            },
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

  let disposing = false;
  app.on('before-quit', (event) => {
    if (!services || disposing) return;
    disposing = true;
    event.preventDefault();
    windows.flushState();
    void services.dispose().finally(() => app.quit());
  });
}
