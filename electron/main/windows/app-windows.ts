/**
 * The Chat window and the single Settings window. Keeps the set of our WebContents ids, which the IPC
 * binding uses to trust a sender, remembers each window's size and position, asks before a window with
 * unsaved changes closes, and implements the AppShell the services use.
 */
import { BrowserWindow, dialog, screen, shell, type WebContents } from 'electron';
import type { AppShell } from '../app-shell';
import { createSecureWindow, type WindowKind } from './window-factory';
import { restoreBounds, type WindowStateFile } from './window-state';

const DEFAULTS: Record<WindowKind, { width: number; height: number; minWidth: number; minHeight: number; title: string }> = {
  chat: { width: 1100, height: 760, minWidth: 640, minHeight: 420, title: 'Switchboard' },
  settings: { width: 900, height: 680, minWidth: 640, minHeight: 480, title: 'Switchboard Settings' },
};

export class AppWindows implements AppShell {
  private readonly open = new Map<WindowKind, BrowserWindow>();
  private readonly kinds = new Map<number, WindowKind>();

  constructor(private readonly state: WindowStateFile) {}

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
    const saved = this.state.get(kind);
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
      this.state.set(kind, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    };
    win.on('resize', remember);
    win.on('move', remember);
    win.on('close', remember);

    // The renderer cancels unload (beforeunload) while a form has unsaved changes; Electron would then refuse
    // to close silently, so ask the user here.
    win.webContents.on('will-prevent-unload', (event) => {
      const choice = dialog.showMessageBoxSync(win, {
        type: 'question',
        buttons: ['Leave', 'Stay'],
        defaultId: 1,
        cancelId: 1,
        title: 'Unsaved changes',
        message: 'You have unsaved changes. Leave without saving?',
      });
      if (choice === 0) event.preventDefault();
    });

    win.on('closed', () => {
      this.kinds.delete(id);
      if (this.open.get(kind) === win) this.open.delete(kind);
    });
    return win;
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
    this.state.flush();
  }
}
