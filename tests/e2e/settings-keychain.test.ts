/**
 * The Settings window when the OS keychain does not work: this file points D-Bus at a socket that does not
 * exist, so keytar (libsecret) really fails as it does on a desktop without a Secret Service. The user sees
 * what is wrong, a key typed into the form is never lost, and the explicit session-only choice works.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { startE2eHost, type E2eHost } from '../support/e2e-host';

const API_KEY = `sk-e2e-session-${randomBytes(16).toString('hex')}`;
const KEY_HINT = `…${API_KEY.slice(-4)}`;

describe('Settings window without a working keychain', () => {
  const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;
  let server: OpenAIServer;
  let e2e: E2eHost;
  let page: Page;

  beforeAll(async () => {
    // Before anything in this process talks to D-Bus: libsecret keeps the first connection it makes.
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${path.join(os.tmpdir(), `no-such-bus-${process.pid}`)}`;
    server = await startOpenAIServer({ apiKey: API_KEY });
    e2e = await startE2eHost({
      dataDirPrefix: 'sb-e2e-keychain-',
      defaultTimeoutMs: 10_000,
      // There is no keychain to clean up.
      keychainAccounts: () => [],
    });
    page = await e2e.open(e2e.host.settingsUrl);
  });

  afterEach(() => {
    expect(server.violations).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await e2e?.close();
    await server?.close();
    if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
  });

  it('explains the problem, keeps a typed key when saving fails, and saves it for the session once the user chooses so', async () => {
    const banner = page.getByRole('alert').filter({ hasText: 'No system keychain is available' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('GNOME Keyring or KWallet');

    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Session box');
    await page.getByLabel('API Base URL', { exact: true }).fill(server.url);
    await page.getByLabel('API Key', { exact: true }).fill(API_KEY);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const failure = page.getByRole('alert').filter({ hasText: 'The system keychain is not available, so API keys cannot be stored safely.' });
    await failure.waitFor();
    // Nothing was saved half-way, and nothing the user typed is gone.
    expect(e2e.host.services.config.listProviders()).toEqual([]);
    expect(await page.getByLabel('API Key', { exact: true }).inputValue()).toBe(API_KEY);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Session box');

    await banner.getByRole('button', { name: 'Keep keys for this session only' }).click();
    await page.getByText('Keys are kept in memory for this session only.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Key kept in memory for this session only (${KEY_HINT}).`).waitFor();
    expect(e2e.host.services.config.listProviders().map((p) => p.name)).toEqual(['Session box']);
    expect(e2e.filesContaining(API_KEY)).toEqual([]);

    // The session key is used for the saved provider.
    await page.getByRole('button', { name: 'Test Connection', exact: true }).click();
    await page.getByText('Connected. 3 models available.').waitFor();
    expect(server.lastRequest('/models')?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });
});
