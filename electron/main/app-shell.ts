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
  /**
   * Asks where to save a file (a save dialog on this window) and writes it there. Absent where the shell
   * cannot write where the user chooses (the browser host): the window then downloads the bytes itself.
   */
  saveFile?(windowId: number, file: SaveFileRequest): Promise<{ saved: true; fileName: string } | { saved: false }>;
}

export interface SaveFileRequest {
  /** The name the dialog proposes (no directory). */
  defaultName: string;
  data: Uint8Array;
  filter: { name: string; extensions: string[] };
}
