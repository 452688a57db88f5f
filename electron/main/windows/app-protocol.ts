/**
 * Serves the built renderer from `app://switchboard/…` instead of file://, so the CSP's 'self' means our
 * files only and no window can read arbitrary local files. Paths are resolved inside the renderer
 * directory; anything that escapes it, another host, or anything that is not a file is refused.
 */
import { net, protocol } from 'electron';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME } from '../shell/own-pages';
import { resolveAppPath } from '../shell/app-path';

/** Must run before the app is ready (docs/api/protocol.md, registerSchemesAsPrivileged). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(rendererDir, request.url);
    const stat = file ? await fs.promises.stat(file).catch(() => null) : null;
    if (!file || !stat?.isFile()) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}
