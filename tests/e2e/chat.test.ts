/**
 * The Chat window end to end: real Chromium drives the built renderer through the browser host, which runs
 * the real services (chat, conversations, providers, the OS keychain: run under dbus-run-session with an
 * unlocked GNOME keyring) against the local OpenAI-compatible test server over real HTTP and real SSE.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/host';
import type { Handler } from '../../electron/main/ipc/dispatcher';
import { ConversationStore } from '../../electron/main/conversations/conversation-store';
import { createMemoryLogger } from '../../electron/main/logger';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import { faults, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import type { ChannelName, ChannelParsedInput, ChannelResult } from '../../shared/ipc/contract';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import type { Message } from '../../shared/models/conversation';
import { launchChromium } from '../support/chromium';

type WithApi = Window & { switchboard: SwitchboardApi };

const API_KEY = `sk-e2e-chat-${randomBytes(12).toString('hex')}`;

function words(count: number, prefix = 'word'): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join(' ');
}

describe('Chat window', () => {
  let server: OpenAIServer;
  let host: BrowserHost;
  let browser: Browser;
  let context: BrowserContext;
  let dataDir: string;
  let page: Page;
  const pageErrors: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    return p;
  };
  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const replies = () => page.locator('.message-assistant');
  const lastReply = () => replies().last();
  const messageList = () => page.getByRole('region', { name: 'Messages' });
  /** How many messages the open conversation has (the list is virtualised: not all are in the DOM). */
  const messageCount = async () => Number((await page.locator('.message-row').first().getAttribute('aria-setsize')) ?? 0);

  /** Calls a main-side handler directly, to check what main saved. */
  async function mainCall<C extends ChannelName>(channel: C, input: ChannelParsedInput<C>): Promise<ChannelResult<C>> {
    const handler = host.services.handlers[channel] as Handler<C> | undefined;
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(input, { windowId: -1, windowKind: 'chat' });
  }

  async function activeConversationId(): Promise<string> {
    const id = await page.evaluate(() => sessionStorage.getItem('switchboard.chat.activeConversation'));
    if (!id) throw new Error('no open conversation');
    return id;
  }

  async function lastSavedReply(): Promise<Message> {
    const conversation = await mainCall('conversations:get', { id: await activeConversationId() });
    const last = conversation.messages.at(-1);
    if (!last || last.role !== 'assistant') throw new Error('the last saved message is not a reply');
    return last;
  }

  async function send(text: string): Promise<void> {
    const before = (await page.locator('.message-row').count()) ? await messageCount() : 0;
    await composer().fill(text);
    await composer().press('Enter');
    // The question and its reply are in the list (the reply may still be streaming or have failed).
    await expect.poll(messageCount).toBe(before + 2);
  }

  /** Distinct text lengths of the last reply, sampled every frame inside the page until it is no longer streaming. */
  function sampleGrowth(): Promise<number[]> {
    return page.evaluate(async () => {
      const lengths = new Set<number>();
      const started = performance.now();
      let sawStreaming = false;
      for (;;) {
        const all = document.querySelectorAll('.message-assistant');
        const last = all[all.length - 1];
        if (last) {
          const streaming = last.getAttribute('aria-busy') === 'true';
          sawStreaming ||= streaming;
          lengths.add(last.querySelector('.markdown')?.textContent?.length ?? 0);
          if (sawStreaming && !streaming) break;
        }
        if (performance.now() - started > 20_000) break;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return [...lengths];
    });
  }

  beforeAll(async () => {
    server = await startOpenAIServer({ apiKey: API_KEY });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-chat-'));
    host = await startBrowserHost({
      port: 0,
      dataDir,
      fetch: globalThis.fetch,
      log: createMemoryLogger(),
      systemLocale: 'en-US',
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
    page = watch(await context.newPage());
    await page.goto(host.chatUrl);
  });

  afterEach(() => {
    expect(server.violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    server.reset();
  });

  afterAll(async () => {
    await browser?.close();
    for (const p of host ? host.services.config.listProviders() : []) {
      await keytar.deletePassword(KEYCHAIN_SERVICE, p.id).catch(() => false);
    }
    await host?.close();
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('says no provider is configured, opens Settings in one click, and follows the provider saved there live', async () => {
    await page.getByRole('heading', { name: 'No provider configured yet' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send message (Enter)' }).isDisabled()).toBe(true);

    const [settings] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Add a provider' }).click(),
    ]);
    watch(settings);
    await settings.waitForLoadState();
    expect(new URL(settings.url()).pathname).toBe('/settings/');

    // Configure the local server through the Settings window, as a user would.
    await settings.getByRole('button', { name: 'Add provider' }).click();
    await settings.getByLabel('Name', { exact: true }).fill('Local server');
    await settings.getByLabel('Provider type', { exact: true }).selectOption({ label: 'OpenAI Compatible' });
    await settings.getByLabel('API Base URL', { exact: true }).fill(server.url);
    await settings.getByLabel('API Key', { exact: true }).fill(API_KEY);
    await settings.getByRole('combobox', { name: 'Model', exact: true }).fill('gpt-4o-mini');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Saved.', { exact: true }).waitFor();
    await settings.close();

    // providers:changed reaches the Chat window without a reload.
    await page.getByRole('heading', { name: 'No provider configured yet' }).waitFor({ state: 'detached' });
    expect(host.services.config.listProviders()).toHaveLength(1);
  });

  it('sends with Enter and shows the reply growing in several steps, with its token usage', async () => {
    const reply = `Here is a longer answer: ${words(40)}.`;
    server.setBehavior({ reply, chunkDelayMs: 25 });

    await composer().fill('Hello there');
    const growth = sampleGrowth();
    await composer().press('Enter');
    const lengths = await growth;

    // Not all at once: the page saw the reply at many different lengths while it streamed.
    expect(lengths.length).toBeGreaterThan(2);
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe(reply);
    expect(await composer().inputValue()).toBe('');
    await page.locator('.message-user').getByText('Hello there', { exact: true }).waitFor();

    const usage = lastReply().getByRole('note');
    expect(await usage.getAttribute('aria-label')).toMatch(/^Tokens: \d+ prompt, \d+ completion, \d+ total$/);
    // The conversation is titled from the first message and listed in the sidebar.
    await page.getByRole('navigation', { name: 'Conversation list' }).getByRole('button', { name: /^Hello there/ }).waitFor();
    const request = server.lastRequest('/chat/completions');
    expect(request?.body).toMatchObject({ model: 'gpt-4o-mini', stream: true });
  });

  it('Shift+Enter adds a line instead of sending', async () => {
    const before = server.requestsTo('/chat/completions').length;
    await composer().fill('first line');
    await composer().press('Shift+Enter');
    await composer().pressSequentially('second line');
    expect(await composer().inputValue()).toBe('first line\nsecond line');
    expect(server.requestsTo('/chat/completions').length).toBe(before);
    await composer().fill('');
  });

  it('renders GitHub Markdown: a table, a highlighted code block with a working copy button, links that open outside, raw HTML as text', async () => {
    const code = 'def greet(name):\n    return f"Hello {name}"';
    const markdown = [
      'Results:',
      '',
      '| Name | Score |',
      '| ---- | ----- |',
      '| Ada  | 10    |',
      '',
      '- [x] done',
      '- [ ] open',
      '',
      '```python',
      code,
      '```',
      '',
      'See [the docs](https://example.com/docs) or [plain http](http://example.com/).',
      '',
      '<script>window.__pwned = true</script> <img src="x" onerror="window.__pwned = true">',
      '',
      '![a chart](https://example.com/chart.png)',
    ].join('\n');
    server.setBehavior({ reply: markdown, chunkSize: 12 });
    await send('Show me markdown');
    await lastReply().getByRole('button', { name: 'Regenerate' }).waitFor();

    const reply = lastReply();
    const table = reply.getByRole('table');
    await table.getByRole('columnheader', { name: 'Score' }).waitFor();
    await table.getByRole('cell', { name: 'Ada' }).waitFor();
    expect(await reply.getByRole('checkbox').count()).toBe(2);

    const block = reply.locator('.code-block').filter({ has: page.locator('code.language-python') });
    expect(await block.locator('code').textContent()).toBe(code);
    expect(await block.locator('.hljs-keyword').first().textContent()).toBe('def');
    await reply.getByRole('button', { name: 'Copy code (python)' }).click();
    await reply.getByRole('button', { name: 'Copy code (python)' }).getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    // Electron refuses the async clipboard API when the app denies permission checks: copying still works.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await reply.getByRole('button', { name: 'Copy message' }).click();
    await reply.getByRole('button', { name: 'Copy message' }).getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(markdown);

    // https opens in the system browser (recorded by the host); the window itself never navigates.
    const url = page.url();
    await reply.getByRole('link', { name: 'the docs' }).click();
    await expect.poll(() => host.openedExternal).toContain('https://example.com/docs');
    expect(page.url()).toBe(url);
    expect(await reply.getByRole('link', { name: 'plain http' }).count()).toBe(0);
    await reply.getByText('plain http').click();
    expect(host.openedExternal).not.toContain('http://example.com/');

    // Raw HTML is shown, never run; images are not loaded.
    expect(await reply.locator('code.language-html').textContent()).toContain('<script>window.__pwned = true</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(await reply.locator('script, img').count()).toBe(0);
    await reply.getByText('[Image: a chart]').waitFor();
  });

  it('stops a long reply at once with the Stop button: the partial text stays, marked stopped, and the server sees the connection close', async () => {
    const full = words(400, 'token');
    server.setBehavior({ reply: full, chunkDelayMs: 20 });
    const requestsBefore = server.requestsTo('/chat/completions').length;
    await send('Tell me a long story');
    await expect.poll(async () => (await lastReply().locator('.markdown').textContent())?.length ?? 0).toBeGreaterThan(30);

    await page.getByRole('button', { name: 'Stop the reply (Esc)' }).click();
    await lastReply().getByText('Stopped', { exact: true }).waitFor();
    const request = await server.waitFor(
      () => server.requestsTo('/chat/completions').slice(requestsBefore).find((r) => r.clientAborted),
      { timeoutMs: 5000, description: 'the stopped request closed by the client' },
    );
    expect(request.clientAborted).toBe(true);

    const kept = (await lastReply().locator('.markdown').textContent()) ?? '';
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(full.length);
    expect(full.startsWith(kept)).toBe(true);
    // The composer is usable again at once.
    expect(await page.getByRole('button', { name: 'Send message (Enter)' }).count()).toBe(1);
    // What main saved (marked stopped) is what the window shows.
    const saved = await lastSavedReply();
    expect(saved.status).toBe('stopped');
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe(saved.content);
  });

  it('stops with Esc as well', async () => {
    server.setBehavior({ reply: words(400, 'esc'), chunkDelayMs: 20 });
    await send('Another long one');
    await expect.poll(async () => (await lastReply().locator('.markdown').textContent())?.length ?? 0).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
    await lastReply().getByText('Stopped', { exact: true }).waitFor();
  });

  it('regenerates the last reply in place', async () => {
    let n = 0;
    server.setBehavior({ reply: () => `Answer number ${++n}` });
    await send('Count for me');
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe('Answer number 1');
    const count = await messageCount();

    await lastReply().getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe('Answer number 2');
    expect(await messageCount()).toBe(count);
    expect(await lastReply().getByText('Stopped').count()).toBe(0);
  });

  it('edits the last user message and sends it again', async () => {
    await page.locator('.message-user').last().getByRole('button', { name: 'Edit and resend' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit your message' });
    await expect.poll(() => editor.evaluate((el) => el === document.activeElement)).toBe(true);
    await editor.fill('Count again, differently');
    await editor.press('Enter');
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe('Echo: Count again, differently');
    expect(await page.locator('.message-user').last().textContent()).toContain('Count again, differently');
  });

  it('shows a failed reply as one translated sentence with its hint and a Retry button that works', async () => {
    server.nextResponses(faults.streamError('Partial text before', { message: 'Upstream overloaded' }));
    await send('This will fail');
    const error = lastReply().locator('.message-error');
    await error.waitFor();
    // What arrived before the error is kept.
    expect(await lastReply().locator('.markdown').textContent()).toContain('Partial text before');
    expect((await error.locator('.message-error-text').textContent())?.length).toBeGreaterThan(10);

    await error.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe('Echo: This will fail');
    expect(await lastReply().locator('.message-error').count()).toBe(0);
  });

  it('shows a 429 wait as "Rate limited, retrying in N s", then the reply', async () => {
    server.nextResponses(faults.rateLimited({ seconds: 2 }));
    await send('Busy server');
    await lastReply().getByText(/^Rate limited, retrying in [12] s/).waitFor();
    await expect.poll(() => lastReply().locator('.markdown').textContent(), { timeout: 10_000 }).toBe('Echo: Busy server');
    expect(await lastReply().getByText(/Rate limited/).count()).toBe(0);
  });

  it('says when a reply was cut off at the token limit, keeping the text', async () => {
    server.nextResponses(faults.finishReason('length', 'A reply that ends abruptly'));
    await send('Long answer please');
    await lastReply().getByText('The reply was cut off at the token limit.').waitFor();
    expect(await lastReply().locator('.markdown').textContent()).toBe('A reply that ends abruptly');
  });

  it('shows reasoning in a collapsed Thinking block, apart from the answer', async () => {
    server.nextResponses(faults.reasoningContent('Let me think about it.', 'The answer is 42.'));
    await send('Think first');
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe('The answer is 42.');
    const thinking = lastReply().locator('details.thinking');
    expect(await thinking.getAttribute('open')).toBeNull();
    await thinking.getByText('Thinking', { exact: true }).click();
    await thinking.getByText('Let me think about it.').waitFor();
    expect(await lastReply().locator('.markdown').textContent()).not.toContain('Let me think');
  });

  it('keeps the history after a reload', async () => {
    const before = await messageCount();
    await page.reload();
    await lastReply().locator('.markdown').getByText('The answer is 42.').waitFor();
    expect(await messageCount()).toBe(before);
    await page.getByRole('navigation', { name: 'Conversation list' }).getByRole('button', { name: /^Hello there/ }).waitFor();
  });

  it('re-attaches to a reply that is still streaming when the page reloads, and shows the rest', async () => {
    const full = words(120, 'live');
    server.setBehavior({ reply: full, chunkDelayMs: 25 });
    await send('Stream through a reload');
    await expect.poll(async () => (await lastReply().locator('.markdown').textContent())?.length ?? 0).toBeGreaterThan(20);
    await page.reload();
    // The reply continues after the reload and completes in full, without a duplicated delta.
    await expect.poll(() => lastReply().locator('.markdown').textContent(), { timeout: 20_000 }).toBe(full);
    await lastReply().getByRole('button', { name: 'Regenerate' }).waitFor();
  });

  it('keeps the composer of another conversation usable while a reply streams, and manages conversations', async () => {
    server.setBehavior({ reply: words(200, 'bg'), chunkDelayMs: 20 });
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await send('Background reply');
    await page.getByRole('button', { name: 'Stop the reply (Esc)' }).waitFor();
    const streamingTitle = 'Background reply';

    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await expect.poll(() => composer().evaluate((el) => el === document.activeElement)).toBe(true);
    server.setBehavior({ reply: 'Quick answer', chunkDelayMs: 0 });
    await send('Quick question');
    await expect.poll(() => lastReply().locator('.markdown').textContent()).toBe('Quick answer');

    const list = page.getByRole('navigation', { name: 'Conversation list' });
    // Sorted by last activity: the newest conversation first.
    await expect.poll(() => list.getByRole('button').first().textContent()).toContain('Quick question');
    await list.getByRole('button', { name: new RegExp(`^${streamingTitle}`) }).click();
    await page.getByRole('button', { name: 'Stop the reply (Esc)' }).click();
    await lastReply().getByText('Stopped', { exact: true }).waitFor();

    // Search by title.
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('quick');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('');

    // Rename in place, keyboard only: F2 on the focused conversation.
    await list.getByRole('button', { name: /^Quick question/ }).focus();
    await page.keyboard.press('F2');
    const title = page.getByRole('textbox', { name: 'Conversation title' });
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    await title.fill('Renamed chat');
    await title.press('Enter');
    await list.getByRole('button', { name: /^Renamed chat/ }).waitFor();
    expect((await mainCall('conversations:list', undefined)).some((c) => c.title === 'Renamed chat')).toBe(true);

    // Delete with confirmation (the row's buttons appear under the pointer); Esc keeps it.
    const row = list.getByRole('listitem').filter({ hasText: 'Renamed chat' });
    await row.hover();
    await row.getByRole('button', { name: 'Delete “Renamed chat”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this conversation?' });
    await dialog.waitFor();
    // The safe choice has focus; Esc closes the dialog (and stops nothing).
    await expect.poll(() => dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await list.getByRole('button', { name: /^Renamed chat/ }).waitFor();
    // Keyboard only: Delete on the focused row asks too.
    await list.getByRole('button', { name: /^Renamed chat/ }).focus();
    await page.keyboard.press('Delete');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await list.getByRole('button', { name: /^Renamed chat/ }).waitFor({ state: 'detached' });
    expect((await mainCall('conversations:list', undefined)).some((c) => c.title === 'Renamed chat')).toBe(false);
  });

  it('switches the whole window to Traditional Chinese live', async () => {
    await page.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'zh-TW' }));
    await page.getByRole('button', { name: '新對話', exact: true }).waitFor();
    await page.getByRole('textbox', { name: '訊息', exact: true }).waitFor();
    await page.getByRole('searchbox', { name: '搜尋對話' }).waitFor();
    await lastReply().getByRole('button', { name: '重新產生' }).waitFor();
    await page.evaluate(() => (window as unknown as WithApi).switchboard.app.setPreferences({ language: 'en' }));
    await page.getByRole('button', { name: 'New chat', exact: true }).waitFor();
  });

  it('labels every control and exposes the message list and its live region', async () => {
    await messageList().waitFor();
    expect(await page.locator('[aria-live="polite"][role="log"]').count()).toBeGreaterThan(0);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, textarea')]
        .filter((el) => {
          const label = (el as HTMLElement).getAttribute('aria-label') ?? '';
          const text = el.textContent?.trim() ?? '';
          const labelled = (el as HTMLInputElement).labels?.length ?? 0;
          return !label && !text && !labelled;
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
  });
});

describe('Chat window with a very long conversation', () => {
  const COUNT = 10_000;
  /** Older, short conversations: the sidebar holds more than fits on screen. */
  const SMALL = 300;
  let host: BrowserHost;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-chat-long-'));
    // Written through the real conversation store, as the app would have saved it.
    const store = new ConversationStore({ dataDir, log: createMemoryLogger() });
    await store.init();
    const start = Date.parse('2026-01-01T00:00:00Z');
    const messages: Message[] = Array.from({ length: COUNT }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: i % 2 === 0 ? `Question ${i}` : `Answer ${i} with **bold** text and \`code\`.\n\n- a list item\n- another`,
      status: 'complete',
      createdAt: new Date(start + i * 1000).toISOString(),
    }));
    await store.create({
      id: randomUUID(),
      title: 'Ten thousand messages',
      providerId: null,
      model: '',
      createdAt: messages[0]!.createdAt,
      updatedAt: messages.at(-1)!.createdAt,
      messages,
    });
    for (let i = 0; i < SMALL; i++) {
      const at = new Date(Date.parse('2025-06-01T00:00:00Z') - i * 60_000).toISOString();
      await store.create({
        id: `small-${i}`,
        title: `Small conversation ${i}`,
        providerId: null,
        model: '',
        createdAt: at,
        updatedAt: at,
        messages: [
          { id: `small-${i}-q`, role: 'user', content: `Small question ${i}`, status: 'complete', createdAt: at },
          { id: `small-${i}-a`, role: 'assistant', content: `Small answer ${i}`, status: 'complete', createdAt: at },
        ],
      });
    }
    await store.flush();
    host = await startBrowserHost({ port: 0, dataDir, fetch: globalThis.fetch, log: createMemoryLogger(), systemLocale: 'en-US' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens at the latest message with only the visible messages in the DOM, and scrolls to the first one', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.chatUrl);
    await page.getByText(`Answer ${COUNT - 1} with`).waitFor();
    // Opened at the end: the last message is in view.
    const atEnd = () => page.locator('.message-scroll').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2);
    await expect.poll(atEnd).toBe(true);
    const rows = page.locator('.message-row');
    expect(Number(await rows.first().getAttribute('aria-setsize'))).toBe(COUNT);
    // Virtualised: a screenful plus overscan, not ten thousand.
    expect(await rows.count()).toBeLessThan(60);

    const scroller = page.getByRole('region', { name: 'Messages' });
    await scroller.focus();
    await page.keyboard.press('Home');
    await page.getByText('Question 0', { exact: true }).waitFor();
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(0);
    expect(await rows.count()).toBeLessThan(60);
    await page.keyboard.press('End');
    await expect.poll(atEnd).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads older messages as the user scrolls up, keeping the message being read in place', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.chatUrl);
    await page.getByText(`Answer ${COUNT - 1} with`).waitFor();
    const rows = page.locator('.message-row');
    const positions = async () => (await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('aria-posinset'))))).sort((a, b) => a - b);
    const scroller = page.locator('.message-scroll');
    // Opened with the latest page only.
    expect((await positions())[0]).toBeGreaterThan(COUNT - 100);

    // Up to the first loaded message: the page before it is loaded and put above it, and the message
    // that was at the top stays where it was instead of the view jumping to the older ones.
    const firstLoaded = COUNT - 100;
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await positions())[0]).toBeLessThan(firstLoaded + 1);
    const anchored = page.locator(`.message-row[aria-posinset="${firstLoaded + 1}"]`);
    await expect.poll(() => anchored.textContent()).toContain(`Question ${firstLoaded}`);
    const offset = async () =>
      (await anchored.evaluate((el) => el.getBoundingClientRect().top)) - (await scroller.evaluate((el) => el.getBoundingClientRect().top));
    await expect.poll(offset).toBeLessThan(40);
    expect(await offset()).toBeGreaterThanOrEqual(0);
    expect(await scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
    // Still a bounded DOM, and the whole conversation counted for assistive technology.
    expect(await rows.count()).toBeLessThan(60);
    expect(Number(await rows.first().getAttribute('aria-setsize'))).toBe(COUNT);

    // And again: each page comes before the last one.
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await positions())[0]).toBeLessThan(firstLoaded - 100 + 1);
    await page.locator(`.message-row[aria-posinset="${firstLoaded - 100 + 1}"]`).getByText(`Question ${firstLoaded - 100}`, { exact: true }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a long conversation list virtualised, searchable and navigable with the keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.chatUrl);
    const list = page.getByRole('navigation', { name: 'Conversation list' });
    const items = list.getByRole('listitem');
    await list.getByRole('button', { name: /^Ten thousand messages/ }).waitFor();
    expect(await items.first().getAttribute('aria-setsize')).toBe(String(SMALL + 1));
    expect(await items.count()).toBeLessThan(60);
    // One tab stop for the whole list: the open conversation.
    const tabStops = list.locator('.conversation-open[tabindex="0"]');
    expect(await tabStops.count()).toBe(1);
    expect(await tabStops.textContent()).toContain('Ten thousand messages');

    const focused = () =>
      page.evaluate(() => {
        const row = document.activeElement?.closest('li');
        return row ? { pos: Number(row.getAttribute('aria-posinset')), title: row.querySelector('.conversation-title')?.textContent ?? '' } : null;
      });
    const inView = () =>
      page.evaluate(() => {
        const row = document.activeElement?.closest('li');
        const nav = document.querySelector('.conversation-nav');
        if (!row || !nav) return false;
        const r = row.getBoundingClientRect();
        const n = nav.getBoundingClientRect();
        return r.top >= n.top - 1 && r.bottom <= n.bottom + 1;
      });
    await tabStops.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toEqual({ pos: 2, title: 'Small conversation 0' });
    // To the end of the list, which was not even rendered: it is scrolled into view and focused.
    await page.keyboard.press('End');
    await expect.poll(focused).toEqual({ pos: SMALL + 1, title: `Small conversation ${SMALL - 1}` });
    await expect.poll(inView).toBe(true);
    expect(await items.count()).toBeLessThan(60);
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await focused())?.pos ?? SMALL + 1).toBeLessThan(SMALL + 1 - 5);
    await expect.poll(inView).toBe(true);
    // F2 renames the focused row in place; Esc cancels and focus is back on the row.
    await page.keyboard.press('End');
    await page.keyboard.press('F2');
    const title = page.getByRole('textbox', { name: 'Conversation title' });
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(focused).toEqual({ pos: SMALL + 1, title: `Small conversation ${SMALL - 1}` });
    await page.keyboard.press('Home');
    await expect.poll(focused).toEqual({ pos: 1, title: 'Ten thousand messages' });
    // Arrow keys move focus only; Enter opens.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Small conversation 1', exact: true }).waitFor();
    await page.getByText('Small answer 1', { exact: true }).waitFor();
    // Still one tab stop, on the row last focused: Tab passes the list in one step, not 300.
    expect(await tabStops.count()).toBe(1);
    expect(await tabStops.textContent()).toContain('Small conversation 1');

    // Search reaches conversations far down the list.
    await page.getByRole('searchbox', { name: 'Search conversations' }).fill('Small conversation 287');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().getAttribute('aria-setsize')).toBe('1');
    expect(errors).toEqual([]);
    await page.close();
  });
});
