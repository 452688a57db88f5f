import { describe, expect, it } from 'vitest';
import {
  isOwnPage,
  isTrustedSender,
  mayNavigate,
  mayUsePermission,
  windowOpenDecision,
} from '../../../../electron/main/shell/own-pages';

const DEV = 'http://localhost:5173';

describe('isOwnPage', () => {
  it('documents why origins cannot be compared: Node gives app:// URLs the opaque origin "null"', () => {
    expect(new URL('app://switchboard/chat/index.html').origin).toBe('null');
  });

  // URLs as Electron hands them over: WebFrameMain.url (docs/api/web-frame-main.md), will-navigate's url,
  // the permission request's details.requestingUrl and the check handler's requestingOrigin.
  it.each([
    'app://switchboard/chat/index.html',
    'app://switchboard/settings/index.html',
    'app://switchboard/chat/index.html?conversation=1#m2',
    'app://switchboard/',
    'app://switchboard',
    'APP://SWITCHBOARD/chat/index.html',
  ])('accepts the production page %s', (url) => {
    expect(isOwnPage(url)).toBe(true);
    expect(isOwnPage(url, DEV)).toBe(true);
  });

  it.each([
    'app://switchboard.evil/chat/index.html',
    'app://switchboardx/chat/index.html',
    'app://evil.switchboard/chat/index.html',
    'app://user@switchboard/chat/index.html',
    'app://user:pw@switchboard/chat/index.html',
    'app://switchboard:8080/chat/index.html',
    'https://switchboard/chat/index.html',
    'http://switchboard/chat/index.html',
    'file:///opt/Switchboard/resources/app.asar/out/renderer/chat/index.html',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'javascript:alert(1)',
    'blob:app://switchboard/6d1b0a5e-1b7b-4a0e-9a6c-0c6d4b1f0b7e',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isOwnPage(url)).toBe(false);
    expect(isOwnPage(url, DEV)).toBe(false);
  });

  it('accepts the dev server only in development, and only its exact origin', () => {
    expect(isOwnPage('http://localhost:5173/chat/index.html', DEV)).toBe(true);
    expect(isOwnPage('http://localhost:5173/settings/index.html', DEV)).toBe(true);
    expect(isOwnPage('http://localhost:5173/chat/index.html')).toBe(false);
    expect(isOwnPage('http://localhost:5174/chat/index.html', DEV)).toBe(false);
    expect(isOwnPage('https://localhost:5173/chat/index.html', DEV)).toBe(false);
    expect(isOwnPage('http://127.0.0.1:5173/chat/index.html', DEV)).toBe(false);
    expect(isOwnPage('http://localhost.evil:5173/', DEV)).toBe(false);
    expect(isOwnPage('ws://localhost:5173/', DEV)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const page = 'app://switchboard/chat/index.html';
  it('trusts the main frame of one of our windows on one of our pages', () => {
    expect(isTrustedSender({ windowKind: 'chat', frame: { url: page, isMainFrame: true } })).toBe(true);
    expect(isTrustedSender({ windowKind: 'settings', frame: { url: 'app://switchboard/settings/index.html', isMainFrame: true } })).toBe(true);
  });
  it('refuses another WebContents, a subframe, a gone frame and a foreign page', () => {
    expect(isTrustedSender({ windowKind: undefined, frame: { url: page, isMainFrame: true } })).toBe(false);
    expect(isTrustedSender({ windowKind: 'chat', frame: { url: page, isMainFrame: false } })).toBe(false);
    expect(isTrustedSender({ windowKind: 'chat', frame: null })).toBe(false);
    expect(isTrustedSender({ windowKind: 'chat', frame: { url: 'https://example.com/', isMainFrame: true } })).toBe(false);
    expect(isTrustedSender({ windowKind: 'chat', frame: { url: 'app://switchboard.evil/', isMainFrame: true } })).toBe(false);
  });
});

describe('navigation, permissions and window.open', () => {
  it("lets our pages reload and move between our pages, nothing else", () => {
    expect(mayNavigate('app://switchboard/chat/index.html')).toBe(true);
    expect(mayNavigate('app://switchboard/settings/index.html')).toBe(true);
    expect(mayNavigate('https://example.com/')).toBe(false);
    expect(mayNavigate('file:///etc/passwd')).toBe(false);
  });

  it('allows only clipboard writes, only from our pages', () => {
    expect(mayUsePermission('clipboard-sanitized-write', 'app://switchboard/chat/index.html')).toBe(true);
    // The check handler passes an origin.
    expect(mayUsePermission('clipboard-sanitized-write', 'app://switchboard')).toBe(true);
    expect(mayUsePermission('clipboard-sanitized-write', 'app://switchboard/')).toBe(true);
    expect(mayUsePermission('clipboard-sanitized-write', 'https://example.com')).toBe(false);
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fullscreen']) {
      expect(mayUsePermission(p, 'app://switchboard/chat/index.html')).toBe(false);
    }
  });

  it('sends only https links to the system browser', () => {
    expect(windowOpenDecision('https://example.com/a?b=1')).toEqual({ openInBrowser: 'https://example.com/a?b=1' });
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'app://switchboard/chat/index.html', 'javascript:alert(1)', '']) {
      expect(windowOpenDecision(url)).toEqual({ openInBrowser: null });
    }
  });
});
