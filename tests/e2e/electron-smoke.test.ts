/**
 * The acceptance test of the desktop app itself: the real Electron binary runs the production build in out/
 * (app:// pages, sandboxed preload, net.fetch, the OS keychain) and Playwright's Electron driver plays the
 * user. Runs wherever an Electron binary is installed (`.ci/run` starts it under Xvfb then); reported as
 * skipped, with the reason, where none is (it is downloaded from GitHub, which our build machines cannot
 * reach). tests/integration/shell-electron.test.ts runs the same shell against an Electron stand-in
 * everywhere.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { findElectronBinary } from '../support/electron-binary';

type WithApi = Window & { switchboard: SwitchboardApi };

const binary = findElectronBinary();
const API_KEY = `sk-electron-${randomBytes(12).toString('hex')}`;

describe('Electron app (acceptance)', () => {
  let server: OpenAIServer;
  let app: ElectronApplication | null = null;
  let userData: string;
  const problems: string[] = [];

  /** Page errors, console errors and CSP violations of every window: any of them fails the test. */
  const watch = async (page: Page) => {
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
    });
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    return page;
  };

  beforeAll(async () => {
    if ('missing' in binary) return;
    server = await startOpenAIServer({ apiKey: API_KEY });
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-electron-'));
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await server?.close();
    if (userData) {
      const keytar = (await import('keytar')).default;
      const ids = JSON.parse(fs.readFileSync(path.join(userData, 'config.json'), 'utf8')).providers?.map((p: { id: string }) => p.id) ?? [];
      for (const id of ids) await keytar.deletePassword(KEYCHAIN_SERVICE, id).catch(() => undefined);
    }
  });

  it('starts visible, round-trips data, streams a reply through net.fetch with a key from the keychain, reloads and quits', async (ctx) => {
    if ('missing' in binary) return ctx.skip(binary.missing);
    app = await electron.launch({
      executablePath: binary.path,
      // Chromium refuses to run its sandbox as root (CI runs as root); a user's app always keeps it.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), path.resolve('.')],
      env: { ...process.env, SWITCHBOARD_USER_DATA_DIR: userData, SWITCHBOARD_PRODUCTION: '1' },
    });
    const chat = await watch(await app.firstWindow());
    await chat.waitForLoadState('domcontentloaded');
    expect(chat.url()).toBe('app://switchboard/chat/index.html');
    // Shown on ready-to-show (windows are created hidden to avoid a white flash).
    await expect
      .poll(() => app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible())))
      .toEqual([true]);

    // The sandboxed page has no Node and no raw IPC, only our named functions.
    const surface = await chat.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      api: Object.keys((window as unknown as WithApi).switchboard).sort(),
    }));
    expect(surface).toEqual({ require: 'undefined', process: 'undefined', api: ['app', 'chat', 'conversations', 'on', 'providers'] });

    // A data round trip over IPC from the app:// page (refused before the origin fix).
    const prefs = await chat.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'en' }));
    expect(prefs).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(await chat.evaluate(() => (window as unknown as WithApi).switchboard.app.getPreferences())).toMatchObject({ ok: true });

    // Add a provider in Settings as a user would; the key goes to the OS keychain.
    await chat.getByRole('button', { name: 'Add a provider' }).click();
    await expect.poll(() => app!.windows().length).toBe(2);
    const settings = await watch(app.windows().find((w) => w.url().includes('/settings/'))!);
    await settings.getByRole('button', { name: 'Add provider' }).click();
    await settings.getByLabel('Name', { exact: true }).fill('Local server');
    await settings.getByLabel('Provider type', { exact: true }).selectOption({ label: 'OpenAI Compatible' });
    await settings.getByLabel('API Base URL', { exact: true }).fill(server.url);
    await settings.getByLabel('API Key', { exact: true }).fill(API_KEY);
    await settings.getByRole('combobox', { name: 'Model', exact: true }).fill('gpt-4o-mini');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Saved.', { exact: true }).waitFor();
    const config = fs.readFileSync(path.join(userData, 'config.json'), 'utf8');
    expect(config).not.toContain(API_KEY);
    const providerId = (JSON.parse(config) as { providers: { id: string }[] }).providers[0]!.id;
    const keytar = (await import('keytar')).default;
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, providerId)).toBe(API_KEY);

    // A streamed reply through net.fetch: the server accepts only requests with that key.
    server.setBehavior({ reply: 'Hello from the local server, streamed.', chunkDelayMs: 10 });
    const composer = chat.getByRole('textbox', { name: 'Message', exact: true });
    await composer.fill('Hello Electron');
    await composer.press('Enter');
    await expect.poll(() => chat.locator('.message-assistant .markdown').last().textContent()).toBe('Hello from the local server, streamed.');
    expect(server.lastRequest('/chat/completions')?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    // Reload (allowed for our own page), and the conversation is still there.
    await chat.reload();
    await chat.locator('.message-user').getByText('Hello Electron', { exact: true }).waitFor();
    await chat.locator('.message-assistant').getByText('Hello from the local server, streamed.').waitFor();

    expect(problems).toEqual([]);

    // Quit: every window closes and the process ends.
    const closed = new Promise<void>((resolve) => app!.process().once('exit', () => resolve()));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    await closed;
    app = null;
  });
});
