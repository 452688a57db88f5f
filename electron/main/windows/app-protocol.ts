/**
 * Serves the built renderer from `app://switchboard/…` instead of file://, so the CSP's 'self' means our
 * files only and no window can read arbitrary local files. Paths are resolved inside the renderer
 * directory; anything that escapes it is refused.
 */
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://switchboard`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function resolveAppPath(rendererDir: string, requestUrl: string): string | null {
  const url = new URL(requestUrl);
  if (url.host !== 'switchboard') return null;
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  const resolved = path.resolve(rendererDir, relative);
  if (resolved !== rendererDir && !resolved.startsWith(rendererDir + path.sep)) return null;
  return resolved;
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
