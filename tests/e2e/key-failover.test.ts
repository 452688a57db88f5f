/**
 * Key pools and failover end to end: real Chromium drives the built Settings and Chat windows through the
 * browser host (real keychain, run under dbus-run-session) against two local test servers. In Settings a
 * second key and a fallback provider are added to a provider; in Chat the "answered by" line under each
 * reply changes as the primary server starts rate-limiting the first key, then every key.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../electron/browser-host/host';
import { faults, forKey, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { startE2eHost, type E2eHost } from '../support/e2e-host';

const KEY_A = `sk-e2e-a-${randomBytes(12).toString('hex')}`;
const KEY_B = `sk-e2e-b-${randomBytes(12).toString('hex')}`;
const BACKUP_KEY = `sk-e2e-backup-${randomBytes(12).toString('hex')}`;
const hint = (key: string) => `…${key.slice(-4)}`;

describe('Key pool and fallback', () => {
  let primary: OpenAIServer;
  let backup: OpenAIServer;
  let host: BrowserHost;
  let e2e: E2eHost;

  const mainCall: E2eHost['call'] = (channel, input) => e2e.call(channel, input, 'settings');

  beforeAll(async () => {
    primary = await startOpenAIServer({ apiKeys: [KEY_A, KEY_B] });
    backup = await startOpenAIServer({ apiKey: BACKUP_KEY, behavior: { reply: 'Backup here.' } });
    e2e = await startE2eHost({
      dataDirPrefix: 'sb-e2e-failover-',
      defaultTimeoutMs: 15_000,
      keychainAccounts: (id) => [id, ...(e2e.host.services.config.getProvider(id)?.keys ?? []).map((k) => `${id}:key:${k.id}`)],
    });
    host = e2e.host;
    const base = { type: 'openai-compatible' as const, model: 'gpt-4o-mini', assistantId: '', customHeaders: [] };
    // Saved first, so it is the provider of a new conversation and the one the Settings window opens on.
    await mainCall('providers:save', { ...base, name: 'Primary', baseUrl: primary.url, apiKey: { action: 'set', value: KEY_A } });
    await mainCall('providers:save', { ...base, name: 'Backup', baseUrl: backup.url, apiKey: { action: 'set', value: BACKUP_KEY } });
  });

  afterAll(async () => {
    await e2e?.close();
    await primary?.close();
    await backup?.close();
  });

  async function send(page: Page, text: string, reply: string): Promise<string> {
    const composer = page.getByRole('textbox', { name: 'Message', exact: true });
    await composer.fill(text);
    await composer.press('Enter');
    const message = page.locator('.message-assistant').last();
    await message.getByText(reply).waitFor();
    return (await message.locator('.route-line').first().textContent()) ?? '';
  }

  it('adds a second key and a fallback in Settings; the answered-by line follows the rate limits', async () => {
    const settings = await e2e.open(host.settingsUrl);
    await settings.getByRole('heading', { name: 'Primary' }).waitFor();
    await settings.getByRole('button', { name: 'Add another key' }).click();
    const pool = settings.getByRole('group', { name: 'API keys' });
    await pool.getByText(hint(KEY_A), { exact: true }).waitFor();
    await pool.getByLabel('Label of key 1', { exact: true }).fill('first');
    await pool.getByLabel('Key 2', { exact: true }).fill(KEY_B);
    await pool.getByLabel('Label of key 2', { exact: true }).fill('second');

    // A fallback to itself is refused with a sentence before anything is saved.
    const fallbacks = settings.getByRole('group', { name: 'Fallbacks' });
    await fallbacks.getByRole('button', { name: 'Add fallback' }).click();
    const choice = fallbacks.getByLabel('Fallback 1 provider', { exact: true });
    expect(await choice.locator('option').allTextContents()).toEqual(['Choose a provider…', 'Backup']);
    await choice.selectOption({ label: 'Backup' });
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Saved.', { exact: true }).waitFor();
    await pool.getByText(hint(KEY_B), { exact: true }).waitFor();
    // The keys never reach the page: only their masks.
    expect(await settings.content()).not.toContain(KEY_B);
    const saved = host.services.config.listProviders().find((p) => p.name === 'Primary');
    expect(saved?.keys?.map((k) => k.label)).toEqual(['first', 'second']);
    expect(saved?.fallbacks?.map((f) => f.providerId)).toEqual([host.services.config.listProviders().find((p) => p.name === 'Backup')?.id]);

    const chat = await e2e.open(host.chatUrl);
    expect(await send(chat, 'one', 'Echo: one')).toBe(`Answered by Primary · gpt-4o-mini, key first ${hint(KEY_A)}.`);

    // The server starts rate-limiting the first key: the next reply comes from the second key at once.
    primary.alwaysRespond(faults.requestLimitReached('6m0s', forKey(KEY_A)));
    expect(await send(chat, 'two', 'Echo: two')).toBe(`Answered by Primary · gpt-4o-mini, key second ${hint(KEY_B)}. (1 tried before)`);

    // Now every key: the fallback answers, and the details say what was tried and why.
    primary.alwaysRespond(faults.rateLimited({ seconds: 90 }, forKey(KEY_B)));
    expect(await send(chat, 'three', 'Backup here.')).toBe(`Answered by Backup · gpt-4o-mini, key ${hint(BACKUP_KEY)}. (2 tried before)`);
    const details = chat.locator('.message-assistant').last().locator('.route-details');
    await details.locator('summary').click();
    expect(await details.locator('li').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^Primary · gpt-4o-mini, key first ${hint(KEY_A)}: key resting until `)),
      `Primary · gpt-4o-mini, key second ${hint(KEY_B)}: rate limited`,
    ]);

    // Settings shows each key's health.
    await settings.reload();
    await settings.getByText(/Rate limited: rests until/).first().waitFor();
    expect(await settings.getByText(/Rate limited: rests until/).count()).toBe(2);
    expect(primary.violations).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('a conversation can say "no fallbacks" in its settings; with every key resting, one sentence says what was tried', async () => {
    const chat = await e2e.open(host.chatUrl);
    await chat.getByRole('button', { name: /^Conversation settings/ }).click();
    const dialog = chat.getByRole('dialog', { name: 'Conversation settings' });
    const useProvider = dialog.getByLabel('Use the fallbacks of Primary', { exact: true });
    expect(await useProvider.isChecked()).toBe(true);
    await useProvider.uncheck();
    // It starts from the provider's list; removing the one fallback leaves none for this conversation.
    expect(await dialog.getByLabel('Fallback 1 provider', { exact: true }).inputValue()).not.toBe('');
    await dialog.getByRole('button', { name: 'Remove fallback 1' }).click();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const conversationId = (await mainCall('conversations:list', undefined))[0]?.id ?? '';
    expect((await mainCall('conversations:get', { id: conversationId })).fallbacks).toEqual([]);

    const composer = chat.getByRole('textbox', { name: 'Message', exact: true });
    await composer.fill('four');
    await composer.press('Enter');
    const failed = chat.locator('.message-assistant').last();
    await failed.getByText(/^No provider could answer\. Tried: Primary · gpt-4o-mini, key /).waitFor();
    // Its details list each attempt with the reason.
    await failed.locator('.route-details summary').click();
    expect(await failed.locator('.route-attempts li').count()).toBe(2);
    expect(backup.requestsTo('/chat/completions').filter((r) => JSON.stringify(r.body).includes('four'))).toEqual([]);

    // In Traditional Chinese the sentence and the answered-by lines follow, names and masks as they are.
    await mainCall('app:setPreferences', { language: 'zh-TW' });
    await failed.getByText(/^沒有任何供應商能夠回答。已嘗試：Primary · gpt-4o-mini，金鑰 /).waitFor();
    await chat.getByText(`由 Backup · gpt-4o-mini，金鑰 ${hint(BACKUP_KEY)} 回答。 （先前嘗試了 2 個）`, { exact: true }).waitFor();
    await mainCall('app:setPreferences', { language: 'en' });
    expect(e2e.pageErrors).toEqual([]);
  });

  it('Test Connection with no working key lists what each key got (English and Traditional Chinese)', async () => {
    // Both keys of the pool are turned away by the model list Test Connection asks for.
    primary.alwaysRespond(faults.invalidApiKey({ path: '/models' }));
    const settings = await e2e.open(host.settingsUrl);
    await settings.getByRole('heading', { name: 'Primary' }).waitFor();
    await settings.getByRole('button', { name: 'Test Connection', exact: true }).click();
    const banner = settings.locator('.test-outcome .banner-error');
    await banner.getByText('None of the 2 keys worked:', { exact: true }).waitFor();
    const host127 = new URL(primary.url).host;
    expect(await banner.locator('.key-results li').allTextContents()).toEqual([
      `first ${hint(KEY_A)}: ${host127} rejected the API key (HTTP 401).`,
      `second ${hint(KEY_B)}: ${host127} rejected the API key (HTTP 401).`,
    ]);
    await mainCall('app:setPreferences', { language: 'zh-TW' });
    await banner.getByText('2 把金鑰都無法使用：', { exact: true }).waitFor();
    expect(await banner.locator('.key-results li').allTextContents()).toEqual([
      `first ${hint(KEY_A)}：${host127} 拒絕了此 API 金鑰（HTTP 401）。`,
      `second ${hint(KEY_B)}：${host127} 拒絕了此 API 金鑰（HTTP 401）。`,
    ]);
    await mainCall('app:setPreferences', { language: 'en' });
    primary.reset();
    expect(e2e.pageErrors).toEqual([]);
  });
});
