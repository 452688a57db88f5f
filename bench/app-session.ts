/**
 * One running app for the benchmark: the browser host in its own process (the app's main process) and a
 * Chromium context showing its windows, with the page probes installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startChild, type Child } from './child-rpc';
import { hostProcessEnv } from '../electron/launcher/host-process-env';
import type { HostMethods } from './host-process';
import { PROBE_SCRIPT } from './page-probes';

export const BENCH_MODEL = 'gpt-4o-mini';

export interface AppSession {
  host: Child<HostMethods>;
  context: BrowserContext;
  dataDir: string;
  chatUrl: string;
  settingsUrl: string;
  /** Adds the timed route of the local server as the provider (key in the session-only store). */
  /** With `extraKeys`, the provider holds a key pool: `apiKey` first (the one used), then these. */
  addProvider(baseUrl: string, apiKey: string, extraKeys?: readonly string[]): Promise<void>;
  /** A new Chat window, loaded; a fresh page has its own sessionStorage, so it opens the newest conversation. */
  openChat(): Promise<Page>;
  close(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startAppSession(options: { browser: Browser; rendererDir: string; dataDir?: string }): Promise<AppSession> {
  const dataDir = options.dataDir ?? tempDir('switchboard-bench-data-');
  const host = await startChild<HostMethods>('bench/host-process.ts', { nodeArgs: ['--expose-gc'], env: hostProcessEnv() });
  let context: BrowserContext | null = null;
  try {
    const urls = await host.call('start', { dataDir, rendererDir: options.rendererDir });
    context = await options.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: PROBE_SCRIPT });
    const ctx = context;
    return {
      host,
      context: ctx,
      dataDir,
      chatUrl: urls.chatUrl,
      settingsUrl: urls.settingsUrl,
      async addProvider(baseUrl, apiKey, extraKeys) {
        await host.call('call', {
          channel: 'providers:save',
          input: {
            type: 'openai-compatible',
            name: 'Local benchmark server',
            baseUrl,
            model: BENCH_MODEL,
            assistantId: '',
            customHeaders: [],
            ...(extraKeys
              ? { apiKey: { action: 'keep' }, keys: [apiKey, ...extraKeys].map((value, i) => ({ label: `key ${i + 1}`, value })) }
              : { apiKey: { action: 'set', value: apiKey } }),
          },
        });
      },
      async openChat() {
        const page = await ctx.newPage();
        page.on('pageerror', (e) => console.error(`[chat window] ${e.message}`));
        await page.goto(urls.chatUrl);
        await page.locator('.chat-app').waitFor();
        return page;
      },
      async close() {
        await ctx.close().catch(() => undefined);
        await host.call('close', undefined).catch(() => undefined);
        await host.close();
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await host.close();
    throw error;
  }
}

export function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

/** Types a message and sends it with Enter, as a user does. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await box.fill(text);
  await box.press('Enter');
}

/** Starts a new, empty conversation with the sidebar's New chat button. */
export async function newChat(page: Page): Promise<void> {
  // The sidebar is virtualised: its size is on its rows (aria-setsize), not in how many are rendered.
  const listSize = () => Number(document.querySelector('.conversation-item')?.getAttribute('aria-setsize') ?? 0);
  const before = await page.evaluate(listSize);
  await page.locator('button.new-chat').click();
  // Reused when the open conversation is already empty; otherwise one more entry appears.
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector('.conversation-item')?.getAttribute('aria-setsize') ?? 0) > n ||
      document.querySelectorAll('.message-row').length === 0,
    before,
  );
  await page.locator('.message-row').first().waitFor({ state: 'detached' });
}
