/**
 * The conversation settings panel end to end: real Chromium drives the built Chat window through the
 * browser host against the local test server. A system prompt and a temperature set in the panel (by
 * keyboard) reach the server as the spec names them; an out-of-range value is refused next to its field
 * with the allowed range; the header shows the conversation has settings; the panel follows zh-TW.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../electron/browser-host/host';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { localProvider, startE2eHost, type E2eHost } from '../support/e2e-host';

type WithApi = Window & { switchboard: SwitchboardApi };

describe('Conversation settings panel', () => {
  let server: OpenAIServer;
  let host: BrowserHost;
  let e2e: E2eHost;
  let page: Page;
  const pageErrors = () => e2e.pageErrors;

  const mainCall: E2eHost['call'] = (channel, input) => e2e.call(channel, input);

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const lastChatBody = () => server.requestsTo('/chat/completions', 'POST').at(-1)?.body as Record<string, unknown> | undefined;

  beforeAll(async () => {
    server = await startOpenAIServer();
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-settings-panel-' });
    host = e2e.host;
    await mainCall('providers:save', localProvider(server.url));
    page = await e2e.open(host.chatUrl);
  });

  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('sends the system prompt and temperature set in the panel, refuses out-of-range values, and speaks zh-TW', async () => {
    await composer().fill('First message');
    await composer().press('Enter');
    await page.locator('.message-assistant').getByText('Echo: First message').waitFor();
    expect(lastChatBody()?.messages).toEqual([{ role: 'user', content: 'First message' }]);

    // Keyboard only: focus the header button, open with Enter.
    const open = page.getByRole('button', { name: /^Conversation settings/ });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Conversation settings' });
    await dialog.waitFor();
    await dialog.getByLabel('System prompt', { exact: true }).fill('Answer like a pirate.');
    await dialog.getByLabel('Temperature (0–2)', { exact: true }).fill('2.5');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('Enter a number from 0 to 2.', { exact: true }).waitFor();
    expect(await dialog.getByLabel('Temperature (0–2)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.isVisible()).toBe(true);

    await dialog.getByLabel('Temperature (0–2)', { exact: true }).fill('0.3');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The header says at a glance that this conversation has settings of its own.
    await page.getByRole('button', { name: 'Conversation settings Custom settings' }).waitFor();

    await composer().fill('Second message');
    await composer().press('Enter');
    await page.locator('.message-assistant').getByText('Echo: Second message').waitFor();
    const body = lastChatBody();
    expect((body?.messages as unknown[])[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
    expect(body?.temperature).toBe(0.3);
    expect(server.violations).toEqual([]);

    // The reply's details show what was in effect; the first reply (before any settings) shows none.
    const replies = page.locator('.message-assistant');
    expect(await replies.first().locator('.reply-settings').count()).toBe(0);
    const details = replies.last().locator('.reply-settings');
    await details.getByText('Settings in effect', { exact: true }).click();
    await details.getByText('Answer like a pirate.', { exact: true }).waitFor();
    expect(await details.locator('.reply-settings-row', { hasText: 'Temperature (0–2)' }).locator('dd').textContent()).toBe('0.3');

    await page.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'zh-TW' }));
    const openZh = page.getByRole('button', { name: /^對話設定/ });
    await openZh.waitFor();
    await openZh.click();
    const dialogZh = page.getByRole('dialog', { name: '對話設定' });
    await dialogZh.waitFor();
    expect(await dialogZh.getByLabel('系統提示詞', { exact: true }).inputValue()).toBe('Answer like a pirate.');
    expect(await dialogZh.getByLabel('溫度（0–2）', { exact: true }).inputValue()).toBe('0.3');
    await dialogZh.getByRole('button', { name: '儲存', exact: true }).waitFor();
    await page.getByText('生效的設定', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await dialogZh.waitFor({ state: 'detached' });
    await page.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'en' }));
    await page.getByRole('button', { name: /^Conversation settings/ }).waitFor();
    expect(pageErrors()).toEqual([]);
  });

  it("starts a new conversation from the provider's defaults set in Settings, leaving existing ones alone", async () => {
    const before = await mainCall('conversations:list', undefined);
    const settings = await e2e.open(host.settingsUrl);
    await settings.getByRole('button', { name: 'Edit defaults…' }).click();
    const dialog = settings.getByRole('dialog', { name: 'Defaults for new conversations' });
    await dialog.getByLabel('System prompt', { exact: true }).fill('Default from the provider.');
    await dialog.getByLabel('Top P (0–1)', { exact: true }).fill('7');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('Enter a number from 0 to 1.', { exact: true }).waitFor();
    await dialog.getByLabel('Top P (0–1)', { exact: true }).fill('');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await settings.getByText('1 setting: new conversations start from it. Existing conversations keep theirs.').waitFor();
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Saved.', { exact: true }).waitFor();
    await settings.close();

    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await composer().fill('Third message');
    await composer().press('Enter');
    await page.locator('.message-assistant').getByText('Echo: Third message').waitFor();
    expect((lastChatBody()?.messages as unknown[])[0]).toEqual({ role: 'system', content: 'Default from the provider.' });
    await page.getByRole('button', { name: 'Conversation settings Custom settings' }).waitFor();
    // The conversation from before keeps its own settings.
    const earlier = before[0];
    if (!earlier) throw new Error('the first conversation is missing');
    expect((await mainCall('conversations:get', { id: earlier.id })).settings).toEqual({ systemPrompt: 'Answer like a pirate.', temperature: 0.3 });
    expect(pageErrors()).toEqual([]);
  });
});
