import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from '../../../../electron/main/shell/app-path';

const root = path.resolve('/opt/app/out/renderer');

describe('resolveAppPath (protocol.handle request.url → a file of the built renderer)', () => {
  it('maps our URLs inside the renderer directory', () => {
    expect(resolveAppPath(root, 'app://switchboard/chat/index.html')).toBe(path.join(root, 'chat/index.html'));
    expect(resolveAppPath(root, 'app://switchboard/assets/chat-abc.js?v=1')).toBe(path.join(root, 'assets/chat-abc.js'));
    expect(resolveAppPath(root, 'app://switchboard/a%20b.svg')).toBe(path.join(root, 'a b.svg'));
  });

  it('keeps dot segments inside the directory (the URL parser resolves them, as Chromium does)', () => {
    expect(resolveAppPath(root, 'app://switchboard/../../etc/passwd')).toBe(path.join(root, 'etc/passwd'));
    expect(resolveAppPath(root, 'app://switchboard/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc/passwd'));
  });

  it.each([
    'app://switchboard/chat/..%2f..%2f..%2fetc%2fpasswd',
    'app://switchboard/..%5c..%5cwindows%5cwin.ini',
    'app://switchboard/%E0%A4%A',
    'app://switchboard/chat%00.html',
    'app://switchboard.evil/chat/index.html',
    'app://other/chat/index.html',
    'app://switchboard:1/chat/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });
});
