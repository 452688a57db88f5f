/**
 * App-wide guards from the Electron security checklist, applied to every WebContents ever created:
 * no navigation away from our pages, no new windows (https links go to the system browser instead),
 * no <webview>, every permission request (camera, notifications, …) denied but clipboard writes from our
 * own pages, and the right-click menu. Every decision is an Electron-free function in ../shell/.
 */
import { app, clipboard, Menu, session, type ContextMenuParams, type WebContents } from 'electron';
import { buildContextMenu, spellcheckEnabled } from '../shell/context-menu';
import { mayNavigate, mayUsePermission, windowOpenDecision } from '../shell/own-pages';
import type { ShellText } from '../shell/shell-text';
import { devServerOrigin } from './window-factory';

export interface AppGuardDeps {
  openInBrowser(url: string): Promise<void>;
  /** The shell's sentences in the UI's current language. */
  text(): ShellText;
}

function showContextMenu(contents: WebContents, params: ContextMenuParams, text: ShellText): void {
  const template = buildContextMenu(params, text, {
    copyText: (value) => clipboard.writeText(value),
    copyImageAt: () => contents.copyImageAt(params.x, params.y),
    replaceMisspelling: (word) => contents.replaceMisspelling(word),
    addToDictionary: (word) => void contents.session.addWordToSpellCheckerDictionary(word),
  });
  if (template.length > 0) Menu.buildFromTemplate(template).popup();
}

export function installAppGuards(deps: AppGuardDeps): void {
  const dev = devServerOrigin();
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const { openInBrowser } = windowOpenDecision(url);
      if (openInBrowser) void deps.openInBrowser(openInBrowser);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      // A reload of our own page (the error screen's Reload) is fine; anything else is not.
      if (!mayNavigate(url, dev)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!mayNavigate(url, dev)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('context-menu', (_event, params) => showContextMenu(contents, params, deps.text()));
  });

  app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(mayUsePermission(permission, details.requestingUrl, dev)),
    );
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => mayUsePermission(permission, requestingOrigin, dev));
    ses.setDevicePermissionHandler(() => false);
    // No dictionary downloads the user did not ask for (see spellcheckEnabled).
    if (!spellcheckEnabled(process.platform)) ses.setSpellCheckerEnabled(false);
  });
}
