/**
 * Chat turns end to end in main: IPC dispatcher → chat service → Chat Completions adapter → real HTTP and
 * SSE against the local OpenAI-compatible server, with persistence in a temp data dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/models/conversation';
import { faults, startOpenAIServer } from '../fixtures/openai-server/index.js';
import { errorOf, localServerAndRigs, waitUntil, type Rig, type RigOptions } from '../support/chat-rig';

const KEY = 'sk-test-chat-0123456789abcdef';
const local = localServerAndRigs({ apiKey: KEY }, { checkRequests: true });

function setup(options: RigOptions = {}) {
  const rig = local.rig(options);
  const provider = rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' }, KEY);
  return { rig, provider };
}

async function newChat(rig: Rig): Promise<Conversation> {
  return rig.call('conversations:create', undefined);
}

function readFile(rig: Rig, id: string): Conversation {
  return JSON.parse(fs.readFileSync(path.join(rig.dataDir, 'conversations', `${id}.json`), 'utf8')) as Conversation;
}

describe('chat: the happy path', () => {
  it('streams a reply in several coalesced steps, saves it, and titles the conversation', async () => {
    const { rig, provider } = setup();
    local.server.setBehavior({ reply: 'One two three four five six seven eight nine ten.', chunkDelayMs: 20 });
    const conversation = await newChat(rig);
    expect(conversation).toMatchObject({ providerId: provider.id, model: 'gpt-4o-mini', title: '' });

    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: '  Count   to ten,\nplease  ' });
    expect(sent.userMessage).toMatchObject({ role: 'user', content: '  Count   to ten,\nplease  ', status: 'complete' });
    expect(sent.assistantMessage).toMatchObject({ role: 'assistant', content: '', status: 'streaming' });

    const result = await rig.finished(sent.streamId);
    expect(result.content).toBe('One two three four five six seven eight nine ten.');
    expect(result.final).toEqual({ status: 'complete', finishReason: 'stop' });
    expect(result.events.filter((e) => e.contentDelta).length).toBeGreaterThan(2);
    expect(result.usage).toMatchObject({ promptTokens: expect.any(Number), completionTokens: expect.any(Number) });
    // Only the window that asked got the stream.
    expect(rig.events.sent.filter((s) => s.event === 'chat:event').every((s) => s.windowId === 1)).toBe(true);

    const request = local.server.lastRequest('/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '  Count   to ten,\nplease  ' }],
    });

    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.title).toBe('Count to ten, please');
    expect(saved.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(saved.messages[1]).toMatchObject({
      content: result.content,
      finishReason: 'stop',
      providerId: provider.id,
      model: 'gpt-4o-mini',
      usage: result.usage,
    });
    expect(readFile(rig, conversation.id).messages[1]?.status).toBe('complete');
    const list = await rig.call('conversations:list', undefined);
    expect(list[0]).toMatchObject({ id: conversation.id, title: 'Count to ten, please', messageCount: 2 });
    expect(rig.events.sent.some((s) => s.event === 'conversations:changed' && s.windowId === 'all')).toBe(true);
  });

  it('sends the history of earlier turns and keeps a renamed title', async () => {
    const { rig } = setup();
    const conversation = await newChat(rig);
    await rig.call('conversations:rename', { id: conversation.id, title: '  My   chat ' });
    const first = await rig.call('chat:send', { conversationId: conversation.id, text: 'first' });
    await rig.finished(first.streamId);
    const second = await rig.call('chat:send', { conversationId: conversation.id, text: 'second' });
    expect((await rig.finished(second.streamId)).content).toBe('Echo: second');
    expect(local.server.lastRequest('/chat/completions')?.body).toMatchObject({
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'Echo: first' },
        { role: 'user', content: 'second' },
      ],
    });
    expect((await rig.call('conversations:get', { id: conversation.id })).title).toBe('My chat');
  });

  it('saves the user message before the request is sent', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.hang());
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'saved first' });
    await local.server.waitForRequest((r) => r.routePath === '/chat/completions');
    const onDisk = readFile(rig, conversation.id);
    expect(onDisk.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'saved first', 'complete'],
      ['assistant', '', 'streaming'],
    ]);
    await rig.call('chat:stop', { conversationId: conversation.id });
    expect((await rig.finished(sent.streamId)).final.status).toBe('stopped');
  });

  it('answers a send with no provider configured with NO_PROVIDER, and keeps nothing half-done', async () => {
    const rig = local.rig();
    const conversation = await rig.call('conversations:create', undefined);
    expect(conversation.providerId).toBeNull();
    const error = errorOf(await rig.raw('chat:send', { conversationId: conversation.id, text: 'hello' }));
    expect(error).toMatchObject({ code: 'NO_PROVIDER', hint: expect.stringContaining('Settings') });
    expect((await rig.call('conversations:get', { id: conversation.id })).messages).toEqual([]);
  });

  it('answers a send to a removed provider with NO_PROVIDER, and adopts a provider added later', async () => {
    const rig = local.rig();
    const conversation = await rig.call('conversations:create', undefined);
    const provider = rig.addProvider({ baseUrl: local.server.url }, KEY);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'adopt' });
    expect((await rig.finished(sent.streamId)).final.status).toBe('complete');
    expect((await rig.call('conversations:get', { id: conversation.id })).providerId).toBe(provider.id);

    rig.services.config.removeProvider(provider.id);
    const error = errorOf(await rig.raw('chat:send', { conversationId: conversation.id, text: 'gone' }));
    expect(error).toMatchObject({ code: 'NO_PROVIDER', params: { context: 'removed' } });
  });

  it('switches provider and model per conversation', async () => {
    const { rig } = setup();
    const other = rig.addProvider({ baseUrl: local.server.url, name: 'Other', model: 'gpt-4o' }, KEY);
    const conversation = await newChat(rig);
    const summary = await rig.call('conversations:setProvider', { id: conversation.id, providerId: other.id, model: 'local/llama-3.1-8b-instruct' });
    expect(summary).toMatchObject({ providerId: other.id, model: 'local/llama-3.1-8b-instruct' });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hi' });
    await rig.finished(sent.streamId);
    expect(local.server.lastRequest('/chat/completions')?.body).toMatchObject({ model: 'local/llama-3.1-8b-instruct' });
    expect(errorOf(await rig.raw('conversations:setProvider', { id: conversation.id, providerId: 'nope', model: '' }))).toMatchObject({
      code: 'NO_PROVIDER',
    });
  });

  it('sends custom headers and no Authorization header when the provider has no key', async () => {
    const open = await startOpenAIServer({ requiredHeaders: { 'x-gateway': 'g-1' } });
    try {
      const rig = local.rig();
      rig.addProvider({ baseUrl: open.url, customHeaders: [{ name: 'X-Gateway', value: 'g-1' }] }, null);
      const conversation = await newChat(rig);
      const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'no key' });
      expect((await rig.finished(sent.streamId)).final.status).toBe('complete');
      const headers = open.lastRequest('/chat/completions')?.headers ?? {};
      expect(headers.authorization).toBeUndefined();
      expect(headers['x-gateway']).toBe('g-1');
    } finally {
      await open.close();
    }
  });

  it('uses a provider saved through Settings, with its key and secret header read from the keychain at send time', async () => {
    const gateway = await startOpenAIServer({ apiKey: KEY, requiredHeaders: { 'cf-aig-authorization': 'Bearer gw-secret-123456' } });
    try {
      const rig = local.rig();
      const saved = await rig.call('providers:save', {
        type: 'openai-compatible',
        name: 'Gateway',
        baseUrl: gateway.url,
        model: 'gpt-4o-mini',
        assistantId: '',
        customHeaders: [{ name: 'cf-aig-authorization', value: 'Bearer gw-secret-123456' }],
        apiKey: { action: 'set', value: KEY },
      });
      // The secret header value is not in the config file; the chat request still carries it.
      expect(fs.readFileSync(rig.services.config.path, 'utf8')).not.toContain('gw-secret-123456');
      const conversation = await newChat(rig);
      expect(conversation.providerId).toBe(saved.id);
      const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'through the gateway' });
      expect(await rig.finished(sent.streamId)).toMatchObject({ content: 'Echo: through the gateway', final: { status: 'complete' } });
      const headers = gateway.lastRequest('/chat/completions')?.headers ?? {};
      expect(headers['cf-aig-authorization']).toBe('Bearer gw-secret-123456');
      expect(headers.authorization).toBe(`Bearer ${KEY}`);
    } finally {
      await gateway.close();
    }
  });

  it('never sends OPENAI_* environment values to the server', async () => {
    const saved = { ...process.env };
    process.env.OPENAI_API_KEY = 'sk-env-leak-key-should-never-be-sent';
    process.env.OPENAI_ORG_ID = 'org-env-leak';
    process.env.OPENAI_PROJECT_ID = 'proj-env-leak';
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    try {
      // A provider without a key must not fall back to OPENAI_API_KEY either.
      const open = await startOpenAIServer();
      try {
        const rig = local.rig();
        rig.addProvider({ baseUrl: open.url }, null);
        const conversation = await newChat(rig);
        const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'env' });
        expect((await rig.finished(sent.streamId)).final.status).toBe('complete');
        const request = open.lastRequest('/chat/completions');
        const wire = JSON.stringify(request?.headers) + (request?.rawBody ?? '');
        expect(wire).not.toContain('env-leak');
        expect(request?.headers.authorization).toBeUndefined();
        expect(request?.headers['openai-organization']).toBeUndefined();
        expect(request?.headers['openai-project']).toBeUndefined();
      } finally {
        await open.close();
      }
    } finally {
      process.env = saved;
    }
  });

  it('accepts a server that ignores stream: true and answers with one JSON completion', async () => {
    const { rig } = setup();
    local.server.nextResponses({
      kind: 'raw',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Whole answer.' } }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    });
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'json' });
    const result = await rig.finished(sent.streamId);
    expect(result).toMatchObject({ content: 'Whole answer.', final: { status: 'complete', finishReason: 'stop' } });
    expect(result.usage).toEqual({ promptTokens: 3, completionTokens: 2, totalTokens: 5 });
  });
});

describe('chat: stream shapes real servers send', () => {
  it('ignores empty-choices chunks (Azure prompt_filter_results) and SSE comments', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.azurePromptFilterFirst());
    const conversation = await newChat(rig);
    const first = await rig.call('chat:send', { conversationId: conversation.id, text: 'azure' });
    expect(await rig.finished(first.streamId)).toMatchObject({ content: 'Echo: azure', final: { status: 'complete' } });

    local.server.nextResponses(faults.comments());
    const second = await rig.call('chat:send', { conversationId: conversation.id, text: 'comments' });
    expect(await rig.finished(second.streamId)).toMatchObject({ content: 'Echo: comments', final: { status: 'complete' } });
  });

  it('reads usage from the usage-only final chunk', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.chat([{ type: 'content', text: 'Four words right here' }, { type: 'finish', reason: 'stop' }, { type: 'usage' }], { ending: 'none' }));
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'usage' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('complete');
    expect(result.usage).toMatchObject({ completionTokens: expect.any(Number), totalTokens: expect.any(Number) });
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.messages[1]?.usage).toEqual(result.usage);
  });

  it.each([
    ['delta.reasoning_content', () => faults.reasoningContent('Because two and two.', 'It is 4.')],
    ['delta.reasoning', () => faults.reasoningField('Because two and two.', 'It is 4.')],
    ['<think> tags', () => faults.thinkTags('Because two and two.', 'It is 4.')],
  ])('shows %s as reasoning apart from the answer and never sends it back', async (_label, fault) => {
    const { rig } = setup();
    local.server.nextResponses(fault());
    const conversation = await newChat(rig);
    const first = await rig.call('chat:send', { conversationId: conversation.id, text: 'What is 2+2?' });
    const result = await rig.finished(first.streamId);
    expect(result.content).toBe('It is 4.');
    expect(result.reasoning).toBe('Because two and two.');
    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.messages[1]).toMatchObject({ content: 'It is 4.', reasoning: 'Because two and two.' });

    // The next turn's history carries the answer only (the server answers 400 to reasoning in history).
    const second = await rig.call('chat:send', { conversationId: conversation.id, text: 'And 3+3?' });
    expect((await rig.finished(second.streamId)).final.status).toBe('complete');
    const request = local.server.lastRequest('/chat/completions');
    expect(request?.body).toMatchObject({
      messages: [
        { role: 'user', content: 'What is 2+2?' },
        { role: 'assistant', content: 'It is 4.' },
        { role: 'user', content: 'And 3+3?' },
      ],
    });
    expect(request?.rawBody).not.toContain('Because two and two');
  });

  it('retries once without stream_options when the server rejects it, and remembers that across a restart', async () => {
    const { rig, provider } = setup();
    local.server.setBehavior({ rejectStreamOptions: true });
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'old server' });
    expect(await rig.finished(sent.streamId)).toMatchObject({ content: 'Echo: old server', final: { status: 'complete' } });
    const calls = local.server.requestsTo('/chat/completions');
    expect(calls).toHaveLength(2);
    expect(calls[0]?.status).toBe(400);
    expect(calls[0]?.body).toHaveProperty('stream_options');
    expect(calls[1]?.body).not.toHaveProperty('stream_options');
    expect(rig.services.config.getQuirks(provider.id)).toEqual({ noStreamOptions: true });

    const restarted = await rig.restart();
    local.keep(restarted);
    const again = await restarted.call('chat:send', { conversationId: conversation.id, text: 'again' });
    expect((await restarted.finished(again.streamId)).final.status).toBe('complete');
    const after = local.server.requestsTo('/chat/completions');
    expect(after).toHaveLength(3);
    expect(after[2]?.body).not.toHaveProperty('stream_options');
  });

  it('does not blame stream_options for a 400 that has another cause', async () => {
    const { rig, provider } = setup();
    local.server.nextResponses(faults.openaiError(400, { message: 'Invalid value for temperature' }), faults.openaiError(400, { message: 'Invalid value for temperature' }));
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'bad' });
    const result = await rig.finished(sent.streamId);
    expect(result.final).toMatchObject({ status: 'failed', error: { code: 'BAD_REQUEST' } });
    expect(result.final.error?.message).toContain('Invalid value for temperature');
    expect(rig.services.config.getQuirks(provider.id)).toEqual({});
  });
});

describe('chat: stop, concurrency, re-attach, regenerate, edit', () => {
  it('stops at once: the server sees the connection close, the partial text is kept as stopped', async () => {
    const { rig } = setup();
    local.server.setBehavior({ reply: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), chunkDelayMs: 20 });
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'long' });
    await waitUntil(() => rig.streamEvents(sent.streamId).filter((e) => e.contentDelta).length >= 3, 10_000, 'some text');
    const stopped = await rig.call('chat:stop', { conversationId: conversation.id });
    expect(stopped).toEqual({ stopped: true });
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted, { description: 'the client closing the stream' });

    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('stopped');
    expect(result.content.startsWith('w0 w1')).toBe(true);
    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.messages[1]).toMatchObject({ status: 'stopped', content: result.content });
    expect(readFile(rig, conversation.id).messages[1]).toMatchObject({ status: 'stopped', content: result.content });
    expect(await rig.call('chat:stop', { conversationId: conversation.id })).toEqual({ stopped: false });
  });

  it('refuses a second send while a reply streams (BUSY) and accepts it right after', async () => {
    const { rig } = setup();
    local.server.setBehavior({ reply: 'a b c d e f g h', chunkDelayMs: 30 });
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'one' });
    const busy = errorOf(await rig.raw('chat:send', { conversationId: conversation.id, text: 'two' }));
    expect(busy.code).toBe('BUSY');
    expect(errorOf(await rig.raw('chat:regenerate', { conversationId: conversation.id })).code).toBe('BUSY');
    await rig.finished(sent.streamId);
    local.server.setBehavior({ chunkDelayMs: 0 });
    const next = await rig.call('chat:send', { conversationId: conversation.id, text: 'two' });
    expect((await rig.finished(next.streamId)).content).toBe('a b c d e f g h');
    expect((await rig.call('conversations:get', { id: conversation.id })).messages).toHaveLength(4);
  });

  it('streams two conversations at once without mixing them, each to its own window', async () => {
    const { rig } = setup();
    local.server.setBehavior({ reply: (r) => Array.from({ length: 15 }, () => r.lastUserText).join(' '), chunkDelayMs: 10 });
    const a = await newChat(rig);
    const b = await newChat(rig);
    const [sa, sb] = await Promise.all([
      rig.call('chat:send', { conversationId: a.id, text: 'alpha' }, 1),
      rig.call('chat:send', { conversationId: b.id, text: 'beta' }, 2),
    ]);
    const [ra, rb] = await Promise.all([rig.finished(sa.streamId, 1), rig.finished(sb.streamId, 2)]);
    expect(ra.content).toBe(Array(15).fill('alpha').join(' '));
    expect(rb.content).toBe(Array(15).fill('beta').join(' '));
    expect(rig.streamEvents(sa.streamId, 2)).toEqual([]);
    expect(rig.streamEvents(sb.streamId, 1)).toEqual([]);
    // The two streams really overlapped: each sent text before the other one ended.
    const order = rig.events.sent.map((s) => s.payload as { streamId?: string; contentDelta?: string; final?: unknown });
    const firstDelta = (id: string) => order.findIndex((e) => e.streamId === id && e.contentDelta);
    const finalOf = (id: string) => order.findIndex((e) => e.streamId === id && e.final);
    expect(firstDelta(sa.streamId)).toBeLessThan(finalOf(sb.streamId));
    expect(firstDelta(sb.streamId)).toBeLessThan(finalOf(sa.streamId));
    const savedA = await rig.call('conversations:get', { id: a.id });
    expect(savedA.messages[1]?.content).toBe(ra.content);
  });

  it('re-attaches a reloaded window: the reply so far, then the rest', async () => {
    const { rig } = setup();
    local.server.setBehavior({ reply: Array.from({ length: 40 }, (_, i) => `t${i}`).join(' '), chunkDelayMs: 15 });
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'reload' }, 1);
    await waitUntil(() => rig.streamEvents(sent.streamId, 1).filter((e) => e.contentDelta).length >= 3, 10_000, 'some text');

    // The page reloads: the old window is gone, a new one (id 7) asks for the conversation.
    const midway = await rig.call('conversations:get', { id: conversation.id }, 7);
    expect(midway.messages[1]?.status).toBe('streaming');
    const attached = await rig.call('chat:attach', { conversationId: conversation.id }, 7);
    expect(attached.active?.streamId).toBe(sent.streamId);
    expect(attached.active?.message.content.length).toBeGreaterThan(0);
    expect(attached.active?.message.content.startsWith('t0 t1')).toBe(true);

    const result = await rig.finished(sent.streamId, 7);
    expect(result.events[0]?.replaceContent).toBe(attached.active?.message.content);
    expect(result.content).toBe(Array.from({ length: 40 }, (_, i) => `t${i}`).join(' '));
    expect(result.final.status).toBe('complete');
    expect(await rig.call('chat:attach', { conversationId: conversation.id }, 7)).toEqual({ active: null });
  });

  it('regenerates the last reply (also the Retry after an error)', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.serverError());
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'retry me' });
    expect((await rig.finished(sent.streamId)).final.status).toBe('failed');
    const again = await rig.call('chat:regenerate', { conversationId: conversation.id });
    expect(again.assistantMessage.id).not.toBe(sent.assistantMessage.id);
    expect((await rig.finished(again.streamId)).content).toBe('Echo: retry me');
    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(local.server.lastRequest('/chat/completions')?.body).toMatchObject({ messages: [{ role: 'user', content: 'retry me' }] });
  });

  it('edits the last user message and resends it, dropping what followed; refuses older messages', async () => {
    const { rig } = setup();
    const conversation = await newChat(rig);
    const first = await rig.call('chat:send', { conversationId: conversation.id, text: 'first' });
    await rig.finished(first.streamId);
    const second = await rig.call('chat:send', { conversationId: conversation.id, text: 'secnod' });
    await rig.finished(second.streamId);

    const refused = errorOf(await rig.raw('chat:editAndResend', { conversationId: conversation.id, messageId: first.userMessage.id, text: 'x' }));
    expect(refused.code).toBe('VALIDATION');

    const edited = await rig.call('chat:editAndResend', { conversationId: conversation.id, messageId: second.userMessage.id, text: 'second' });
    expect(edited.userMessage).toMatchObject({ id: second.userMessage.id, content: 'second' });
    expect((await rig.finished(edited.streamId)).content).toBe('Echo: second');
    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.messages.map((m) => m.content)).toEqual(['first', 'Echo: first', 'second', 'Echo: second']);
  });

  it('deletes a conversation (aborting its stream) and broadcasts it', async () => {
    const { rig } = setup();
    local.server.setBehavior({ reply: 'x '.repeat(100), chunkDelayMs: 20 });
    const conversation = await newChat(rig);
    await rig.call('chat:send', { conversationId: conversation.id, text: 'doomed' });
    await local.server.waitForRequest((r) => r.routePath === '/chat/completions');
    expect(await rig.call('conversations:delete', { id: conversation.id, deleteRemoteThread: true })).toEqual({ remoteThreadDeleted: false });
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted);
    expect(await rig.call('conversations:list', undefined)).toEqual([]);
    expect(errorOf(await rig.raw('conversations:get', { id: conversation.id })).code).toBe('NOT_FOUND');
    expect(rig.events.sent.some((s) => s.event === 'conversations:changed' && (s.payload as { deletedId?: string }).deletedId === conversation.id)).toBe(true);
    expect(fs.existsSync(path.join(rig.dataDir, 'conversations', `${conversation.id}.json`))).toBe(false);
  });
});

describe('chat: persistence across a restart', () => {
  it('keeps every conversation, message, reasoning and usage after the services restart', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.reasoningContent('Thinking hard.', 'Saved answer.'));
    const conversation = await newChat(rig);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'persist me' });
    await rig.finished(sent.streamId);
    const before = await rig.call('conversations:get', { id: conversation.id });

    const restarted = await rig.restart();
    local.keep(restarted);
    const after = await restarted.call('conversations:get', { id: conversation.id });
    expect(after).toEqual(before);
    expect(after.messages[1]).toMatchObject({ content: 'Saved answer.', reasoning: 'Thinking hard.', status: 'complete' });
    expect((await restarted.call('conversations:list', undefined)).map((s) => s.id)).toEqual([conversation.id]);
  });

  it('saves the growing reply while it streams, and a quit mid-reply leaves it stopped with its text', async () => {
    const { rig } = setup();
    local.server.setBehavior({ reply: Array.from({ length: 100 }, (_, i) => `p${i}`).join(' '), chunkDelayMs: 10 });
    const conversation = await newChat(rig);
    await rig.call('chat:send', { conversationId: conversation.id, text: 'grow' });
    // The file grows while the reply streams (saved at a bounded rate, not only at the end).
    await waitUntil(() => (readFile(rig, conversation.id).messages[1]?.content.length ?? 0) > 10, 10_000, 'a partial save');
    expect(readFile(rig, conversation.id).messages[1]?.status).toBe('streaming');

    const restarted = await rig.restart();
    local.keep(restarted);
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted);
    const after = await restarted.call('conversations:get', { id: conversation.id });
    expect(after.messages[1]?.status).toBe('stopped');
    expect(after.messages[1]?.content.startsWith('p0 p1')).toBe(true);
  });
});
