/**
 * The Settings window end to end: real Chromium drives the built renderer through the browser host, which
 * runs the real provider service, the real OS keychain (run under dbus-run-session with an unlocked GNOME
 * keyring) and talks to the local OpenAI-compatible test server over real HTTP.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import keytar from 'keytar';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { startE2eHost, type E2eHost } from '../support/e2e-host';

// Unique per run, so finding it in a file or the keychain can only come from this run.
const API_KEY = `sk-e2e-${randomBytes(16).toString('hex')}`;
const KEY_HINT = `…${API_KEY.slice(-4)}`;
// A gateway credential in a custom header: kept in the keychain like the key, shown only masked.
const GATEWAY_TOKEN = `gw-${randomBytes(12).toString('hex')}`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('Settings window', () => {
  let server: OpenAIServer;
  let e2e: E2eHost;
  let page: Page;

  /** A list entry by its exact provider name (its accessible name goes on with the unsaved marker and type). */
  const providerButton = (name: string, on: Page = page) =>
    on
      .getByRole('navigation', { name: 'Providers' })
      .getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}\\s*(\\(unsaved changes\\))?\\s*(OpenAI|Not saved)`) });
  const isFocused = (name: string) => providerButton(name).evaluate((el) => el === document.activeElement);
  const configuredProviders = () => e2e.host.services.config.listProviders();

  /** Types an invalid value: the field says why next to it, and Save moves focus to it instead of saving. */
  async function expectSaveBlockedBy(field: Locator, value: string, message: string, fieldId: string): Promise<void> {
    await field.fill(value);
    await field.blur();
    await page.getByText(message).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(fieldId);
  }

  async function openSettings(): Promise<Page> {
    const p = await e2e.open(e2e.host.settingsUrl);
    await p.getByRole('heading', { name: 'Providers' }).waitFor();
    return p;
  }

  beforeAll(async () => {
    server = await startOpenAIServer({ apiKey: API_KEY });
    e2e = await startE2eHost({
      dataDirPrefix: 'sb-e2e-settings-',
      // A settings file cut off mid-write: the app must move it aside and say so.
      seed: (dataDir) => fs.writeFileSync(path.join(dataDir, 'config.json'), '{"schemaVersion": 1, "providers": [{"id": "x", "na'),
      // Fail in seconds, not half a minute: every step here is local.
      defaultTimeoutMs: 10_000,
      // The gateway token header is kept in the keychain too.
      keychainAccounts: (id) => [id, `${id}:header:x-gateway-token`],
    });
    page = await openSettings();
  });

  afterEach(() => {
    expect(server.violations).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('tells the user that an unreadable settings file was moved aside, until dismissed', async () => {
    const notice = page.getByRole('alert').filter({ hasText: 'Your settings file could not be read.' });
    await notice.waitFor();
    const aside = fs.readdirSync(e2e.dataDir).find((f) => f.startsWith('config.corrupt-'));
    expect(aside).toBeDefined();
    expect(await notice.textContent()).toContain(aside);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
    expect(await page.getByText('Your settings file could not be read.').count()).toBe(0);
  });

  it('adds an OpenAI Compatible provider by its labelled fields, tests it, saves, and shows it persisted with the key masked after a reload', async () => {
    await page.getByRole('button', { name: 'Add provider' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('provider-name');
    await page.getByLabel('Name', { exact: true }).fill('Local test server');
    await page.getByLabel('Provider type', { exact: true }).selectOption({ label: 'OpenAI Compatible' });
    await page.getByLabel('API Base URL', { exact: true }).fill(server.url);
    await page.getByLabel('API Key', { exact: true }).fill(API_KEY);
    const headers = page.getByRole('group', { name: 'Custom headers' });
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByLabel('Header name 1', { exact: true }).fill('X-Title');
    await headers.getByLabel('Header value 1', { exact: true }).fill('Switchboard e2e');
    await headers.getByRole('button', { name: 'Add header' }).click();
    await headers.getByLabel('Header name 2', { exact: true }).fill('X-Gateway-Token');
    await headers.getByLabel('Header value 2', { exact: true }).fill(GATEWAY_TOKEN);
    // Fields of other types are not shown.
    expect(await page.getByLabel('Assistant ID', { exact: true }).count()).toBe(0);

    // The model list comes from GET /models; a name can still be typed freely.
    const model = page.getByRole('combobox', { name: 'Model', exact: true });
    await page.getByRole('button', { name: 'Refresh model list' }).click();
    await page.getByText('3 models on this server').waitFor();
    // By keyboard: ArrowDown opens the list on the first model, ArrowDown moves, Enter picks (and does not
    // submit the form).
    await model.focus();
    await model.press('ArrowDown');
    await page.getByRole('option', { name: 'gpt-4o-mini', exact: true }).waitFor();
    const listed = await page.getByRole('listbox', { name: 'Models on this server' }).getByRole('option').allTextContents();
    expect([...listed].sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'local/llama-3.1-8b-instruct']);
    for (let i = 0; i < listed.indexOf('gpt-4o'); i++) await model.press('ArrowDown');
    await model.press('Enter');
    expect(await model.inputValue()).toBe('gpt-4o');
    expect(await page.getByRole('listbox').count()).toBe(0);
    expect(configuredProviders()).toEqual([]);

    // Unsaved: the list shows it and Save is enabled.
    await expect.poll(() => page.getByRole('navigation', { name: 'Providers' }).textContent()).toContain('(unsaved changes)');

    await page.getByRole('button', { name: 'Test Connection', exact: true }).click();
    await page.getByText('Connected. 3 models available.').waitFor();
    expect(server.lastRequest('/models')?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'x-title': 'Switchboard e2e',
      'x-gateway-token': GATEWAY_TOKEN,
    });
    expect(configuredProviders()).toEqual([]); // testing saved nothing

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Key stored in the system keychain (${KEY_HINT}).`).waitFor();
    await page.getByText('Saved.', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Providers' }).textContent()).not.toContain('(unsaved changes)');

    const [saved] = configuredProviders();
    expect(saved).toMatchObject({ name: 'Local test server', type: 'openai-compatible', baseUrl: server.url, model: 'gpt-4o' });

    await page.reload();
    await providerButton('Local test server').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Local test server');
    expect(await page.getByLabel('API Base URL', { exact: true }).inputValue()).toBe(server.url);
    expect(await model.inputValue()).toBe('gpt-4o');
    await page.getByText(`Key stored in the system keychain (${KEY_HINT}).`).waitFor();
    // The key field is write-only: empty, and the page never received the key.
    expect(await page.getByLabel('API Key', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Header value 1', { exact: true }).inputValue()).toBe('Switchboard e2e');
    expect(await page.getByLabel('Header value 2', { exact: true }).inputValue()).toBe(`…${GATEWAY_TOKEN.slice(-4)}`);
    expect(await page.content()).not.toContain(API_KEY);
    expect(await page.content()).not.toContain(GATEWAY_TOKEN);

    // The key is in the OS keychain and in no file the app wrote.
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, saved!.id)).toBe(API_KEY);
    expect(e2e.filesContaining(API_KEY)).toEqual([]);
    expect(e2e.filesContaining(GATEWAY_TOKEN)).toEqual([]);
    expect(e2e.filesContaining('Local test server').length).toBeGreaterThan(0);
  });

  it('tests the unsaved form with the stored key and header secret, and says clearly when a typed key is wrong', async () => {
    await page.getByRole('button', { name: 'Test Connection', exact: true }).click();
    await page.getByText('Connected. 3 models available.').waitFor();
    // The masked values went back unchanged, so main used the stored ones.
    expect(server.lastRequest('/models')?.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'x-gateway-token': GATEWAY_TOKEN,
    });

    await page.getByLabel('API Key', { exact: true }).fill('sk-wrong-key-0000');
    await page.getByRole('button', { name: 'Test Connection', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'rejected the API key' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('HTTP 401');
    expect(await alert.textContent()).not.toContain('sk-wrong-key-0000');

    // Emptying the field keeps the stored key: nothing is unsaved any more.
    await page.getByLabel('API Key', { exact: true }).fill('');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
  });

  it('shows validation messages next to the base URL, blocks Save on errors and saves nothing', async () => {
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Broken');
    const baseUrl = page.getByLabel('API Base URL', { exact: true });

    await expectSaveBlockedBy(baseUrl, 'ftp://example.com/v1', 'The API Base URL must start with http:// or https://, not ftp://.', 'provider-base-url');
    expect(configuredProviders().map((p) => p.name)).toEqual(['Local test server']);

    await baseUrl.fill('localhost:11434/v1');
    await page.getByText('Enter a full URL starting with http:// or https://, for example http://localhost:11434/v1.').waitFor();

    // Warnings and hints do not block.
    await baseUrl.fill('http://192.168.1.20:8000');
    await page.getByText(/^Plain http sends your key unencrypted/).waitFor();
    await page.getByText(/^Missing \/v1\?/).waitFor();
    expect(await baseUrl.getAttribute('aria-invalid')).toBeNull();

    // Drop the draft: it was never saved, so deleting it only discards it.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this new provider?' });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Local test server');
    expect(configuredProviders().map((p) => p.name)).toEqual(['Local test server']);
  });

  it('asks before leaving unsaved changes: switching providers in an in-app dialog, closing the window natively', async () => {
    await page.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await expect.poll(() => configuredProviders().length).toBe(2);
    const copy = configuredProviders().find((p) => p.name !== 'Local test server')!;
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe(copy.name);

    await page.getByLabel('Name', { exact: true }).fill('Edited copy');
    await providerButton('Local test server').click();
    const dialog = page.getByRole('dialog', { name: 'Save your changes?' });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep editing');

    // Esc keeps editing and gives focus back to where it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Edited copy');
    await expect.poll(() => isFocused('Local test server')).toBe(true);

    await providerButton('Local test server').click();
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Local test server');
    expect(configuredProviders().find((p) => p.id === copy.id)?.name).toBe(copy.name);

    // "Save changes" saves, then switches.
    await providerButton(copy.name).click();
    await page.getByLabel('Name', { exact: true }).fill('Saved copy');
    await providerButton('Local test server').click();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Local test server');
    expect(configuredProviders().find((p) => p.id === copy.id)?.name).toBe('Saved copy');

    // Closing or reloading with edits triggers the beforeunload confirmation.
    const other = await openSettings();
    await other.getByLabel('Name', { exact: true }).fill('Not saved');
    const dialogs: string[] = [];
    other.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await other.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
  });

  it('follows changes made in another window', async () => {
    const other = await openSettings();
    await other.getByLabel('Name', { exact: true }).fill('Renamed elsewhere');
    await other.getByRole('button', { name: 'Save', exact: true }).click();
    await other.getByText('Saved.', { exact: true }).waitFor();
    await providerButton('Renamed elsewhere').waitFor();
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Renamed elsewhere');
    await other.getByLabel('Name', { exact: true }).fill('Local test server');
    await other.getByRole('button', { name: 'Save', exact: true }).click();
    await providerButton('Local test server').waitFor();
    await other.close();
  });

  it('deletes a provider only after confirmation, with its key', async () => {
    const copy = configuredProviders().find((p) => p.name === 'Saved copy')!;
    await providerButton('Saved copy').click();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Saved copy”?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(configuredProviders().map((p) => p.id)).toContain(copy.id);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await providerButton('Saved copy').waitFor({ state: 'detached' });
    expect(configuredProviders().map((p) => p.name)).toEqual(['Local test server']);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, copy.id)).toBeNull();
    // Focus lands on the provider now selected, not on the page body.
    await expect.poll(() => isFocused('Local test server')).toBe(true);
  });

  it('renders the zh-TW labels when the language is switched', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-TW');
    await page.getByRole('heading', { name: '供應商' }).waitFor();
    for (const label of ['名稱', '供應商類型', 'API 基底網址', 'API 金鑰']) {
      await page.getByLabel(label, { exact: true }).waitFor();
    }
    await page.getByRole('combobox', { name: '模型', exact: true }).waitFor();
    await page.getByRole('group', { name: '自訂標頭' }).waitFor();
    for (const button of ['儲存', '測試連線', '刪除']) {
      await page.getByRole('button', { name: button, exact: true }).waitFor();
    }
    await page.getByText(`金鑰已儲存在系統鑰匙圈（${KEY_HINT}）。`).waitFor();
    // Test Connection's result and its remarks are translated too (they carry codes, not English text).
    const zhModel = page.getByRole('combobox', { name: '模型', exact: true });
    await zhModel.fill('gpt-9');
    await page.getByRole('button', { name: '測試連線', exact: true }).click();
    await page.getByText('已連線，共有 3 個可用模型。').waitFor();
    await page.getByText('模型「gpt-9」不在此伺服器的清單中；若對話失敗，請檢查名稱是否拼錯。').waitFor();
    expect(await page.getByText(/is not in this server’s list/).count()).toBe(0);
    await zhModel.fill('gpt-4o');
    await zhModel.press('Escape');
    await page.getByLabel('供應商類型', { exact: true }).selectOption('openai-assistant');
    await page.getByLabel('Assistant ID', { exact: true }).waitFor();
    await page.getByLabel('執行逾時（分鐘）', { exact: true }).waitFor();
    await page.getByLabel('Assistant ID', { exact: true }).blur();
    expect(await page.getByRole('group', { name: '自訂標頭' }).count()).toBe(0);

    // Back to the saved type and to English for whoever runs next.
    await page.getByLabel('供應商類型', { exact: true }).selectOption('openai-compatible');
    expect(await page.getByRole('button', { name: '儲存', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('combobox', { name: '語言' }).selectOption('en');
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
  });

  it('edits an OpenAI Assistant’s run timeout in minutes: checked next to the field, saved, shown again after a reload', async () => {
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Slow assistant');
    await page.getByLabel('Provider type', { exact: true }).selectOption({ label: 'OpenAI Assistant' });
    await page.getByLabel('Assistant ID', { exact: true }).fill('asst_slow');
    const runTimeout = page.getByLabel('Run timeout (minutes)', { exact: true });
    expect(await runTimeout.inputValue()).toBe('5');
    await page.getByText('A reply that takes longer is cancelled on the server. From 1 to 60 minutes; 5 by default.').waitFor();

    await expectSaveBlockedBy(runTimeout, '90', 'The run timeout must be from 1 to 60 minutes.', 'provider-run-timeout');
    expect(configuredProviders().map((p) => p.name)).toEqual(['Local test server']);

    await runTimeout.fill('12');
    expect(await page.getByText('The run timeout must be from 1 to 60 minutes.').count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    const saved = configuredProviders().find((p) => p.name === 'Slow assistant');
    expect(saved).toMatchObject({ type: 'openai-assistant', assistantId: 'asst_slow', runTimeoutMs: 12 * 60_000 });

    await page.reload();
    await providerButton('Slow assistant').click();
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('Slow assistant');
    expect(await runTimeout.inputValue()).toBe('12');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete “Slow assistant”?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await providerButton('Slow assistant').waitFor({ state: 'detached' });
    expect(configuredProviders().map((p) => p.name)).toEqual(['Local test server']);
  });
});
