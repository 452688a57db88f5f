/**
 * The Electron shell as it really runs: the built composition root (out/main/index.js) in Node, with
 * `electron` resolved to a stand-in that follows Electron's documentation (tests/support/electron-stand-in).
 * Pages are played by the test: IPC calls come with the sender frame Electron would give (url
 * app://switchboard/…, a parent for subframes), loads go through the app's own protocol handler.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startShell, type ShellApp, type StandInWindow } from '../support/electron-stand-in/driver';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server';
import type { Result } from '../../shared/result';

const CHAT_URL = 'app://switchboard/chat/index.html';
const SETTINGS_URL = 'app://switchboard/settings/index.html';

let server: OpenAIServer;
const apps: ShellApp[] = [];

beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const app of apps.splice(0)) app.kill();
});

async function start(env: Record<string, string> = {}): Promise<ShellApp> {
  const app = await startShell(env);
  apps.push(app);
  return app;
}

async function windowAt(app: ShellApp, url: string): Promise<StandInWindow> {
  return app.waitFor(async () => (await app.state()).windows.find((w) => w.url === url), `a window at ${url}`);
}

function ok<T>(result: unknown): T {
  const r = result as Result<T>;
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

interface StreamEvent {
  streamId: string;
  contentDelta?: string;
  replaceContent?: string;
  final?: { status: string };
}

/** Sends a message from the Chat window and reads the `chat:event`s main pushed to that page. */
async function sendAndRead(app: ShellApp, chat: StandInWindow, conversationId: string, text: string) {
  const sent = ok<{ streamId: string }>(await app.invoke(chat.webContentsId, 'chat:send', { conversationId, text }));
  const events = await app.waitFor(async () => {
    const inbox = await app.call<{ channel: string; args: unknown[] }[]>('inbox', { webContentsId: chat.webContentsId });
    const mine = inbox.filter((m) => m.channel === 'chat:event').map((m) => m.args[0] as StreamEvent).filter((e) => e.streamId === sent.streamId);
    return mine.some((e) => e.final) ? mine : null;
  }, 'the reply to finish');
  let content = '';
  for (const e of events) content = e.replaceContent ?? content + (e.contentDelta ?? '');
  return { content, status: events.at(-1)?.final?.status };
}

async function addProviderAndConversation(app: ShellApp, from: StandInWindow): Promise<string> {
  // Keys for this session only: the same on a machine with a keychain and one without (the local server needs none).
  ok(await app.invoke(from.webContentsId, 'providers:setSessionOnlyKeys', { enabled: true }));
  const provider = ok<{ id: string }>(
    await app.invoke(from.webContentsId, 'providers:save', {
      type: 'openai-compatible',
      name: 'Local',
      baseUrl: server.url,
      model: 'gpt-4o-mini',
      assistantId: '',
      customHeaders: [],
      apiKey: { action: 'keep' },
    }),
  );
  const conversation = ok<{ id: string }>(await app.invoke(from.webContentsId, 'conversations:create', { providerId: provider.id }));
  return conversation.id;
}

describe('Electron shell (real composition root, Electron stand-in)', () => {
  it('starts with locked-down windows loaded from app:// and answers IPC from them', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const state = await app.state();
    // registerSchemesAsPrivileged ran before ready (the stand-in throws otherwise).
    expect(state.privilegedSchemes.app).toMatchObject({ standard: true, secure: true });
    expect(chat.visible).toBe(true);
    expect(chat.lastLoad).toMatchObject({ status: 200, contentType: 'text/html' });
    const prefs = state.windowOptions[0]!;
    expect(prefs.show).toBe(false);
    expect(prefs.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false });
    expect(fs.existsSync(prefs.webPreferences.preload as string)).toBe(true);
    expect(state.applicationMenu).toBe(true);
    // No Hunspell dictionary downloads on Linux.
    expect(state.spellCheckerEnabled).toBe(false);
    expect(state.userData).toBe(app.userData);

    const info = ok<{ runtime: string }>(await app.invoke(chat.webContentsId, 'app:info'));
    expect(info.runtime).toBe('electron');
    expect(ok<{ providers: unknown[] }>(await app.invoke(chat.webContentsId, 'providers:list')).providers).toEqual([]);
  });

  it('refuses calls from a subframe, from another page in our window, and from a WebContents that is not ours', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const refused = { ok: false, error: expect.objectContaining({ code: 'UNTRUSTED_SENDER' }) };
    expect(await app.invoke(chat.webContentsId, 'app:info', undefined, { fromSubframe: true, subframeUrl: 'https://evil.example/' })).toMatchObject(refused);
    expect(await app.invoke(chat.webContentsId, 'app:info', undefined, { fromSubframe: true, subframeUrl: CHAT_URL })).toMatchObject(refused);
    for (const url of ['app://switchboard.evil/chat/index.html', 'https://switchboard/chat/index.html', 'data:text/html,x', 'about:blank']) {
      await app.call('forceMainFrame', { webContentsId: chat.webContentsId, url });
      expect(await app.invoke(chat.webContentsId, 'app:info')).toMatchObject(refused);
    }
    await app.call('forceMainFrame', { webContentsId: chat.webContentsId, url: CHAT_URL });
    expect(await app.invoke(chat.webContentsId, 'app:info')).toMatchObject({ ok: true });
  });

  it('serves both windows from app:// and refuses traversal, other hosts and folders', async () => {
    const app = await start();
    await windowAt(app, CHAT_URL);
    const fetchApp = (url: string) => app.call<{ status: number; contentType: string; body: string }>('fetchApp', { url });
    for (const url of [CHAT_URL, SETTINGS_URL]) {
      const page = await fetchApp(url);
      expect(page.status).toBe(200);
      expect(page.contentType).toBe('text/html');
      expect(page.body).toContain('Content-Security-Policy');
    }
    const script = /src="([^"]+\.js)"/.exec((await fetchApp(CHAT_URL)).body)![1]!;
    expect((await fetchApp(new URL(script, CHAT_URL).toString())).status).toBe(200);
    for (const url of [
      'app://switchboard/../package.json',
      'app://switchboard/%2e%2e/package.json',
      'app://switchboard/..%2fpackage.json',
      'app://switchboard/..%5cpackage.json',
      'app://switchboard/chat/',
      'app://switchboard/no-such-file.js',
      'app://other/chat/index.html',
    ]) {
      expect((await fetchApp(url)).status, url).toBe(404);
    }
  });

  it('lets our pages reload, keeps them from leaving, sends https links to the browser and allows only clipboard writes', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const nav = (url: string) => app.call<{ navigated: boolean }>('pageNavigate', { webContentsId: chat.webContentsId, url });
    // The error screen's Reload (location.reload) and moving between our pages work.
    expect(await nav(CHAT_URL)).toMatchObject({ navigated: true });
    expect(await nav('https://evil.example/')).toMatchObject({ navigated: false });
    expect(await nav('app://switchboard.evil/chat/index.html')).toMatchObject({ navigated: false });
    expect(await nav('file:///etc/passwd')).toMatchObject({ navigated: false });

    expect(await app.call('windowOpen', { webContentsId: chat.webContentsId, url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(await app.call('windowOpen', { webContentsId: chat.webContentsId, url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect((await app.state()).openedExternal).toEqual(['https://example.com/docs']);

    expect(await app.call('permissionCheck', { permission: 'clipboard-sanitized-write', origin: 'app://switchboard' })).toBe(true);
    expect(await app.call('permissionCheck', { permission: 'clipboard-sanitized-write', origin: 'app://switchboard.evil' })).toBe(false);
    expect(await app.call('permissionCheck', { permission: 'media', origin: 'app://switchboard' })).toBe(false);
    expect(await app.call('permissionRequest', { webContentsId: chat.webContentsId, permission: 'clipboard-sanitized-write', url: CHAT_URL })).toBe(true);
    expect(await app.call('permissionRequest', { webContentsId: chat.webContentsId, permission: 'notifications', url: CHAT_URL })).toBe(false);
  });

  it('streams a reply through net.fetch, and a quit cancelled by a window with unsaved changes leaves chat working', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const conversationId = await addProviderAndConversation(app, chat);
    expect(await sendAndRead(app, chat, conversationId, 'before the quit')).toEqual({ content: 'Echo: before the quit', status: 'complete' });

    // Settings has unsaved edits: its beforeunload cancels the unload, and the user answers "Stay".
    ok(await app.invoke(chat.webContentsId, 'app:openSettings'));
    const settings = await windowAt(app, SETTINGS_URL);
    await app.call('setPage', { webContentsId: settings.webContentsId, blockUnload: true });
    await app.call('setDialogAnswer', { answer: 1 });
    await app.call('quit');
    const state = await app.state();
    expect(state.appEvents).toEqual(['before-quit', 'quit-cancelled']);
    expect(state.dialogs.at(-1)).toMatchObject({ message: 'You have unsaved changes. Leave without saving?', buttons: ['Leave', 'Stay'] });
    expect(state.windows.map((w) => w.url)).toEqual([SETTINGS_URL]);

    // Chat still works (from Settings, and from a Chat window opened again).
    ok(await app.invoke(settings.webContentsId, 'app:openChat'));
    const chatAgain = await windowAt(app, CHAT_URL);
    expect(await sendAndRead(app, chatAgain, conversationId, 'after the cancelled quit')).toEqual({
      content: 'Echo: after the cancelled quit',
      status: 'complete',
    });

    // Now "Leave": the quit goes through, the services are disposed in will-quit, and the app exits.
    await app.call('setDialogAnswer', { answer: 0 });
    await app.call('quit').catch(() => undefined);
    expect(await app.exited).toBe(0);
  });

  it('follows a redirect within the provider’s origin and refuses one elsewhere, through Electron’s net', async () => {
    // net.fetch fails every `redirect: 'manual'` redirect ("Redirect was cancelled"); the app's fetch answers the 3xx.
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const conversationId = await addProviderAndConversation(app, chat);
    const moved = (status: number, location: string) => ({ kind: 'raw' as const, status, contentType: 'text/plain', body: 'Moved', headers: { location } });

    server.reset();
    server.nextResponses(moved(307, `${server.url}/chat/completions`));
    expect(await sendAndRead(app, chat, conversationId, 'follow me')).toEqual({ content: 'Echo: follow me', status: 'complete' });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);

    server.reset();
    const elsewhere = `http://localhost:${server.port}`;
    server.nextResponses(moved(302, `${elsewhere}/v1/chat/completions`));
    const sent = ok<{ streamId: string }>(await app.invoke(chat.webContentsId, 'chat:send', { conversationId, text: 'stay here' }));
    const final = await app.waitFor(async () => {
      const inbox = await app.call<{ channel: string; args: { streamId: string; final?: { status: string; error?: { code: string; message: string } } }[] }[]>('inbox', {
        webContentsId: chat.webContentsId,
      });
      return inbox.map((m) => m.args[0]!).find((e) => e.streamId === sent.streamId && e.final)?.final;
    }, 'the refused reply');
    expect(final).toMatchObject({ status: 'failed', error: { code: 'REDIRECT_REFUSED' } });
    expect(final.error?.message).toContain(`localhost:${server.port}`);
    expect(server.requests).toHaveLength(1);
  });

  it('holds a menu command until the Chat window says it is ready, also across a reload', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const commands = async () =>
      (await app.call<{ channel: string; args: unknown[] }[]>('inbox', { webContentsId: chat.webContentsId })).filter((m) => m.channel === 'app:command');
    await app.call('menuClick', { id: 'new-chat' });
    expect(await commands()).toEqual([]);
    ok(await app.invoke(chat.webContentsId, 'app:windowReady'));
    expect(await commands()).toEqual([{ channel: 'app:command', args: [{ command: 'new-chat' }] }]);

    await app.call('reload', { webContentsId: chat.webContentsId });
    await app.call('menuClick', { id: 'new-chat' });
    expect(await commands()).toHaveLength(1);
    ok(await app.invoke(chat.webContentsId, 'app:windowReady'));
    expect(await commands()).toHaveLength(2);
  });

  it('on macOS keeps running with no window, and a menu New Chat then reaches the new Chat window once it is ready', async () => {
    const app = await start({ SB_STANDIN_PLATFORM: 'darwin' });
    const chat = await windowAt(app, CHAT_URL);
    expect(await app.call('closeWindow', { webContentsId: chat.webContentsId })).toBe(true);
    expect((await app.state()).windows).toEqual([]);
    // macOS uses its own offline spellchecker.
    expect((await app.state()).spellCheckerEnabled).toBe(true);

    await app.call('menuClick', { id: 'new-chat' });
    const opened = await windowAt(app, CHAT_URL);
    expect(opened.webContentsId).not.toBe(chat.webContentsId);
    const inbox = () => app.call<{ channel: string; args: unknown[] }[]>('inbox', { webContentsId: opened.webContentsId });
    expect(await inbox()).toEqual([]);
    ok(await app.invoke(opened.webContentsId, 'app:windowReady'));
    expect(await inbox()).toEqual([{ channel: 'app:command', args: [{ command: 'new-chat' }] }]);
  });

  it('shows a window whose page failed to load, says why, and reloads it', async () => {
    const app = await start({ SB_STANDIN_FAIL_LOADS: '1' });
    const state = await app.waitFor(async () => {
      const s = await app.state();
      return s.dialogs.length > 0 ? s : null;
    }, 'the load-failure dialog');
    expect(state.windows[0]).toMatchObject({ visible: true });
    expect(state.dialogs[0]).toMatchObject({
      type: 'error',
      message: 'The Chat window could not be loaded (ERR_FILE_NOT_FOUND -6).',
      buttons: ['Reload', 'Close Window'],
    });
    expect(app.output()).toContain('chat window failed to load app://switchboard/chat/index.html');
    // The dialog answered Reload (0): the page loads and answers IPC.
    const chat = await windowAt(app, CHAT_URL);
    expect(await app.invoke(chat.webContentsId, 'app:info')).toMatchObject({ ok: true });
  });

  it('offers Reload when a renderer crashes, in the language chosen in Settings', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    ok(await app.invoke(chat.webContentsId, 'app:setPreferences', { language: 'zh-TW' }));
    await app.call('crash', { webContentsId: chat.webContentsId, reason: 'crashed', exitCode: 139 });
    const state = await app.waitFor(async () => {
      const s = await app.state();
      return s.dialogs.length > 0 ? s : null;
    }, 'the crash dialog');
    expect(state.dialogs[0]).toMatchObject({ message: '聊天視窗意外停止（crashed）。', buttons: ['重新載入', '關閉視窗'] });
    const reloaded = await windowAt(app, CHAT_URL);
    expect(await app.invoke(reloaded.webContentsId, 'app:info')).toMatchObject({ ok: true });
  });

  it('shows a right-click menu for text fields, selections and links', async () => {
    const app = await start();
    const chat = await windowAt(app, CHAT_URL);
    const base = {
      isEditable: false,
      selectionText: '',
      linkURL: '',
      mediaType: 'none',
      hasImageContents: false,
      misspelledWord: '',
      dictionarySuggestions: [],
      editFlags: { canUndo: false, canRedo: false, canCut: false, canCopy: false, canPaste: true, canDelete: false, canSelectAll: true, canEditRichly: false },
    };
    const field = await app.call<{ label: string; role?: string }[]>('contextMenu', { webContentsId: chat.webContentsId, params: { ...base, isEditable: true } });
    expect(field.map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
    expect(await app.call('contextMenu', { webContentsId: chat.webContentsId, params: base })).toBeNull();

    const link = await app.call<{ id?: string; label?: string }[]>('contextMenu', {
      webContentsId: chat.webContentsId,
      params: { ...base, linkURL: 'https://example.com/a', selectionText: 'a link', editFlags: { ...base.editFlags, canCopy: true } },
    });
    expect(link.map((i) => i.label).filter(Boolean)).toEqual(['Copy Link Address', 'Copy']);
    await app.call('popupClick', { id: 'copy-link' });
    expect((await app.state()).clipboard).toContainEqual({ text: 'https://example.com/a' });
  });

  it('starts where keytar cannot load (no libsecret) and explains through the keychain status', async () => {
    const app = await start({ SB_STANDIN_KEYTAR: 'broken' });
    const chat = await windowAt(app, CHAT_URL);
    const status = ok<{ state: string; message: string }>(await app.invoke(chat.webContentsId, 'providers:keychainStatus'));
    expect(status.state).toBe('unavailable');
    expect(status.message).toMatch(/No system keychain is available/);
    // The user takes the banner's offer to keep keys for this session only, and chat works.
    const conversationId = await addProviderAndConversation(app, chat);
    expect(await sendAndRead(app, chat, conversationId, 'no keychain')).toEqual({ content: 'Echo: no keychain', status: 'complete' });
  });

  it('saves an export where the user picks in the save dialog, and writes nothing when cancelled', async () => {
    const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-downloads-'));
    const app = await start({ SB_STANDIN_DOWNLOADS: downloads });
    const chat = await windowAt(app, CHAT_URL);
    const conversationId = await addProviderAndConversation(app, chat);
    await sendAndRead(app, chat, conversationId, 'keep this');

    const target = path.join(downloads, 'picked.md');
    await app.call('setSaveDialogAnswer', { filePath: target });
    const saved = ok<{ delivery: string; fileName?: string }>(
      await app.invoke(chat.webContentsId, 'archive:export', { id: conversationId, format: 'markdown', language: 'en' }),
    );
    expect(saved).toEqual({ delivery: 'saved', fileName: 'picked.md' });
    expect(fs.readFileSync(target, 'utf8')).toContain('Echo: keep this');
    const dialog = (await app.state()).dialogs.at(-1)!;
    // The dialog opens in Downloads with the proposed name, filtered to Markdown.
    expect(dialog).toMatchObject({ type: 'save' });
    expect(path.dirname(dialog.message!)).toBe(downloads);

    await app.call('setSaveDialogAnswer', { filePath: '' });
    const cancelled = ok<{ delivery: string }>(
      await app.invoke(chat.webContentsId, 'archive:export', { id: conversationId, format: 'json', language: 'en' }),
    );
    expect(cancelled).toEqual({ delivery: 'cancelled' });
    expect(fs.readdirSync(downloads)).toEqual(['picked.md']);
  });

  it('tells every window when an AppImage had to start without Chromium’s sandbox', async () => {
    const app = await start({ SB_STANDIN_SWITCHES: 'no-sandbox', APPIMAGE: '/home/u/Applications/Switchboard-0.1.0.AppImage' });
    const chat = await windowAt(app, CHAT_URL);
    const notices = ok<{ code: string; params: Record<string, string> }[]>(await app.invoke(chat.webContentsId, 'app:notices'));
    expect(notices).toEqual([expect.objectContaining({ code: 'SANDBOX_OFF', params: { context: 'appimage' } })]);
    const plain = await start();
    const plainChat = await windowAt(plain, CHAT_URL);
    expect(ok<unknown[]>(await plain.invoke(plainChat.webContentsId, 'app:notices'))).toEqual([]);
  });

  it('quits cleanly: before-quit, windows closed, will-quit held for disposal, then the exit', async () => {
    const app = await start();
    await windowAt(app, CHAT_URL);
    await app.call('quit').catch(() => undefined);
    expect(await app.exited).toBe(0);
    expect(fs.existsSync(path.join(app.userData, 'window-state.json'))).toBe(true);
  });
});
