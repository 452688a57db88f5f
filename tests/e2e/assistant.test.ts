/**
 * An OpenAI Assistant provider end to end: real Chromium drives the built renderer through the browser
 * host (real services, the real OS keychain under dbus-run-session with an unlocked GNOME keyring) against
 * the local test server's Assistants API. Two messages in one conversation share a thread; a message in
 * another conversation gets its own; replies stream in.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { recordBodyTexts, sendAndAwaitReply, startE2eHost, type E2eHost } from '../support/e2e-host';

const API_KEY = `sk-e2e-asst-${randomBytes(12).toString('hex')}`;

describe('OpenAI Assistant provider', () => {
  let server: OpenAIServer;
  let api: AssistantsApi;
  let assistantId: string;
  let e2e: E2eHost;

  beforeAll(async () => {
    api = new AssistantsApi();
    server = await startOpenAIServer({ apiKey: API_KEY, routes: [assistantsRoutes(api)] });
    // Small pieces with a pause between them: the reply visibly streams.
    assistantId = api.createAssistant({ name: 'Helper', model: 'gpt-4o', defaultRun: { chunkSize: 4, delayMs: 25 } });
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-assistant-' });
  });

  afterAll(async () => {
    await e2e?.close();
    await api?.idle();
    await server?.close();
  });

  it('is configured in Settings, and chats on one thread per conversation with streamed replies', async () => {
    // ---- Settings: add the provider by its labelled fields, test it, save it.
    const { host } = e2e;
    const settings = await e2e.open(host.settingsUrl);
    await settings.getByRole('heading', { name: 'Providers' }).waitFor();
    await settings.getByRole('button', { name: 'Add provider' }).click();
    await settings.getByLabel('Name', { exact: true }).fill('Helper assistant');
    await settings.getByLabel('Provider type', { exact: true }).selectOption({ label: 'OpenAI Assistant' });
    await settings.getByLabel('API Base URL', { exact: true }).fill(server.url);
    await settings.getByLabel('API Key', { exact: true }).fill(API_KEY);
    await settings.getByLabel('Assistant ID', { exact: true }).fill(assistantId);
    await settings.getByRole('button', { name: 'Test Connection', exact: true }).click();
    await settings.getByText('Connected to the assistant “Helper” (model gpt-4o).').waitFor();
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Saved.', { exact: true }).waitFor();
    const [provider] = host.services.config.listProviders();
    expect(provider).toMatchObject({ type: 'openai-assistant', assistantId, baseUrl: server.url });

    // ---- Chat: two messages in one conversation, one in another.
    const chat = await e2e.open(host.chatUrl);
    await chat.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
    const seenTexts = await recordBodyTexts(chat);
    const send = (text: string, expectedReply: string) => sendAndAwaitReply(chat, text, expectedReply);

    await send('First question', 'Assistant reply 1 in this thread: First question');
    await send('Second question', 'Assistant reply 2 in this thread: Second question');

    const streamedSnapshots = (await seenTexts()).filter(
      (t) => t.includes('Assistant reply 1 in') && !t.includes('Assistant reply 1 in this thread: First question'),
    );
    expect(streamedSnapshots.length, 'the first reply was seen part-way through').toBeGreaterThan(0);

    await chat.getByRole('button', { name: 'New chat' }).first().click();
    // The new conversation is open (created over IPC) before anything is typed into it.
    await chat.getByRole('heading', { level: 1, name: 'New conversation', exact: true }).waitFor();
    await send('Elsewhere', 'Assistant reply 1 in this thread: Elsewhere');

    // ---- The server agrees: two threads, the first holding both exchanges.
    const threadCreates = server.requestsTo('/threads', 'POST');
    expect(threadCreates).toHaveLength(2);
    const threads = [...api.threads.keys()];
    expect(threads).toHaveLength(2);
    const [first, second] = threads.map((id) => api.messagesOfThread(id));
    expect(first?.map((m) => m.text)).toEqual([
      'First question',
      'Assistant reply 1 in this thread: First question',
      'Second question',
      'Assistant reply 2 in this thread: Second question',
    ]);
    expect(second?.map((m) => m.text)).toEqual(['Elsewhere', 'Assistant reply 1 in this thread: Elsewhere']);
    for (const run of api.runs.values()) expect(run.status).toBe('completed');
    expect(server.requests.filter((r) => /\/runs$/.test(r.routePath ?? '')).every((r) => (r.body as { stream?: boolean }).stream === true)).toBe(true);

    // ---- Saved with the conversations.
    const conversations = await host.services.handlers['conversations:list']?.(undefined, { windowId: 0, windowKind: 'chat' });
    expect(conversations?.map((c) => c.threadId).sort()).toEqual([...threads].sort());

    expect(api.specViolations).toEqual([]);
    expect(server.violations.map((v) => v.message)).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
  });
});
