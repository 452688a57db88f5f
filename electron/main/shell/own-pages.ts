/**
 * "Is this one of our pages?": the one answer behind the IPC sender check, navigation, redirects and the
 * permission handlers. Electron-free, so it is unit-tested with the exact strings Electron hands over.
 *
 * Why not `new URL(url).origin`: `app:` is not one of WHATWG's special schemes, so in Node (the main
 * process) `new URL('app://switchboard/chat/index.html').origin` is the string "null", although Chromium,
 * which registered `app` as a standard scheme, gives the frame the origin `app://switchboard`. Comparing
 * origins therefore refused every call from a production window. We compare scheme and host ourselves.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for `app://switchboard/…` (production windows; also the bare origin `app://switchboard` or
 * `app://switchboard/` as permission handlers pass it) and, in `electron-vite dev` only, for pages of the dev
 * server's exact origin. Lookalikes (`app://switchboard.evil`, `app://switchboardx`, `app://user@switchboard`,
 * `app://switchboard:1`, `https://switchboard`, `file:`, `data:`, `about:blank`, '') are not ours.
 */
export function isOwnPage(url: string, devServerOrigin: string | null = null): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === `${APP_SCHEME}:`) {
    return u.hostname.toLowerCase() === APP_HOST && u.port === '' && u.username === '' && u.password === '';
  }
  if (devServerOrigin === null) return false;
  const dev = parse(devServerOrigin);
  // The dev server is http(s), a special scheme, so `origin` is a real tuple origin here.
  return dev !== null && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin;
}

/** What the IPC binding knows about a call (IpcMainInvokeEvent, docs/api/structures/ipc-main-invoke-event.md). */
export interface SenderFacts {
  /** Our window kind for `event.sender.id`, undefined when the WebContents is not one of our windows. */
  windowKind: 'chat' | 'settings' | undefined;
  /** `event.senderFrame` is null once that frame navigated away or was destroyed (docs/api/web-frame-main.md). */
  frame: { url: string; isMainFrame: boolean } | null;
}

/** A call is trusted only from the main frame of one of our windows showing one of our pages. */
export function isTrustedSender(facts: SenderFacts, devServerOrigin: string | null = null): boolean {
  return (
    facts.windowKind !== undefined &&
    facts.frame !== null &&
    facts.frame.isMainFrame &&
    isOwnPage(facts.frame.url, devServerOrigin)
  );
}

/** `will-navigate` / `will-redirect`: our pages may reload and move between our pages; nothing else. */
export function mayNavigate(url: string, devServerOrigin: string | null = null): boolean {
  return isOwnPage(url, devServerOrigin);
}

/**
 * The permission request and check handlers (docs/api/session.md, setPermissionRequestHandler /
 * setPermissionCheckHandler): everything is denied except writing to the clipboard from our own pages
 * (the copy buttons). `requestingUrl` is the page URL or, for checks, its origin.
 */
export function mayUsePermission(permission: string, requestingUrl: string, devServerOrigin: string | null = null): boolean {
  return permission === 'clipboard-sanitized-write' && isOwnPage(requestingUrl, devServerOrigin);
}

/** `setWindowOpenHandler`: never a new Electron window; an https link goes to the system browser. */
export function windowOpenDecision(url: string): { openInBrowser: string | null } {
  const u = parse(url);
  return { openInBrowser: u && u.protocol === 'https:' ? u.toString() : null };
}
