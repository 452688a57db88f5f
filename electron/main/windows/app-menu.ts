/**
 * The native app menu: the usual roles (Edit, View, Window, Help) plus New Chat, Settings… and About with the
 * version. Accelerators use `CmdOrCtrl`, which Electron maps to Cmd on macOS and Ctrl elsewhere; the macOS
 * app menu follows its conventions (Settings… and About under the app name).
 *
 * `buildMenuTemplate` is pure (type-only Electron import) so its shape is unit-tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newChat(): void;
  openSettings(): void;
  showAbout(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  version: string;
  /** DevTools entries only in development or with SWITCHBOARD_DEVTOOLS=1. */
  devTools: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = o.platform === 'darwin';
  const newChat: MenuItemConstructorOptions = { id: 'new-chat', label: 'New Chat', accelerator: 'CmdOrCtrl+N', click: () => o.actions.newChat() };
  const settings: MenuItemConstructorOptions = {
    id: 'settings',
    label: isMac ? 'Settings…' : 'Settings…',
    accelerator: 'CmdOrCtrl+,',
    click: () => o.actions.openSettings(),
  };
  const about: MenuItemConstructorOptions = {
    id: 'about',
    label: `About ${o.appName} ${o.version}`,
    click: () => o.actions.showAbout(),
  };

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: o.appName,
      submenu: [about, { type: 'separator' }, settings, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push({
    label: 'File',
    submenu: isMac ? [newChat, { type: 'separator' }, { role: 'close' }] : [newChat, { type: 'separator' }, settings, { type: 'separator' }, { role: 'quit' }],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(o.devTools ? ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  template.push({ role: 'help', submenu: isMac ? [] : [about] });
  return template;
}
