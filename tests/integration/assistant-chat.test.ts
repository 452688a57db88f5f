/**
 * OpenAI Assistant conversations through the real services (chat service, conversation store, IPC
 * dispatcher) against the local test server: one thread per conversation, reused across messages and
 * saved with it; statuses and errors as the window sees them; Stop, timeout, polling; deleting the thread.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../shared/models/provider';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import { headerAccount } from '../../electron/main/secrets/key-vault';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { startRig, waitUntil, type Rig } from '../support/chat-rig';
import * as turns from '../support/chat-turns';

const KEY = 'sk-assistant-chat-key-424242';

let server: OpenAIServer;
let api: AssistantsApi;
let rig: Rig;
let sleeps: number[];

beforeAll(async () => {
  api = new AssistantsApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [assistantsRoutes(api)] });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  sleeps = [];
  rig = startRig({
    assistant: {
      sleep: (ms, signal) => {
        sleeps.push(ms);
        return new Promise((resolve, reject) => {
          if (signal.aborted) return reject(signal.reason as Error);
          setTimeout(resolve, 1);
        });
      },
    },
  });
});

afterEach(async () => {
  await rig.close();
  // The key never reaches the log.
  expect(rig.log.lines.join('\n')).not.toContain(KEY);
  await expectWithinSpecThenReset(api, server);
});

function addAssistantProvider(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return rig.addProvider(
    {
      type: 'openai-assistant',
      name: 'Support assistant',
      baseUrl: server.url,
      model: '',
      assistantId: api.createAssistant({ name: 'Support', model: 'gpt-4o' }),
      ...overrides,
    },
    KEY,
  );
}

// Through whichever rig is current: a test may restart it.
const newConversation = (provider: ProviderConfig) => turns.newConversation(rig, provider);
const send = (conversationId: string, text: string) => turns.sendAndAwaitReply(rig, conversationId, text);

describe('Assistant conversations', () => {
  it('keeps one thread per conversation: reused for every message, saved with it, never shared', async () => {
    const provider = addAssistantProvider();
    const a = await newConversation(provider);
    const first = await send(a.id, 'First question');
    expect(first.final.status).toBe('complete');
    expect(first.content).toBe('Assistant reply 1 in this thread: First question');
    const second = await send(a.id, 'Second question');
    expect(second.content).toBe('Assistant reply 2 in this thread: Second question');

    const savedA = await rig.call('conversations:get', { id: a.id });
    expect(savedA.threadId).toMatch(/^thread_/);
    expect(savedA.threadProviderId).toBe(provider.id);
    expect(api.messagesOfThread(savedA.threadId as string).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(savedA.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(savedA.messages[1]?.usage).toEqual({ promptTokens: 21, completionTokens: 13, totalTokens: 34 });

    const b = await newConversation(provider);
    const other = await send(b.id, 'Elsewhere');
    expect(other.content).toBe('Assistant reply 1 in this thread: Elsewhere');
    const savedB = await rig.call('conversations:get', { id: b.id });
    expect(savedB.threadId).toMatch(/^thread_/);
    expect(savedB.threadId).not.toBe(savedA.threadId);
    expect(server.requestsTo('/threads', 'POST')).toHaveLength(2);
  });

  it('survives an app restart: the saved thread is reused', async () => {
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    await send(c.id, 'before restart');
    const threadId = (await rig.call('conversations:get', { id: c.id })).threadId;
    rig = await rig.restart();
    const after = await send(c.id, 'after restart');
    expect(after.content).toBe('Assistant reply 2 in this thread: after restart');
    expect((await rig.call('conversations:get', { id: c.id })).threadId).toBe(threadId);
  });

  it('shows tool status lines, keeps citations with the message, and shows usage', async () => {
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    // Slow steps, so each status line outlives the per-frame coalescing.
    api.queueRun({ text: 'Found it.', tools: ['file_search'], citations: [{ fileId: 'file-9', quote: 'the quote' }], delayMs: 80 });
    const reply = await send(c.id, 'search my files');
    expect(reply.final.status).toBe('complete');
    const lines = reply.events.filter((e) => e.statusLine).map((e) => e.statusLine?.text ?? null);
    expect(lines).toContain('Searching files…');
    expect(lines.at(-1)).toBeNull();
    expect(reply.content).toBe('Found it. [1]');
    expect(reply.usage).toEqual({ promptTokens: 21, completionTokens: 13, totalTokens: 34 });
    const saved = await rig.call('conversations:get', { id: c.id });
    expect(saved.messages[1]?.annotations).toEqual([{ type: 'file_citation', text: '[1]', fileId: 'file-9', quote: 'the quote' }]);
  });

  it('falls back to polling on a server that cannot stream runs, honouring openai-poll-after-ms', async () => {
    api.configure({ runStreaming: 'reject', pollAfterMs: 30 });
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    api.queueRun({ text: 'Polled.', pollsBeforeProgress: 2 });
    const reply = await send(c.id, 'hi');
    expect(reply.final.status).toBe('complete');
    expect(reply.content).toBe('Polled.');
    expect(api.lastRun()?.retrieves).toBe(3);
    expect(sleeps).toHaveLength(3);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(30);
  });

  it('Stop aborts the stream, cancels the run on the server and keeps what arrived', async () => {
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    api.queueRun({ text: 'word '.repeat(200), chunkSize: 5, delayMs: 15 });
    const started = await rig.call('chat:send', { conversationId: c.id, text: 'long answer please' });
    await waitUntil(() => rig.streamEvents(started.streamId).some((e) => e.contentDelta), 10_000, 'the first delta');
    const stopped = await rig.call('chat:stop', { conversationId: c.id });
    expect(stopped.stopped).toBe(true);
    const reply = await rig.finished(started.streamId);
    expect(reply.final.status).toBe('stopped');
    await server.waitFor(() => api.lastRun()?.status === 'cancelled', { description: 'the run to be cancelled' });
    expect(api.lastRun()?.cancelRequests).toBe(1);
    const saved = await rig.call('conversations:get', { id: c.id });
    const kept = saved.messages[1]?.content ?? '';
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan('word '.repeat(200).length);
    // The thread is free again: the next message works.
    const next = await send(c.id, 'next');
    expect(next.final.status).toBe('complete');
  });

  it('cancels a run past the provider’s timeout and fails the message with "Assistant run timeout"', async () => {
    const provider = addAssistantProvider({ runTimeoutMs: 1000 });
    const c = await newConversation(provider);
    api.queueRun({ text: 'Working on it', hang: true });
    const reply = await send(c.id, 'slow one');
    expect(reply.final.status).toBe('failed');
    expect(reply.final.error).toMatchObject({ code: 'ASSISTANT_RUN_TIMEOUT', message: 'Assistant run timeout' });
    expect(reply.content).toBe('Working on it');
    expect(api.lastRun()?.status === 'cancelled' || api.lastRun()?.status === 'cancelling').toBe(true);
    expect(api.lastRun()?.cancelRequests).toBe(1);
  });

  it('fails each run outcome with its own error, keeping the text that arrived', async () => {
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    const cases: Array<[Parameters<AssistantsApi['queueRun']>[0], string]> = [
      [{ outcome: 'failed', text: 'part', lastError: { code: 'server_error', message: 'Boom.' } }, 'ASSISTANT_RUN_FAILED'],
      [{ outcome: 'cancelled', text: 'part' }, 'ASSISTANT_RUN_CANCELLED'],
      [{ outcome: 'expired', text: 'part' }, 'ASSISTANT_RUN_EXPIRED'],
      [{ outcome: 'incomplete', text: 'part' }, 'ASSISTANT_RUN_INCOMPLETE'],
      [{ outcome: 'no_message' }, 'ASSISTANT_NO_RESPONSE'],
      [{ outcome: 'requires_action' }, 'ASSISTANT_REQUIRES_ACTION'],
    ];
    for (const [script, code] of cases) {
      api.queueRun(script);
      const reply = await send(c.id, `case ${code}`);
      expect(reply.final.status, code).toBe('failed');
      expect(reply.final.error?.code, code).toBe(code);
      if (script.text) expect(reply.content, code).toBe(script.text);
    }
    const saved = await rig.call('conversations:get', { id: c.id });
    expect(saved.messages.filter((m) => m.role === 'assistant').map((m) => m.error?.code)).toEqual(cases.map(([, code]) => code));
    // requires_action did not leave the thread blocked.
    expect(api.runsOfThread(saved.threadId as string).every((r) => !['queued', 'in_progress', 'requires_action'].includes(r.status))).toBe(true);
  });

  it('says "OpenAI Assistant ID is required" at send, and tells an unknown assistant from a server without the API', async () => {
    const missing = addAssistantProvider({ assistantId: '' });
    const c1 = await newConversation(missing);
    const r1 = await send(c1.id, 'hi');
    expect(r1.final.error).toMatchObject({ code: 'MISSING_ASSISTANT_ID', message: 'OpenAI Assistant ID is required' });

    const unknown = addAssistantProvider({ assistantId: 'asst_unknown' });
    const c2 = await newConversation(unknown);
    const r2 = await send(c2.id, 'hi');
    expect(r2.final.error?.code).toBe('ASSISTANT_NOT_FOUND');

    api.configure({ served: false });
    const c3 = await newConversation(addAssistantProvider());
    const r3 = await send(c3.id, 'hi');
    expect(r3.final.error?.code).toBe('ASSISTANTS_API_UNAVAILABLE');
    expect(r3.final.error?.message).toContain('2026-08-26');
  });

  it('keeps the thread in step with Regenerate, Retry and edit-and-resend (no doubled question, no discarded answer)', async () => {
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    await send(c.id, 'yes');
    await send(c.id, 'yes');
    const threadId = (await rig.call('conversations:get', { id: c.id })).threadId as string;
    const texts = () => api.messagesOfThread(threadId).map((m) => `${m.role}: ${m.text}`);
    expect(texts()).toEqual([
      'user: yes',
      'assistant: Assistant reply 1 in this thread: yes',
      'user: yes',
      'assistant: Assistant reply 2 in this thread: yes',
    ]);

    api.queueRun({ text: 'Regenerated answer' });
    const regenerated = await rig.call('chat:regenerate', { conversationId: c.id });
    expect((await rig.finished(regenerated.streamId)).content).toBe('Regenerated answer');
    expect(texts()).toEqual(['user: yes', 'assistant: Assistant reply 1 in this thread: yes', 'user: yes', 'assistant: Regenerated answer']);

    // A failed reply, then Retry (a regenerate): the failed run's partial answer leaves the thread too.
    api.queueRun({ outcome: 'failed', text: 'half an ans' });
    expect((await send(c.id, 'third')).final.status).toBe('failed');
    api.queueRun({ text: 'Full answer' });
    const retried = await rig.call('chat:regenerate', { conversationId: c.id });
    expect((await rig.finished(retried.streamId)).content).toBe('Full answer');
    expect(texts().slice(4)).toEqual(['user: third', 'assistant: Full answer']);

    const saved = await rig.call('conversations:get', { id: c.id });
    const lastUser = saved.messages.filter((m) => m.role === 'user').at(-1);
    api.queueRun({ text: 'Answer to the edit' });
    const edited = await rig.call('chat:editAndResend', { conversationId: c.id, messageId: lastUser?.id, text: 'third, edited' });
    expect((await rig.finished(edited.streamId)).content).toBe('Answer to the edit');
    expect(texts().slice(4)).toEqual(['user: third, edited', 'assistant: Answer to the edit']);
  });

  it('deletes the conversation’s thread on the server when asked, and only then', async () => {
    const provider = addAssistantProvider();
    const keep = await newConversation(provider);
    await send(keep.id, 'keep my thread');
    const keptThread = (await rig.call('conversations:get', { id: keep.id })).threadId as string;
    expect(await rig.call('conversations:delete', { id: keep.id })).toEqual({ remoteThreadDeleted: false });
    expect(api.threads.has(keptThread)).toBe(true);

    const drop = await newConversation(provider);
    await send(drop.id, 'delete my thread');
    const droppedThread = (await rig.call('conversations:get', { id: drop.id })).threadId as string;
    expect(await rig.call('conversations:delete', { id: drop.id, deleteRemoteThread: true })).toEqual({ remoteThreadDeleted: true });
    expect(api.threads.has(droppedThread)).toBe(false);
    expect(server.requestsTo(`/threads/${droppedThread}`, 'DELETE')[0]?.headers['openai-beta']).toBe('assistants=v2');
  });

  it('deletes the thread through a gateway that requires a secret header, sending its value from the keychain', async () => {
    // A gateway in front of an Assistants server: its credential is a custom header whose value the config
    // keeps empty (masked) and the keychain keeps for real, like the API key.
    const token = 'Bearer gw-assistant-secret-9f8e7d';
    const gatewayApi = new AssistantsApi();
    const gateway = await startOpenAIServer({
      apiKey: KEY,
      requiredHeaders: { 'cf-aig-authorization': token },
      routes: [assistantsRoutes(gatewayApi)],
    });
    try {
      const provider = addAssistantProvider({
        baseUrl: gateway.url,
        assistantId: gatewayApi.createAssistant({ name: 'Behind a gateway', model: 'gpt-4o' }),
        customHeaders: [{ name: 'cf-aig-authorization', value: '' }],
      });
      rig.secrets.values.set(headerAccount(provider.id, 'cf-aig-authorization'), token);
      const c = await newConversation(provider);
      expect((await send(c.id, 'through the gateway')).final.status).toBe('complete');
      const threadId = (await rig.call('conversations:get', { id: c.id })).threadId as string;

      expect(await rig.call('conversations:delete', { id: c.id, deleteRemoteThread: true })).toEqual({ remoteThreadDeleted: true });
      expect(gatewayApi.threads.has(threadId)).toBe(false);
      expect(gateway.requestsTo(`/threads/${threadId}`, 'DELETE')[0]?.headers['cf-aig-authorization']).toBe(token);
      await gatewayApi.idle();
      expect(gatewayApi.specViolations).toEqual([]);
      expect(gateway.violations.map((v) => v.message)).toEqual([]);
    } finally {
      await gateway.close();
    }
  });

  it('reports why the thread could not be deleted, and still deletes the conversation', async () => {
    const provider = addAssistantProvider();
    const c = await newConversation(provider);
    await send(c.id, 'hello');
    api.configure({ served: false });
    const result = await rig.call('conversations:delete', { id: c.id, deleteRemoteThread: true });
    expect(result.remoteThreadDeleted).toBe(false);
    expect(result.remoteError?.message).toContain('Assistants API');
    expect((await rig.call('conversations:list', undefined)).some((s) => s.id === c.id)).toBe(false);
  });
});
