import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/host';
import { createMemoryLogger } from '../../electron/main/logger';
import { launchChromium } from '../support/chromium';

describe('browser host windows', () => {
  let host: BrowserHost;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    host = await startBrowserHost({
      port: 0,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-')),
      log: createMemoryLogger(),
      systemLocale: 'en-US',
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('renders the Chat window and opens the Settings window from it', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.url);
    await expect.poll(() => page.url()).toContain('/chat/');
    await page.getByRole('button', { name: 'Settings' }).waitFor();
    const [settings] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Settings' }).click()]);
    await settings.waitForLoadState();
    expect(new URL(settings.url()).pathname).toBe('/settings/');
    await settings.getByRole('combobox', { name: 'Language' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('refuses pages and the WebSocket without the per-run token', async () => {
    const res = await fetch(`${host.origin}/chat/`);
    expect(res.status).toBe(403);
    const page = await browser.newPage();
    const response = await page.goto(`${host.origin}/settings/`);
    expect(response?.status()).toBe(403);
    await page.close();
  });

  it('switches the language of every open window live', async () => {
    const chat = await context.newPage();
    await chat.goto(host.chatUrl);
    await chat.getByRole('button', { name: 'Settings' }).waitFor();
    const settings = await context.newPage();
    await settings.goto(host.settingsUrl);
    await settings.getByRole('combobox', { name: 'Language' }).selectOption('zh-TW');
    await chat.getByRole('button', { name: '設定' }).waitFor();
    await settings.getByRole('combobox', { name: '語言' }).selectOption('en');
    await chat.getByRole('button', { name: 'Settings' }).waitFor();
  });
});
