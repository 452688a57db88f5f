/**
 * App-wide guards from the Electron security checklist, applied to every WebContents ever created:
 * no navigation away from our pages, no new windows (https links go to the system browser instead),
 * no <webview>, and every permission request (camera, notifications, …) denied but clipboard writes from
 * our own pages.
 */
import { app, session, type WebContents } from 'electron';
import { trustedOrigins } from './window-factory';

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

function isOwnPage(url: string): boolean {
  try {
    return trustedOrigins().includes(new URL(url).origin);
  } catch {
    return false;
  }
}

export function installAppGuards(openInBrowser: (url: string) => Promise<void>): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isHttps(url)) void openInBrowser(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      // A reload of our own page is fine; anything else is not.
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(() => {
    const ses = session.defaultSession;
    // Everything is denied except writing to the clipboard from our own pages (the copy buttons).
    ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(permission === 'clipboard-sanitized-write' && isOwnPage(details.requestingUrl)),
    );
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
      permission === 'clipboard-sanitized-write' && isOwnPage(requestingOrigin),
    );
    ses.setDevicePermissionHandler(() => false);
  });
}
