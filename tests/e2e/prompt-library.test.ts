/**
 * The prompt library end to end: real Chromium drives the built Chat window through the browser host. A
 * prompt with a variable is created in the library dialog, used by typing `/` in the composer (arrow keys,
 * Enter), its variable filled in the small form (Enter), and its text lands in the composer; the same
 * prompt sets a conversation's system prompt from the settings dialog; the library follows zh-TW.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../electron/browser-host/host';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { localProvider, startE2eHost, type E2eHost } from '../support/e2e-host';

type WithApi = Window & { switchboard: SwitchboardApi };

describe('Prompt library', () => {
  let server: OpenAIServer;
  let host: BrowserHost;
  let e2e: E2eHost;
  let page: Page;
  const pageErrors = () => e2e.pageErrors;

  const mainCall: E2eHost['call'] = (channel, input) => e2e.call(channel, input);

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });

  beforeAll(async () => {
    server = await startOpenAIServer();
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-prompts-' });
    host = e2e.host;
    await mainCall('providers:save', localProvider(server.url));
    // Another prompt, so the `/` list has something to move through and filter out.
    await mainCall('prompts:save', { name: 'Code review', text: 'Review this code for bugs.' });
    page = await e2e.open(host.chatUrl);
  });

  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('creates a prompt with a variable, inserts it with / (filling the variable), and uses it as a system prompt', async () => {
    await page.getByRole('button', { name: 'Prompt library', exact: true }).click();
    const library = page.getByRole('dialog', { name: 'Prompt library' });
    await library.waitFor();
    await library.getByRole('button', { name: 'New prompt', exact: true }).click();
    const editor = page.getByRole('dialog', { name: 'New prompt' });
    await editor.getByLabel('Name', { exact: true }).fill('Translate');
    await editor.getByLabel('Text', { exact: true }).fill('Translate into {{language}}: hello');
    await editor.getByText('Asked for when used: language').waitFor();
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('dialog', { name: 'Prompt library' }).getByText('Translate', { exact: true }).waitFor();
    // Search by text narrows the list.
    await page.getByRole('searchbox', { name: 'Search prompts by name or text' }).fill('bugs');
    await page.getByRole('dialog', { name: 'Prompt library' }).getByText('Code review', { exact: true }).waitFor();
    expect(await page.getByRole('dialog', { name: 'Prompt library' }).getByText('Translate', { exact: true }).count()).toBe(0);
    // Esc first clears the search box (Chromium's search field), then closes the dialog.
    await page.keyboard.press('Escape');
    expect(await page.getByRole('searchbox', { name: 'Search prompts by name or text' }).inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Prompt library' }).waitFor({ state: 'detached' });

    // `/` opens the list; typing filters it; arrows move; Enter picks.
    await composer().focus();
    await page.keyboard.type('/');
    const list = page.getByRole('listbox', { name: 'Saved prompts' });
    await list.waitFor();
    expect(await list.getByRole('option').count()).toBe(2);
    await page.keyboard.type('tra');
    expect(await list.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Translate')]);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    // Sorted by name: Code review, Translate. Down moves to Translate.
    await page.keyboard.press('ArrowDown');
    // The composer points at the highlighted option, which says it is selected (read in one go, after React painted).
    const highlighted = () =>
      composer().evaluate((input) => {
        const option = document.getElementById(input.getAttribute('aria-activedescendant') ?? '');
        return option ? [option.getAttribute('role'), option.getAttribute('aria-selected'), option.textContent] : null;
      });
    await expect.poll(highlighted).toEqual(['option', 'true', expect.stringContaining('Translate')]);
    await page.keyboard.press('Enter');

    const fill = page.getByRole('dialog', { name: 'Fill in “Translate”' });
    await fill.waitFor();
    await expect.poll(() => fill.getByLabel('language', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('French');
    await page.keyboard.press('Enter');
    await fill.waitFor({ state: 'detached' });
    await expect.poll(() => composer().inputValue()).toBe('Translate into French: hello');
    expect(await list.count()).toBe(0);

    // Esc closes the list without touching the text.
    await composer().fill('/');
    await list.waitFor();
    await composer().press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await composer().inputValue()).toBe('/');

    // A conversation's system prompt from the library.
    await composer().fill('Hello');
    await composer().press('Enter');
    await page.locator('.message-assistant').getByText('Echo: Hello').waitFor();
    await page.getByRole('button', { name: /^Conversation settings/ }).click();
    const settings = page.getByRole('dialog', { name: 'Conversation settings' });
    await settings.getByLabel('Use a saved prompt', { exact: true }).selectOption({ label: 'Code review' });
    await expect.poll(() => settings.getByLabel('System prompt', { exact: true }).inputValue()).toBe('Review this code for bugs.');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.waitFor({ state: 'detached' });
    const active = await page.evaluate(async () => (await (window as unknown as WithApi).switchboard.conversations.list()));
    expect(active.ok && active.value[0]?.settings?.systemPrompt).toBe('Review this code for bugs.');
    expect(pageErrors()).toEqual([]);
  });

  it('exports the library as a download and imports files: a half-valid one adds nothing and says why', async () => {
    await page.getByRole('button', { name: 'Prompt library', exact: true }).click();
    const library = page.getByRole('dialog', { name: 'Prompt library' });
    await library.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), library.getByRole('button', { name: 'Export', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^switchboard-prompts-.*\.json$/);
    const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    expect(exported.format).toBe('switchboard-prompts');
    expect(exported.prompts.map((p: { name: string }) => p.name)).toEqual(['Code review', 'Translate']);

    const file = library.locator('input[type="file"]');
    const halfValid = JSON.stringify({ ...exported, prompts: [...exported.prompts, { name: 'No text' }] });
    await file.setInputFiles({ name: 'half.json', mimeType: 'application/json', buffer: Buffer.from(halfValid) });
    await library
      .getByRole('alert')
      .getByText('Prompt 3 in half.json cannot be imported (the field “text” is missing or wrong): nothing was imported.')
      .waitFor();
    expect(await mainCall('prompts:list', undefined)).toHaveLength(2);

    // The library's own export holds nothing new: importing it adds nothing and says so.
    await file.setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await library.getByRole('status').getByText('Imported 0 prompts (2 already in your library).').waitFor();
    expect(await mainCall('prompts:list', undefined)).toHaveLength(2);
    // A prompt whose text changed is a new prompt; the unchanged one is skipped.
    const edited = { ...exported, prompts: [exported.prompts[0], { ...exported.prompts[1], text: 'Translate into German: {{text}}' }] };
    await file.setInputFiles({ name: 'edited.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
    await library.getByRole('status').getByText('Imported 1 prompt (1 already in your library).').waitFor();
    const after = await mainCall('prompts:list', undefined);
    expect(after).toHaveLength(3);
    // Back to the two this file's next test expects.
    for (const prompt of after.filter((p) => p.text === 'Translate into German: {{text}}')) await mainCall('prompts:delete', { id: prompt.id });
    await page.keyboard.press('Escape');
    await library.waitFor({ state: 'detached' });
    expect(pageErrors()).toEqual([]);
  });

  it('shows the library in zh-TW', async () => {
    await page.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'zh-TW' }));
    await page.getByRole('button', { name: '提示詞庫', exact: true }).click();
    const library = page.getByRole('dialog', { name: '提示詞庫' });
    await library.waitFor();
    await library.getByRole('searchbox', { name: '依名稱或內容搜尋提示詞' }).waitFor();
    await library.getByRole('button', { name: '新增提示詞', exact: true }).waitFor();
    await library.getByRole('button', { name: '編輯「Translate」', exact: true }).waitFor();
    await library.getByRole('button', { name: '刪除「Translate」', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: '要刪除「Translate」嗎？' });
    await confirm.getByRole('button', { name: '刪除', exact: true }).click();
    await library.getByRole('button', { name: '編輯「Translate」', exact: true }).waitFor({ state: 'detached' });
    expect((await mainCall('prompts:list', undefined)).map((p) => p.name)).toEqual(['Code review']);
    // A refusal reads in zh-TW too.
    await library.locator('input[type="file"]').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('[]') });
    await library.getByRole('alert').getByText('other.json 不是 Switchboard 的提示詞庫，未匯入任何內容。').waitFor();
    await page.keyboard.press('Escape');
    await library.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: '訊息', exact: true }).fill('/');
    await page.getByRole('listbox', { name: '已儲存的提示詞' }).waitFor();
    await page.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'en' }));
    expect(pageErrors()).toEqual([]);
  });
});
