/**
 * OpenAI Responses conversations through the real services (chat service, conversation store, provider
 * resolution, IPC dispatcher) against the local test server's Responses and Conversations APIs: server-side
 * state per conversation (and none across conversations), the stateless mode with `store: false`,
 * reasoning kept apart and never sent back, usage, Stop (closed stream; cancelled background response),
 * Regenerate and edit without duplicate turns on the server, deleting the server conversation, and every
 * failure event and HTTP error as the window sees it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../shared/models/provider';
import { faults, refusedUrl, startOpenAIServer, type Fault, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { ResponsesApi } from '../fixtures/openai-server/responses.js';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes.js';
import { AssistantsApi } from '../fixtures/openai-server/assistants.js';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes.js';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { startRig, waitUntil, type Rig } from '../support/chat-rig';
import * as turns from '../support/chat-turns';

const KEY = 'sk-responses-chat-key-5150';
const MODEL = 'gpt-4o-mini';

let server: OpenAIServer;
let api: ResponsesApi;
let rig: Rig;
let waits: number[];

beforeAll(async () => {
  api = new ResponsesApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [responsesRoutes(api)] });
});

afterAll(async () => {
  await server.close();
});

function newRig(http: { connectTimeoutMs?: number; idleTimeoutMs?: number } = {}): Rig {
  return startRig({
    http,
    chat: {
      sleep: (ms, signal) => {
        waits.push(ms);
        return new Promise((resolve) => (signal.aborted ? resolve() : setTimeout(resolve, 1)));
      },
    },
  });
}

beforeEach(() => {
  waits = [];
  rig = newRig();
});

afterEach(async () => {
  await rig.close();
  // The key never reaches the log.
  expect(rig.log.lines.join('\n')).not.toContain(KEY);
  await expectWithinSpecThenReset(api, server);
});

function addProvider(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return rig.addProvider({ type: 'openai-responses', name: 'OpenAI Responses', baseUrl: server.url, model: MODEL, conversationState: 'server', ...overrides }, KEY);
}

// Through whichever rig is current: a test may restart it.
const newConversation = (provider: ProviderConfig) => turns.newConversation(rig, provider);
const send = (conversationId: string, text: string) => turns.sendAndAwaitReply(rig, conversationId, text);

const responseBodies = () => server.requestsTo('/responses', 'POST').map((r) => r.body as Record<string, unknown>);
const onResponses = (fault: Fault): Fault => ({ ...fault, match: { method: 'POST', path: '/responses' } });

describe('Server keeps the conversation', () => {
  it('gives each Switchboard conversation one server conversation, reused for every message, never shared', async () => {
    const provider = addProvider({ instructions: 'Answer briefly.' });
    const a = await newConversation(provider);
    const first = await send(a.id, 'First question');
    expect(first.final.status).toBe('complete');
    expect(first.content).toBe('Echo: First question (earlier user turns: 0)');
    const second = await send(a.id, 'Second question');
    expect(second.content).toBe('Echo: Second question (earlier user turns: 1)');

    const savedA = await rig.call('conversations:get', { id: a.id });
    expect(savedA.threadId).toMatch(/^conv_/);
    expect(savedA.threadProviderId).toBe(provider.id);
    expect(api.conversationItems(savedA.threadId as string).map((i) => `${i.role}:${i.text}`)).toEqual([
      'user:First question',
      'assistant:Echo: First question (earlier user turns: 0)',
      'user:Second question',
      'assistant:Echo: Second question (earlier user turns: 1)',
    ]);
    // Only the new message goes out; the state lives on the server. Instructions go with every request.
    const [one, two] = responseBodies();
    expect(two).toMatchObject({
      model: MODEL,
      conversation: savedA.threadId,
      input: [{ role: 'user', content: 'Second question' }],
      instructions: 'Answer briefly.',
      store: true,
      stream: true,
      background: true,
    });
    expect(one).not.toHaveProperty('previous_response_id');
    expect(savedA.messages[3]?.usage).toEqual(expect.objectContaining({ totalTokens: expect.any(Number) }));
    expect(second.usage?.completionTokens).toBeGreaterThan(0);

    const b = await newConversation(provider);
    const other = await send(b.id, 'Elsewhere');
    expect(other.content).toBe('Echo: Elsewhere (earlier user turns: 0)');
    const savedB = await rig.call('conversations:get', { id: b.id });
    expect(savedB.threadId).toMatch(/^conv_/);
    expect(savedB.threadId).not.toBe(savedA.threadId);
    expect(server.requestsTo('/conversations', 'POST')).toHaveLength(2);
  });

  it('reuses the saved conversation after an app restart', async () => {
    const provider = addProvider();
    const c = await newConversation(provider);
    await send(c.id, 'before restart');
    const threadId = (await rig.call('conversations:get', { id: c.id })).threadId;
    rig = await rig.restart();
    const after = await send(c.id, 'after restart');
    expect(after.content).toBe('Echo: after restart (earlier user turns: 1)');
    expect((await rig.call('conversations:get', { id: c.id })).threadId).toBe(threadId);
    expect(server.requestsTo('/conversations', 'POST')).toHaveLength(1);
  });

  it('keeps the server conversation in step with Regenerate, Retry and edit-and-resend (no duplicate turns)', async () => {
    const provider = addProvider();
    const c = await newConversation(provider);
    await send(c.id, 'first');
    api.queueResponse({ text: 'A discarded answer' });
    await send(c.id, 'second');
    api.queueResponse({ text: 'Regenerated answer', reasoningSummary: 'Thinking again.' });
    const regenerated = await rig.call('chat:regenerate', { conversationId: c.id });
    expect((await rig.finished(regenerated.streamId)).content).toBe('Regenerated answer');
    const conversationId = (await rig.call('conversations:get', { id: c.id })).threadId as string;
    const texts = () => api.conversationItems(conversationId).map((i) => `${i.type}:${i.role ?? ''}:${i.text}`);
    expect(texts()).toEqual([
      'message:user:first',
      'message:assistant:Echo: first (earlier user turns: 0)',
      'message:user:second',
      'reasoning::Thinking again.',
      'message:assistant:Regenerated answer',
    ]);

    // A failed reply, then Retry (a regenerate): the failed turn leaves the server conversation too.
    api.queueResponse({ outcome: 'failed', text: 'half', error: { code: 'server_error', message: 'Boom.' } });
    const failed = await send(c.id, 'third');
    expect(failed.final.status).toBe('failed');
    const retried = await rig.call('chat:regenerate', { conversationId: c.id });
    expect((await rig.finished(retried.streamId)).content).toBe('Echo: third (earlier user turns: 2)');

    const saved = await rig.call('conversations:get', { id: c.id });
    const lastUser = [...saved.messages].reverse().find((m) => m.role === 'user');
    const edited = await rig.call('chat:editAndResend', { conversationId: c.id, messageId: lastUser?.id, text: 'third, edited' });
    expect((await rig.finished(edited.streamId)).content).toBe('Echo: third, edited (earlier user turns: 2)');
    expect(texts().slice(5)).toEqual(['message:user:third, edited', 'message:assistant:Echo: third, edited (earlier user turns: 2)']);
  });

  it('starts a new server conversation, seeded with the history, when the saved one is gone', async () => {
    const provider = addProvider();
    const c = await newConversation(provider);
    await send(c.id, 'one');
    const before = (await rig.call('conversations:get', { id: c.id })).threadId as string;
    api.conversations.delete(before);
    const after = await send(c.id, 'two');
    expect(after.final.status).toBe('complete');
    expect(after.content).toBe('Echo: two (earlier user turns: 1)');
    const now = (await rig.call('conversations:get', { id: c.id })).threadId as string;
    expect(now).not.toBe(before);
    expect(api.conversationItems(now).map((i) => i.text)).toEqual(['one', 'Echo: one (earlier user turns: 0)', 'two', 'Echo: two (earlier user turns: 1)']);
  });

  it('continues a conversation of an OpenAI Assistant provider switched to Responses: same key, a new server conversation seeded with the history', async () => {
    const assistants = new AssistantsApi();
    const both = await startOpenAIServer({ apiKey: KEY, routes: [assistantsRoutes(assistants), responsesRoutes(api)] });
    try {
      const provider = rig.addProvider(
        { type: 'openai-assistant', name: 'Support', baseUrl: both.url, model: '', assistantId: assistants.createAssistant({ name: 'Support' }) },
        KEY,
      );
      const c = await newConversation(provider);
      expect((await send(c.id, 'Old question')).final.status).toBe('complete');
      const thread = (await rig.call('conversations:get', { id: c.id })).threadId;
      expect(thread).toMatch(/^thread_/);

      // The switch: a save with the same id and the new type; the stored key is kept, never sent.
      const switched = await rig.call('providers:save', {
        id: provider.id,
        type: 'openai-responses',
        name: provider.name,
        baseUrl: provider.baseUrl,
        model: MODEL,
        assistantId: '',
        customHeaders: [],
        apiKey: { action: 'keep' },
      });
      expect(switched).toMatchObject({ id: provider.id, type: 'openai-responses', hasApiKey: true, conversationState: 'server', instructions: '' });

      const reply = await send(c.id, 'New question');
      expect(reply.content).toBe('Echo: New question (earlier user turns: 1)');
      const conv = (await rig.call('conversations:get', { id: c.id })).threadId as string;
      expect(conv).toMatch(/^conv_/);
      expect(api.conversationItems(conv).map((i) => i.text).slice(0, 3)).toEqual(['Old question', 'Assistant reply 1 in this thread: Old question', 'New question']);
      expect(both.lastRequest('/responses')?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(both.violations.map((v) => v.message)).toEqual([]);
      expect(assistants.specViolations).toEqual([]);
    } finally {
      await assistants.idle();
      await both.close();
    }
  });

  it('Stop closes the stream, cancels the background response on the server and keeps what arrived', async () => {
    const provider = addProvider();
    const c = await newConversation(provider);
    api.queueResponse({ text: 'word '.repeat(200), chunkSize: 5, delayMs: 15 });
    const started = await rig.call('chat:send', { conversationId: c.id, text: 'long answer please' });
    await waitUntil(() => rig.streamEvents(started.streamId).some((e) => e.contentDelta), 10_000, 'the first delta');
    expect((await rig.call('chat:stop', { conversationId: c.id })).stopped).toBe(true);
    const reply = await rig.finished(started.streamId);
    expect(reply.final.status).toBe('stopped');
    const response = api.lastResponse();
    expect(response?.background).toBe(true);
    expect(response?.cancelRequests).toBe(1);
    expect(response?.status).toBe('cancelled');
    expect(server.requestsTo(`/responses/${response?.id}/cancel`, 'POST')).toHaveLength(1);
    await server.waitFor(() => server.lastRequest('/responses')?.clientAborted, { description: 'the stream to close' });
    const kept = (await rig.call('conversations:get', { id: c.id })).messages[1]?.content ?? '';
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan('word '.repeat(200).length);
    // The conversation is free again.
    expect((await send(c.id, 'next')).final.status).toBe('complete');
  });

  it('resumes a dropped background stream after the last event seen', async () => {
    const provider = addProvider();
    const c = await newConversation(provider);
    api.queueResponse({ text: 'one two three four five six seven', dropAfterEvents: 7 });
    const reply = await send(c.id, 'go');
    expect(reply.final.status).toBe('complete');
    expect(reply.content).toBe('one two three four five six seven');
    const resumed = server.requests.find((r) => r.method === 'GET' && r.routePath?.startsWith('/responses/'));
    expect(resumed?.query).toMatchObject({ stream: 'true', starting_after: '6' });
  });

  it('runs replies as normal responses on a server that refuses background mode, and remembers it', async () => {
    api.configure({ background: 'reject' });
    const provider = addProvider();
    const c = await newConversation(provider);
    expect((await send(c.id, 'hi')).content).toBe('Echo: hi (earlier user turns: 0)');
    expect(responseBodies().map((b) => b.background)).toEqual([true, undefined]);
    expect(rig.services.config.getQuirks(provider.id)).toEqual({ noBackground: true });
    await send(c.id, 'again');
    expect(responseBodies().map((b) => b.background)).toEqual([true, undefined, undefined]);
  });

  it('cancels a background response left running on the conversation (the app quit mid-reply), then answers', async () => {
    const provider = addProvider();
    const c = await newConversation(provider);
    await send(c.id, 'one');
    const conversationId = (await rig.call('conversations:get', { id: c.id })).threadId as string;
    api.queueResponse({ hang: true });
    const stale = await fetch(`${server.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'left running', conversation: conversationId, background: true }),
    });
    const staleId = ((await stale.json()) as { id: string }).id;
    const reply = await send(c.id, 'two');
    expect(reply.final.status).toBe('complete');
    expect(api.responses.get(staleId)?.status).toBe('cancelled');
  });

  it('deletes the server conversation when asked, and only then', async () => {
    const provider = addProvider();
    const keep = await newConversation(provider);
    await send(keep.id, 'keep it');
    const kept = (await rig.call('conversations:get', { id: keep.id })).threadId as string;
    expect(await rig.call('conversations:delete', { id: keep.id })).toEqual({ remoteThreadDeleted: false });
    expect(api.conversations.get(kept)?.deleted).toBe(false);

    const drop = await newConversation(provider);
    await send(drop.id, 'delete it');
    const dropped = (await rig.call('conversations:get', { id: drop.id })).threadId as string;
    expect(await rig.call('conversations:delete', { id: drop.id, deleteRemoteThread: true })).toEqual({ remoteThreadDeleted: true });
    expect(api.conversations.get(dropped)?.deleted).toBe(true);
  });

  it('says the server cannot keep conversations when it has no Conversations API', async () => {
    api.configure({ conversationsServed: false });
    const c = await newConversation(addProvider());
    const reply = await send(c.id, 'hi');
    expect(reply.final.error).toMatchObject({ code: 'RESPONSES_API_UNAVAILABLE', params: { context: 'conversations', status: 404 } });
    expect(reply.final.error?.hint).toContain('Send the history');
  });
});

describe('Send the history (stateless)', () => {
  it('sends the whole history with store:false, keeps nothing on the server, and never sends reasoning back', async () => {
    const provider = addProvider({ conversationState: 'stateless', instructions: 'Be kind.' });
    const c = await newConversation(provider);
    api.queueResponse({ reasoningSummary: 'Let me think about greetings.', text: 'Hello!' });
    const first = await send(c.id, 'Hi');
    expect(first.content).toBe('Hello!');
    expect(first.reasoning).toBe('Let me think about greetings.');
    const second = await send(c.id, 'And again');
    expect(second.content).toBe('Echo: And again (earlier user turns: 1)');

    const [one, two] = responseBodies();
    expect(one).toMatchObject({ store: false, instructions: 'Be kind.', input: [{ role: 'user', content: 'Hi' }] });
    expect(two).toEqual(
      expect.objectContaining({
        store: false,
        input: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'And again' },
        ],
      }),
    );
    expect(JSON.stringify(two)).not.toContain('greetings');
    expect(two).not.toHaveProperty('conversation');
    expect(two).not.toHaveProperty('background');
    expect(server.requestsTo('/conversations', 'POST')).toHaveLength(0);
    expect((await rig.call('conversations:get', { id: c.id })).threadId).toBeUndefined();
    const saved = (await rig.call('conversations:get', { id: c.id })).messages[1];
    expect(saved?.reasoning).toBe('Let me think about greetings.');
    expect(saved?.content).toBe('Hello!');
  });

  it('Stop closes the stream (the server sees it) and keeps what arrived', async () => {
    const c = await newConversation(addProvider({ conversationState: 'stateless' }));
    api.queueResponse({ text: 'word '.repeat(200), chunkSize: 5, delayMs: 15 });
    const started = await rig.call('chat:send', { conversationId: c.id, text: 'long' });
    await waitUntil(() => rig.streamEvents(started.streamId).some((e) => e.contentDelta), 10_000, 'the first delta');
    await rig.call('chat:stop', { conversationId: c.id });
    const reply = await rig.finished(started.streamId);
    expect(reply.final.status).toBe('stopped');
    await server.waitFor(() => server.lastRequest('/responses')?.clientAborted, { description: 'the stream to close' });
    await api.idle();
    expect(api.lastResponse()?.status).toBe('cancelled');
    expect(api.lastResponse()?.cancelRequests).toBe(0);
    expect(reply.content.length).toBeGreaterThan(0);
  });

  it('shows raw reasoning text (open-weight models) apart from the answer', async () => {
    const c = await newConversation(addProvider({ conversationState: 'stateless' }));
    api.queueResponse({ reasoningText: 'step one, step two', text: 'Done.' });
    const reply = await send(c.id, 'think');
    expect(reply.reasoning).toBe('step one, step two');
    expect(reply.content).toBe('Done.');
  });
});

describe('Failures', () => {
  it('fails with the server’s error on response.failed, keeping what arrived', async () => {
    const c = await newConversation(addProvider());
    api.queueResponse({ outcome: 'failed', text: 'Partial', error: { code: 'server_error', message: 'The model crashed.' } });
    const reply = await send(c.id, 'x');
    expect(reply.content).toBe('Partial');
    expect(reply.final).toMatchObject({
      status: 'failed',
      error: { code: 'RESPONSE_FAILED', message: 'The response failed. server_error: The model crashed.', params: { lastError: 'server_error: The model crashed.' } },
    });
  });

  it.each([
    ['max_output_tokens', 'CUT_OFF_LENGTH', 'length'],
    ['content_filter', 'CONTENT_FILTERED', 'content_filter'],
  ] as const)('says why a response ended incomplete (%s), keeping the text', async (reason, code, finishReason) => {
    const c = await newConversation(addProvider());
    api.queueResponse({ outcome: 'incomplete', incompleteReason: reason, text: 'Cut here' });
    const reply = await send(c.id, 'x');
    expect(reply.content).toBe('Cut here');
    expect(reply.final).toMatchObject({ status: 'failed', finishReason, error: { code } });
    expect(reply.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('shows an error event inside the stream with the server’s message', async () => {
    const c = await newConversation(addProvider());
    api.queueResponse({ outcome: 'error', text: 'Before', error: { code: 'rate_limit_exceeded', message: 'Slow down please.' } });
    const reply = await send(c.id, 'x');
    expect(reply.content).toBe('Before');
    expect(reply.final.error).toMatchObject({ code: 'STREAM_ERROR', params: { detail: 'Slow down please.', serverCode: 'rate_limit_exceeded' } });
  });

  it('waits out a 429 (shown as a wait), then answers', async () => {
    const c = await newConversation(addProvider());
    server.nextResponses(onResponses(faults.rateLimited({ seconds: 2 })));
    const reply = await send(c.id, 'x');
    expect(reply.retryWaits).toEqual([{ attempt: 1, seconds: 2, reason: 'rate-limited' }]);
    expect(waits).toEqual([2000]);
    expect(reply.final.status).toBe('complete');

    // A server still loading its model says when to come back (503 + retry-after): waited out the same way.
    server.nextResponses(onResponses({ kind: 'error', status: 503, retryAfterSeconds: 1 }));
    const loading = await send(c.id, 'y');
    expect(loading.retryWaits).toEqual([{ attempt: 1, seconds: 1, reason: 'unavailable' }]);
    expect(loading.final.status).toBe('complete');
  });

  it.each([
    ['500', 'SERVER_ERROR', faults.serverError()],
    ['502 HTML', 'SERVER_ERROR', faults.badGateway()],
    ['401', 'AUTH_FAILED', faults.invalidApiKey()],
    ['200 HTML page', 'NOT_OPENAI_API', faults.htmlOk()],
  ] as const)('maps HTTP %s to %s', async (_what, code, fault) => {
    const c = await newConversation(addProvider({ conversationState: 'stateless' }));
    server.nextResponses(onResponses(fault));
    const reply = await send(c.id, 'x');
    expect(reply.final).toMatchObject({ status: 'failed', error: { code } });
  });

  it('names an unknown model', async () => {
    const c = await newConversation(addProvider({ conversationState: 'stateless', model: 'gpt-9' }));
    expect((await send(c.id, 'x')).final.error).toMatchObject({ code: 'MODEL_NOT_FOUND', params: { model: 'gpt-9' } });
  });

  it('tells a server without the Responses API from a wrong base URL', async () => {
    api.configure({ served: false });
    const c = await newConversation(addProvider({ conversationState: 'stateless' }));
    expect((await send(c.id, 'x')).final.error).toMatchObject({ code: 'RESPONSES_API_UNAVAILABLE', params: { status: 404 } });

    const wrong = await newConversation(addProvider({ conversationState: 'stateless', baseUrl: server.origin }));
    expect((await send(wrong.id, 'x')).final.error).toMatchObject({ code: 'NOT_FOUND_PATH', params: { suggestion: `${server.origin}/v1` } });
  });

  it('says the server is not running when the connection is refused, and names a host that does not resolve', async () => {
    const c = await newConversation(addProvider({ conversationState: 'stateless', baseUrl: await refusedUrl() }));
    expect((await send(c.id, 'x')).final.error).toMatchObject({ code: 'CONNECTION_REFUSED' });
    const typo = await newConversation(addProvider({ conversationState: 'stateless', baseUrl: 'http://switchboard-test.invalid/v1' }));
    expect((await send(typo.id, 'x')).final.error).toMatchObject({ code: 'DNS_FAILED', params: { host: 'switchboard-test.invalid' } });
  });

  it('keeps what arrived when a normal stream drops, and says so', async () => {
    const c = await newConversation(addProvider({ conversationState: 'stateless' }));
    api.queueResponse({ text: 'one two three four five', dropAfterEvents: 6 });
    const reply = await send(c.id, 'x');
    expect(reply.content.length).toBeGreaterThan(0);
    expect(reply.final).toMatchObject({ status: 'failed', error: { code: 'CONNECTION_DROPPED' } });
  });

  it('gives up on a silent stream after the idle timeout, and on a server that never answers', async () => {
    await rig.close();
    rig = newRig({ idleTimeoutMs: 300, connectTimeoutMs: 300 });
    const provider = addProvider();
    const c = await newConversation(provider);
    api.queueResponse({ text: 'one two three four five', idleAfterEvents: 6, hang: true });
    const idle = await send(c.id, 'x');
    expect(idle.content.length).toBeGreaterThan(0);
    expect(idle.final.error).toMatchObject({ code: 'IDLE_TIMEOUT' });
    // The background response that went silent is not left running.
    await server.waitFor(() => api.lastResponse()?.status === 'cancelled', { description: 'the silent response to be cancelled' });

    server.nextResponses(onResponses(faults.hang()));
    const hung = await send(c.id, 'y');
    expect(hung.final.error).toMatchObject({ code: 'CONNECT_TIMEOUT' });
  });
});
