/**
 * The Chat window and the single Settings window. Keeps the set of our WebContents ids, which the IPC
 * binding uses to trust a sender, remembers each window's size and position, asks before a window with
 * unsaved changes closes, holds commands until a window is ready for them, shows a window whose page
 * failed (with Reload) instead of leaving it hidden, and implements the AppShell the services use.
 */
import { app, BrowserWindow, dialog, screen, shell, type WebContents } from 'electron';
import fs from 'node:fs/promises';
import type { EventPayloads } from '../../../shared/ipc/contract';
import type { AppShell, SaveFileRequest } from '../app-shell';
import { saveThroughDialog } from '../shell/save-file';
import type { Logger } from '../logger';
import { WindowCommandQueue } from '../shell/command-queue';
import { describeWindowFailure, type WindowFailure } from '../shell/load-failure';
import type { ShellText } from '../shell/shell-text';
import { createSecureWindow, windowUrl, type WindowKind } from './window-factory';
import { restoreBounds, type WindowStateFile } from './window-state';

export type AppCommand = EventPayloads['app:command']['command'];

export interface AppWindowsDeps {
  state: WindowStateFile;
  /** The shell's sentences in the UI's current language. */
  text(): ShellText;
  log(): Logger;
  /** True once the quit is certain (a renderer exiting then is expected). */
  quitting(): boolean;
}

const DEFAULTS: Record<WindowKind, { width: number; height: number; minWidth: number; minHeight: number; title: string }> = {
  chat: { width: 1100, height: 760, minWidth: 640, minHeight: 420, title: 'Switchboard' },
  settings: { width: 900, height: 680, minWidth: 640, minHeight: 480, title: 'Switchboard Settings' },
};

export class AppWindows implements AppShell {
  private readonly open = new Map<WindowKind, BrowserWindow>();
  private readonly kinds = new Map<number, WindowKind>();

  private readonly commands = new WindowCommandQueue<AppCommand>((id, command) => {
    const wc = this.webContents(id);
    if (!wc) return false;
    wc.send('app:command', { command });
    return true;
  });

  constructor(private readonly deps: AppWindowsDeps) {}

  /** The window kind for a WebContents id, or undefined when it is not one of ours. */
  kindOf(webContentsId: number): WindowKind | undefined {
    return this.kinds.get(webContentsId);
  }

  webContents(id: number): WebContents | undefined {
    return this.allWebContents().find((wc) => wc.id === id);
  }

  allWebContents(): WebContents[] {
    return BrowserWindow.getAllWindows()
      .map((w) => w.webContents)
      .filter((wc) => this.kinds.has(wc.id) && !wc.isDestroyed());
  }

  private show(kind: WindowKind): BrowserWindow {
    const existing = this.open.get(kind);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return existing;
    }
    const d = DEFAULTS[kind];
    const saved = this.deps.state.get(kind);
    const bounds = restoreBounds(
      saved?.bounds,
      screen.getAllDisplays().map((s) => s.workArea),
      { width: d.minWidth, height: d.minHeight },
    );
    const win = createSecureWindow(kind, { width: d.width, height: d.height, minWidth: d.minWidth, minHeight: d.minHeight, title: d.title, ...bounds });
    if (saved?.maximized) win.once('ready-to-show', () => win.maximize());
    const id = win.webContents.id;
    this.kinds.set(id, kind);
    this.open.set(kind, win);

    const remember = () => {
      if (win.isDestroyed() || win.isMinimized()) return;
      this.deps.state.set(kind, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    };
    win.on('resize', remember);
    win.on('move', remember);
    win.on('close', remember);

    // The renderer cancels unload (beforeunload) while a form has unsaved changes; Electron would then refuse
    // to close silently, so ask the user here.
    win.webContents.on('will-prevent-unload', (event) => {
      const text = this.deps.text();
      const choice = dialog.showMessageBoxSync(win, {
        type: 'question',
        buttons: [text.leave, text.stay],
        defaultId: 1,
        cancelId: 1,
        title: text.unsavedTitle,
        message: text.unsavedMessage,
      });
      if (choice === 0) event.preventDefault();
    });

    // A new document (first load, reload) must say it is ready before it gets commands.
    win.webContents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) this.commands.markLoading(id);
    });
    win.webContents.on('did-fail-load', (_event, errorCode, errorDescription, url, isMainFrame) =>
      this.failed(win, kind, { type: 'load', errorCode, errorDescription, url, isMainFrame }),
    );
    win.webContents.on('render-process-gone', (_event, details) =>
      this.failed(win, kind, { type: 'gone', reason: details.reason, exitCode: details.exitCode }),
    );

    win.on('closed', () => {
      this.kinds.delete(id);
      this.commands.forget(id);
      if (this.open.get(kind) === win) this.open.delete(kind);
    });
    return win;
  }

  /** The page failed or its renderer died: log it, show the window (it may never have been shown) and offer Reload. */
  private failed(win: BrowserWindow, kind: WindowKind, failure: WindowFailure): void {
    const text = this.deps.text();
    const report = describeWindowFailure(failure, kind, text, this.deps.quitting());
    if (!report || win.isDestroyed()) return;
    this.deps.log().error('window', report.log);
    this.commands.markLoading(win.webContents.id);
    if (!win.isVisible()) win.show();
    void dialog
      .showMessageBox(win, {
        type: 'error',
        title: text.loadFailedTitle,
        message: report.message,
        detail: text.loadFailedDetail,
        buttons: [text.reload, text.closeWindow],
        defaultId: 0,
        cancelId: 1,
      })
      .then(({ response }) => {
        if (win.isDestroyed()) return;
        if (response === 0) win.loadURL(windowUrl(kind)).catch(() => undefined);
        else win.close();
      });
  }

  /** Sends a command to the Chat window (opening it if needed) once its page is ready for it. */
  sendToChat(command: AppCommand): void {
    this.commands.send(this.showChat().webContents.id, command);
  }

  /** AppShell: an export, saved where the user chooses through a save dialog on the asking window. */
  saveFile(windowId: number, file: SaveFileRequest): Promise<{ saved: true; fileName: string } | { saved: false }> {
    const wc = this.webContents(windowId);
    const owner = wc ? BrowserWindow.fromWebContents(wc) : null;
    return saveThroughDialog(file, {
      defaultDir: app.getPath('downloads'),
      showSaveDialog: (options) => (owner ? dialog.showSaveDialog(owner, options) : dialog.showSaveDialog(options)),
      write: (target, data) => fs.writeFile(target, data),
    });
  }

  /** AppShell: the page in this window subscribed to commands. */
  windowReady(windowId: number): void {
    if (this.kinds.has(windowId)) this.commands.markReady(windowId);
  }

  showChat(): BrowserWindow {
    return this.show('chat');
  }

  showSettings(): BrowserWindow {
    return this.show('settings');
  }

  /** The chat window, if open (menu commands go there). */
  chatWebContents(): WebContents | undefined {
    const win = this.open.get('chat');
    return win && !win.isDestroyed() ? win.webContents : undefined;
  }

  openSettings(): void {
    this.showSettings();
  }

  openChat(): void {
    this.showChat();
  }

  /** The one place a link leaves the app. Callers pass only URLs that checkExternalUrl accepted (https). */
  async openInBrowser(url: string): Promise<void> {
    if (new URL(url).protocol !== 'https:') return;
    await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK -- https only, checked on the line above
  }

  flushState(): void {
    this.deps.state.flush();
  }
}
