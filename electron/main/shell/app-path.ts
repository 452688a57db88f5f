/**
 * Maps an `app://switchboard/…` request URL (as Chromium canonicalised it) to a file inside the built
 * renderer directory, or null: another host, a path that escapes the directory (`..`, encoded `%2e%2e`,
 * encoded separators), or a malformed escape.
 */
import path from 'node:path';
import { APP_HOST } from './own-pages';

export function resolveAppPath(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  let relative: string;
  try {
    url = new URL(requestUrl);
    relative = decodeURIComponent(url.pathname).replace(/^[/\\]+/, '');
  } catch {
    return null;
  }
  if (url.hostname.toLowerCase() !== APP_HOST || url.port !== '' || url.username !== '') return null;
  // Our files have plain names: no NUL, no backslash (a separator on Windows), no `..` segment.
  if (/[\0\\]/.test(relative) || relative.split('/').includes('..')) return null;
  const root = path.resolve(rendererDir);
  const resolved = path.resolve(root, relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}
