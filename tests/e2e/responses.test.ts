/**
 * An OpenAI Responses provider end to end: real Chromium drives the built renderer through the browser host
 * (real services, the real OS keychain under dbus-run-session with an unlocked GNOME keyring) against the
 * local test server's Responses and Conversations APIs. Two messages in one conversation share the server
 * conversation; a message in another conversation gets its own; replies stream in. An OpenAI Assistant
 * provider on api.openai.com is switched to Responses with one click, keeping its key, which never reaches
 * the page.
 */
import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { ResponsesApi } from '../fixtures/openai-server/responses.js';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes.js';
import { recordBodyTexts, sendAndAwaitReply, startE2eHost, type E2eHost } from '../support/e2e-host';

const API_KEY = `sk-e2e-resp-${randomBytes(12).toString('hex')}`;
const ASSISTANT_KEY = `sk-e2e-asst-${randomBytes(12).toString('hex')}`;

describe('OpenAI Responses provider', () => {
  let server: OpenAIServer;
  let api: ResponsesApi;
  let e2e: E2eHost;
  /** Everything the pages received over the host's WebSocket. */
  const frames: string[] = [];

  async function open(url: string): Promise<Page> {
    const page = await e2e.newPage();
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    api = new ResponsesApi();
    // Small pieces with a pause between them: the reply visibly streams.
    api.defaultScript = { chunkSize: 4, delayMs: 25 };
    server = await startOpenAIServer({ apiKey: API_KEY, routes: [responsesRoutes(api)] });
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-responses-' });
  });

  afterAll(async () => {
    await e2e?.close();
    await api?.idle();
    await server?.close();
  });

  it('is configured in Settings, and keeps one server conversation per conversation with streamed replies', async () => {
    const { host } = e2e;
    // ---- Settings: add the provider by its labelled fields, test it, save it.
    const settings = await open(host.settingsUrl);
    await settings.getByRole('heading', { name: 'Providers' }).waitFor();
    await settings.getByRole('button', { name: 'Add provider' }).click();
    await settings.getByLabel('Name', { exact: true }).fill('OpenAI via Responses');
    await settings.getByLabel('Provider type', { exact: true }).selectOption({ label: 'OpenAI Responses' });
    await settings.getByLabel('API Base URL', { exact: true }).fill(server.url);
    await settings.getByLabel('API Key', { exact: true }).fill(API_KEY);
    await settings.getByRole('combobox', { name: 'Model', exact: true }).fill('gpt-4o-mini');
    await settings.getByLabel('Instructions', { exact: true }).fill('Answer in one line.');
    expect(await settings.getByRole('radio', { name: 'Server keeps the conversation' }).isChecked()).toBe(true);
    await settings.getByRole('button', { name: 'Test Connection', exact: true }).click();
    await settings.getByText('Connected. “gpt-4o-mini” answered through the Responses API.').waitFor();
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Saved.', { exact: true }).waitFor();
    const [provider] = host.services.config.listProviders();
    expect(provider).toMatchObject({ type: 'openai-responses', baseUrl: server.url, model: 'gpt-4o-mini', instructions: 'Answer in one line.', conversationState: 'server' });
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, provider?.id ?? '')).toBe(API_KEY);

    // ---- Chat: two messages in one conversation, one in another.
    const chat = await open(host.chatUrl);
    await chat.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
    const seenTexts = await recordBodyTexts(chat);
    const send = (text: string, expectedReply: string) => sendAndAwaitReply(chat, text, expectedReply);

    await send('First question', 'Echo: First question (earlier user turns: 0)');
    await send('Second question', 'Echo: Second question (earlier user turns: 1)');
    const partial = (await seenTexts()).filter((t) => t.includes('Echo: First') && !t.includes('Echo: First question (earlier user turns: 0)'));
    expect(partial.length, 'the first reply was seen part-way through').toBeGreaterThan(0);

    await chat.getByRole('button', { name: 'New chat' }).first().click();
    await chat.getByRole('heading', { level: 1, name: 'New conversation', exact: true }).waitFor();
    await send('Elsewhere', 'Echo: Elsewhere (earlier user turns: 0)');

    // ---- The server agrees: two conversation objects (besides the one Test Connection made and deleted),
    // the first holding both exchanges.
    const conversations = [...api.conversations.values()].filter((c) => !c.deleted).map((c) => c.id);
    expect(conversations).toHaveLength(2);
    const [first, second] = conversations.map((id) => api.conversationItems(id).map((i) => i.text));
    expect(first).toEqual(['First question', 'Echo: First question (earlier user turns: 0)', 'Second question', 'Echo: Second question (earlier user turns: 1)']);
    expect(second).toEqual(['Elsewhere', 'Echo: Elsewhere (earlier user turns: 0)']);
    // Besides Test Connection's short non-streamed probe, one streamed response per message.
    const turns = server.requestsTo('/responses', 'POST').filter((r) => (r.body as { stream?: boolean }).stream === true);
    expect(turns).toHaveLength(3);
    for (const request of turns) expect(request.body).toMatchObject({ instructions: 'Answer in one line.', input: [{ role: 'user' }] });
    const saved = await host.services.handlers['conversations:list']?.(undefined, { windowId: 0, windowKind: 'chat' });
    expect(saved?.map((c) => c.threadId).sort()).toEqual([...conversations].sort());

    expect(api.specViolations).toEqual([]);
    expect(server.violations.map((v) => v.message)).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
    await settings.close();
    await chat.close();
  });

  it('switches an OpenAI Assistant provider on api.openai.com to OpenAI Responses with one click, keeping name, key and base URL', async () => {
    const { host } = e2e;
    const assistant = await host.services.providers.save({
      type: 'openai-assistant',
      name: 'Support assistant',
      baseUrl: 'https://api.openai.com/v1',
      model: '',
      assistantId: 'asst_support',
      customHeaders: [],
      apiKey: { action: 'set', value: ASSISTANT_KEY },
    });
    // An Assistant provider on another server keeps working: it is not offered the switch.
    await host.services.providers.save({
      type: 'openai-assistant',
      name: 'Self-hosted assistant',
      baseUrl: server.url,
      model: '',
      assistantId: 'asst_local',
      customHeaders: [],
      apiKey: { action: 'keep' },
    });

    const settings = await open(host.settingsUrl);
    await settings.getByRole('heading', { name: 'Providers' }).waitFor();
    await settings.getByRole('button', { name: /^Self-hosted assistant/ }).click();
    await settings.getByLabel('Assistant ID', { exact: true }).waitFor();
    expect(await settings.getByRole('button', { name: 'Switch to OpenAI Responses' }).count()).toBe(0);

    await settings.getByRole('button', { name: /^Support assistant/ }).click();
    const notice = settings.getByRole('region', { name: 'OpenAI retired the Assistants API' });
    await notice.getByText(/shut down the Assistants API on 2026-08-26/).waitFor();
    await notice.getByRole('button', { name: 'Switch to OpenAI Responses' }).click();
    await settings.getByText('Switched to OpenAI Responses. Choose a Model, then test the connection.').waitFor();
    expect(await settings.getByLabel('Provider type', { exact: true }).inputValue()).toBe('openai-responses');
    expect(await settings.getByLabel('Name', { exact: true }).inputValue()).toBe('Support assistant');

    expect(host.services.config.getProvider(assistant.id)).toMatchObject({
      id: assistant.id,
      type: 'openai-responses',
      name: 'Support assistant',
      baseUrl: 'https://api.openai.com/v1',
      conversationState: 'server',
    });
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, assistant.id)).toBe(ASSISTANT_KEY);
    // The key stayed in main: nothing the pages received carries it.
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.some((f) => f.includes(ASSISTANT_KEY) || f.includes(API_KEY))).toBe(false);
    expect(e2e.pageErrors).toEqual([]);
  });
});
