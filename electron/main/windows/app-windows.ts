/**
 * The Chat window and the single Settings window. Keeps the set of our WebContents ids, which the IPC
 * binding uses to trust a sender, and implements the AppShell the services use.
 */
import { BrowserWindow, shell, type WebContents } from 'electron';
import type { AppShell } from '../app-shell';
import { createSecureWindow, type WindowKind } from './window-factory';

export class AppWindows implements AppShell {
  private chat: BrowserWindow | null = null;
  private settings: BrowserWindow | null = null;
  private readonly kinds = new Map<number, WindowKind>();

  /** The window kind for a WebContents id, or undefined when it is not one of ours. */
  kindOf(webContentsId: number): WindowKind | undefined {
    return this.kinds.get(webContentsId);
  }

  webContents(id: number): WebContents | undefined {
    return BrowserWindow.getAllWindows()
      .map((w) => w.webContents)
      .find((wc) => wc.id === id && this.kinds.has(id) && !wc.isDestroyed());
  }

  allWebContents(): WebContents[] {
    return BrowserWindow.getAllWindows()
      .map((w) => w.webContents)
      .filter((wc) => this.kinds.has(wc.id) && !wc.isDestroyed());
  }

  private track(kind: WindowKind, win: BrowserWindow): BrowserWindow {
    const id = win.webContents.id;
    this.kinds.set(id, kind);
    win.on('closed', () => {
      this.kinds.delete(id);
      if (kind === 'chat') this.chat = null;
      else this.settings = null;
    });
    return win;
  }

  showChat(): BrowserWindow {
    if (this.chat && !this.chat.isDestroyed()) {
      if (this.chat.isMinimized()) this.chat.restore();
      this.chat.focus();
      return this.chat;
    }
    this.chat = this.track(
      'chat',
      createSecureWindow('chat', { width: 1100, height: 760, minWidth: 640, minHeight: 420, title: 'Switchboard' }),
    );
    return this.chat;
  }

  showSettings(): BrowserWindow {
    if (this.settings && !this.settings.isDestroyed()) {
      if (this.settings.isMinimized()) this.settings.restore();
      this.settings.focus();
      return this.settings;
    }
    this.settings = this.track(
      'settings',
      createSecureWindow('settings', {
        width: 900,
        height: 680,
        minWidth: 640,
        minHeight: 480,
        title: 'Switchboard Settings',
      }),
    );
    return this.settings;
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
}
