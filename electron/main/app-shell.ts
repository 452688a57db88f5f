/**
 * What the services need from the desktop shell, implemented by Electron in the app (windows.ts) and by
 * the browser host for end-to-end tests. Services never import `electron` themselves.
 */
export interface AppShell {
  /** Opens the Settings window, or focuses it: there is only one. */
  openSettings(fromWindowId: number): void;
  /** Shows the Chat window (from Settings when there is none, e.g. after it was closed). */
  openChat(fromWindowId: number): void;
  /** Opens an https URL in the system browser. The caller has validated the URL. */
  openInBrowser(url: string): Promise<void>;
  /** The page in this window subscribed to `app:command`: commands held for it can be delivered now. */
  windowReady(windowId: number): void;
}
