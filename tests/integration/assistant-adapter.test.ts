/**
 * The OpenAI Assistant adapter against the local test server's Assistants API (real HTTP, real SSE):
 * every run status and error, polling, stop, timeout, tool status lines, citations, usage, threads.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/models/chat-event';
import type { ProviderConfig } from '../../shared/models/provider';
import { AppFailure, type AppError } from '../../shared/result';
import { createMemoryLogger } from '../../electron/main/logger';
import { OpenAIAssistantAdapter } from '../../electron/main/providers/openai-assistant/assistant-kind';
import type { AssistantAdapterDeps } from '../../electron/main/providers/openai-assistant/assistant-turn';
import type { ChatRequest, HistoryMessage } from '../../electron/main/providers/provider-kind';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';

const KEY = 'sk-assistant-test-key-123456';

let server: OpenAIServer;
let api: AssistantsApi;

beforeAll(async () => {
  api = new AssistantsApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [assistantsRoutes(api)] });
});

afterAll(async () => {
  await server.close();
});

afterEach(async () => {
  await expectWithinSpecThenReset(api, server);
});

function providerConfig(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    id: 'prov-assistant',
    type: 'openai-assistant',
    name: 'Assistant',
    baseUrl: server.url,
    model: '',
    assistantId: api.createAssistant({ name: 'Helper', model: 'gpt-4o' }),
    customHeaders: [],
    runTimeoutMs: 60_000,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function adapter(extra: Partial<AssistantAdapterDeps> = {}) {
  const sleeps: number[] = [];
  const log = createMemoryLogger();
  const instance = new OpenAIAssistantAdapter({
    fetch: globalThis.fetch,
    connectTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    log,
    // Polls wait for real, but briefly: the server decides progress by poll count, not by time.
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        setTimeout(resolve, 1);
      });
    },
    ...extra,
  });
  return { adapter: instance, sleeps, log };
}

interface Turn {
  events: ChatEvent[];
  text: string;
  error: AppError | undefined;
  savedThreadIds: string[];
}

async function turn(
  a: OpenAIAssistantAdapter,
  config: ProviderConfig,
  history: HistoryMessage[],
  conversation: ChatRequest['conversation'] = { id: 'c1' },
  options: { signal?: AbortSignal; onEvent?: (e: ChatEvent) => void } = {},
): Promise<Turn> {
  const savedThreadIds: string[] = [];
  const events: ChatEvent[] = [];
  for await (const event of a.streamChat({
    provider: { config, apiKey: KEY, quirks: {} },
    model: config.model,
    history,
    conversation,
    signal: options.signal ?? new AbortController().signal,
    saveThreadId: async (id) => {
      savedThreadIds.push(id);
    },
  })) {
    events.push(event);
    options.onEvent?.(event);
  }
  const text = events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
  const error = events.find((e): e is Extract<ChatEvent, { type: 'error' }> => e.type === 'error')?.error;
  return { events, text, error, savedThreadIds };
}

const user = (content: string): HistoryMessage => ({ role: 'user', content });

describe('OpenAI Assistant adapter: a streamed run', () => {
  it('creates a thread, adds the message, streams the reply with usage, and sends the beta header everywhere', async () => {
    const config = providerConfig();
    const { adapter: a } = adapter();
    const result = await turn(a, config, [user('Hello there')]);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Assistant reply 1 in this thread: Hello there');
    expect(result.events.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
    expect(result.events.find((e) => e.type === 'usage')).toEqual({ type: 'usage', usage: { promptTokens: 21, completionTokens: 13, totalTokens: 34 } });
    expect(result.events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    expect(result.savedThreadIds).toHaveLength(1);
    const threadId = result.savedThreadIds[0] as string;
    expect(api.messagesOfThread(threadId).map((m) => [m.role, m.text])).toEqual([
      ['user', 'Hello there'],
      ['assistant', 'Assistant reply 1 in this thread: Hello there'],
    ]);
    const runCreate = server.requestsTo(`/threads/${threadId}/runs`, 'POST')[0];
    expect(runCreate?.body).toEqual({ assistant_id: config.assistantId, stream: true });
    expect(api.requests.length).toBeGreaterThanOrEqual(3);
    for (const r of api.requests) expect(r.betaHeader).toBe('assistants=v2');
    for (const r of server.requests) expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('reuses the conversation’s thread, and starts a new one seeded with the history when the thread belongs to another provider', async () => {
    const config = providerConfig();
    const { adapter: a } = adapter();
    const first = await turn(a, config, [user('one')]);
    const threadId = first.savedThreadIds[0] as string;
    const second = await turn(
      a,
      config,
      [user('one'), { role: 'assistant', content: first.text }, user('two')],
      { id: 'c1', threadId, threadProviderId: config.id },
    );
    expect(second.savedThreadIds).toEqual([]);
    expect(second.text).toBe('Assistant reply 2 in this thread: two');
    expect(api.messagesOfThread(threadId)).toHaveLength(4);

    const moved = await turn(
      a,
      config,
      [user('one'), { role: 'assistant', content: 'earlier answer' }, user('three')],
      { id: 'c1', threadId, threadProviderId: 'some-other-provider' },
    );
    expect(moved.savedThreadIds).toHaveLength(1);
    expect(moved.savedThreadIds[0]).not.toBe(threadId);
    expect(api.messagesOfThread(moved.savedThreadIds[0] as string).map((m) => [m.role, m.text])).toEqual([
      ['user', 'one'],
      ['assistant', 'earlier answer'],
      ['user', 'three'],
      ['assistant', 'Assistant reply 1 in this thread: three'],
    ]);
  });

  it('starts a new thread when the saved one is gone on the server', async () => {
    const config = providerConfig();
    const { adapter: a } = adapter();
    const result = await turn(a, config, [user('hi')], { id: 'c1', threadId: 'thread_deleted', threadProviderId: config.id });
    expect(result.error).toBeUndefined();
    expect(result.savedThreadIds).toHaveLength(1);
  });

  it('shows status lines while server-side tools run and renders file citations as numbered references', async () => {
    const config = providerConfig();
    const { adapter: a } = adapter();
    api.queueRun({ text: 'The answer is 42.', tools: ['code_interpreter', 'file_search'], citations: [{ fileId: 'file-abc', quote: 'forty-two' }] });
    const result = await turn(a, config, [user('compute')]);
    expect(result.error).toBeUndefined();
    const statuses = result.events.filter((e) => e.type === 'status');
    expect(statuses).toEqual([
      { type: 'status', code: 'code_interpreter', text: 'Running code interpreter…' },
      { type: 'status', code: null, text: null },
      { type: 'status', code: 'file_search', text: 'Searching files…' },
      { type: 'status', code: null, text: null },
    ]);
    expect(result.text).toBe('The answer is 42. [1]');
    expect(result.events.filter((e) => e.type === 'annotations')).toEqual([
      { type: 'annotations', annotations: [{ type: 'file_citation', text: '[1]', fileId: 'file-abc', quote: 'forty-two' }] },
    ]);
  });

  it('says "No assistant response found" when the run completes without a message', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ outcome: 'no_message' });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.error).toMatchObject({ code: 'ASSISTANT_NO_RESPONSE', message: 'No assistant response found' });
  });

  it('reports a failed run with the server’s last_error code and message, keeping the text that arrived', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ outcome: 'failed', text: 'Partial answer', lastError: { code: 'rate_limit_exceeded', message: 'You exceeded your quota.' } });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.text).toBe('Partial answer');
    expect(result.error).toMatchObject({
      code: 'ASSISTANT_RUN_FAILED',
      params: { errorCode: 'rate_limit_exceeded', detail: 'You exceeded your quota.' },
    });
    expect(result.error?.message).toContain('failed');
    expect(result.error?.message).toContain('rate_limit_exceeded: You exceeded your quota.');
  });

  it('reports expired and server-cancelled runs as such', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ outcome: 'expired', text: 'a' });
    const expired = await turn(a, providerConfig(), [user('hi')]);
    expect(expired.error?.code).toBe('ASSISTANT_RUN_EXPIRED');
    expect(expired.error?.message).toContain('expired');
    api.queueRun({ outcome: 'cancelled', text: 'b' });
    const cancelled = await turn(a, providerConfig(), [user('hi')]);
    expect(cancelled.error?.code).toBe('ASSISTANT_RUN_CANCELLED');
    expect(cancelled.error?.message).toContain('cancelled');
  });

  it('treats incomplete as terminal: keeps the text and usage and gives the incomplete_details reason', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ outcome: 'incomplete', text: 'Cut short', incompleteReason: 'max_prompt_tokens' });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.text).toBe('Cut short');
    expect(result.events.some((e) => e.type === 'usage')).toBe(true);
    expect(result.error).toMatchObject({ code: 'ASSISTANT_RUN_INCOMPLETE', params: { reason: 'max_prompt_tokens' } });
    expect(result.error?.message).toContain('max_prompt_tokens');
  });

  it('on requires_action names the function and its arguments, cancels the run and never hangs', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ outcome: 'requires_action', functionCall: { name: 'lookup_order', arguments: '{"order_id":"A-17"}' } });
    const result = await turn(a, providerConfig(), [user('where is my order?')]);
    expect(result.error).toMatchObject({ code: 'ASSISTANT_REQUIRES_ACTION', params: { name: 'lookup_order', arguments: '{"order_id":"A-17"}' } });
    expect(result.error?.message).toContain('lookup_order');
    expect(result.error?.message).toContain('{"order_id":"A-17"}');
    await api.idle();
    const run = api.lastRun();
    expect(run?.cancelRequests).toBe(1);
    await server.waitFor(() => api.lastRun()?.status === 'cancelled', { description: 'the run to be cancelled' });
  });

  it('reports a stream error event with the server’s message, keeps the text, and leaves no run going', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ text: 'Some text', streamError: { message: 'The model crashed.' } });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.text).toBe('Some text');
    expect(result.error?.code).toBe('STREAM_ERROR');
    expect(result.error?.message).toContain('The model crashed.');
  });

  it('follows the run by polling when the stream drops, without losing or doubling text', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ text: 'A reply that outlives its stream.', chunkSize: 4, delayMs: 5, dropStreamAfterEvents: 12 });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('A reply that outlives its stream.');
    const run = api.lastRun();
    expect(run?.retrieves).toBeGreaterThanOrEqual(1);
  });
});

describe('OpenAI Assistant adapter: polling servers', () => {
  it('polls a server that ignores stream: true, honouring openai-poll-after-ms and backing off', async () => {
    api.configure({ runStreaming: 'ignore', pollAfterMs: 40 });
    const { adapter: a, sleeps } = adapter();
    api.queueRun({ text: 'Polled reply', pollsBeforeProgress: 3 });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Polled reply');
    expect(result.events.some((e) => e.type === 'usage')).toBe(true);
    const run = api.lastRun();
    // The run reports in_progress to 3 retrieves and is done by the 4th: exactly 4 polls, each after a wait.
    expect(run?.retrieves).toBe(4);
    expect(sleeps).toHaveLength(4);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(40);
    for (let i = 1; i < sleeps.length; i++) expect(sleeps[i]).toBeGreaterThan(sleeps[i - 1] as number);
    const messagesRead = server.requests.filter((r) => r.routePath?.endsWith('/messages') && r.method === 'GET');
    expect(messagesRead[0]?.query).toMatchObject({ run_id: run?.id, order: 'asc' });
  });

  it('backs off from half a second when the server sends no poll hint', async () => {
    api.configure({ runStreaming: 'ignore', pollAfterMs: null });
    const { adapter: a, sleeps } = adapter();
    api.queueRun({ pollsBeforeProgress: 2 });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.error).toBeUndefined();
    expect(sleeps).toEqual([500, 750, 1125]);
  });

  it('runs again without stream on a server that rejects it, and shows tool steps while polling', async () => {
    api.configure({ runStreaming: 'reject', pollAfterMs: 10 });
    const { adapter: a } = adapter();
    api.queueRun({ text: 'Done.', tools: ['code_interpreter'], delayMs: 60 });
    const result = await turn(a, providerConfig(), [user('hi')]);
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Done.');
    const creates = server.requests.filter((r) => r.method === 'POST' && /\/runs$/.test(r.routePath ?? ''));
    expect(creates.map((r) => [r.status, (r.body as { stream?: boolean }).stream])).toEqual([
      [400, true],
      [200, undefined],
    ]);
    expect(result.events).toContainEqual({ type: 'status', code: 'code_interpreter', text: 'Running code interpreter…' });
  });
});

describe('OpenAI Assistant adapter: stop and timeout', () => {
  it('Stop aborts the stream and cancels the run on the server, keeping what arrived', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ text: 'x'.repeat(400), chunkSize: 5, delayMs: 20 });
    const controller = new AbortController();
    const result = await turn(a, providerConfig(), [user('hi')], { id: 'c1' }, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'delta') controller.abort();
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.text.length).toBeLessThan(400);
    const run = api.lastRun();
    expect(run?.cancelRequests).toBe(1);
    await server.waitFor(() => api.lastRun()?.status === 'cancelled', { description: 'the run to be cancelled' });
    expect(server.requests.some((r) => r.clientAborted && /\/runs$/.test(r.routePath ?? ''))).toBe(true);
  });

  it('cancels a run that takes longer than the provider’s run timeout, then says "Assistant run timeout"', async () => {
    const { adapter: a } = adapter();
    api.queueRun({ text: 'Thinking', hang: true });
    const result = await turn(a, providerConfig({ runTimeoutMs: 300 }), [user('hi')]);
    expect(result.text).toBe('Thinking');
    expect(result.error).toMatchObject({ code: 'ASSISTANT_RUN_TIMEOUT', message: 'Assistant run timeout' });
    expect(api.lastRun()?.cancelRequests).toBe(1);
    await server.waitFor(() => api.lastRun()?.status === 'cancelled', { description: 'the run to be cancelled' });
  });

  it('the timeout also bounds a polled run', async () => {
    api.configure({ runStreaming: 'ignore', pollAfterMs: 20 });
    const { adapter: a } = adapter({ sleep: (ms, signal) => new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      }, { once: true });
    }) });
    api.queueRun({ pollsBeforeProgress: 1_000_000 });
    const result = await turn(a, providerConfig({ runTimeoutMs: 300 }), [user('hi')]);
    expect(result.error?.code).toBe('ASSISTANT_RUN_TIMEOUT');
    expect(api.lastRun()?.cancelRequests).toBe(1);
  });

  it('cancels a run left over on the thread before adding the next message', async () => {
    const config = providerConfig();
    const { adapter: a } = adapter();
    const first = await turn(a, config, [user('one')]);
    const threadId = first.savedThreadIds[0] as string;
    // A run still going on the thread (the app quit mid-reply).
    api.queueRun({ hang: true });
    const stale = await fetch(`${server.url}/threads/${threadId}/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'openai-beta': 'assistants=v2' },
      body: JSON.stringify({ assistant_id: config.assistantId }),
    });
    const staleRun = (await stale.json()) as { id: string };
    const second = await turn(a, config, [user('two')], { id: 'c1', threadId, threadProviderId: config.id });
    expect(second.error).toBeUndefined();
    expect(second.text).toContain('two');
    expect(api.runs.get(staleRun.id)?.status).toBe('cancelled');
  });
});

describe('OpenAI Assistant adapter: configuration and server errors', () => {
  it('says "OpenAI Assistant ID is required" at send without calling the server', async () => {
    const { adapter: a } = adapter();
    const before = server.requests.length;
    const result = await turn(a, providerConfig({ assistantId: '  ' }), [user('hi')]);
    expect(result.error).toMatchObject({ code: 'MISSING_ASSISTANT_ID', message: 'OpenAI Assistant ID is required' });
    expect(server.requests.length).toBe(before);
  });

  it('tells an unknown assistant apart from a server without the Assistants API', async () => {
    const { adapter: a } = adapter();
    const unknown = await turn(a, providerConfig({ assistantId: 'asst_nope' }), [user('hi')]);
    expect(unknown.error).toMatchObject({ code: 'ASSISTANT_NOT_FOUND', params: { assistantId: 'asst_nope' } });
    expect(unknown.error?.message).toContain('asst_nope');

    api.configure({ served: false });
    const config = providerConfig();
    const missing = await turn(a, config, [user('hi')]);
    expect(missing.error?.code).toBe('ASSISTANTS_API_UNAVAILABLE');
    expect(missing.error?.message).toContain('2026-08-26');
  });

  it('maps a wrong key to AUTH_FAILED without echoing it', async () => {
    const { adapter: a } = adapter();
    const config = providerConfig();
    const events: ChatEvent[] = [];
    for await (const e of a.streamChat({
      provider: { config, apiKey: 'sk-wrong-key-987654321', quirks: {} },
      model: '',
      history: [user('hi')],
      conversation: { id: 'c' },
      signal: new AbortController().signal,
    })) events.push(e);
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ type: 'error', error: { code: 'AUTH_FAILED' } });
    expect(JSON.stringify(error)).not.toContain('987654321');
  });

  it('Test Connection retrieves the assistant and reports its name and model, or the precise failure', async () => {
    const { adapter: a } = adapter();
    const config = providerConfig();
    const ok = await a.testConnection({ config, apiKey: KEY, quirks: {} });
    expect(ok).toMatchObject({ method: 'assistant', assistant: { id: config.assistantId, name: 'Helper', model: 'gpt-4o' } });
    expect(ok.message).toContain('Helper');
    expect(ok.message).toContain('gpt-4o');

    const failureOf = async (c: ProviderConfig) => {
      try {
        await a.testConnection({ config: c, apiKey: KEY, quirks: {} });
      } catch (error) {
        if (error instanceof AppFailure) return error.appError;
        throw error;
      }
      throw new Error('expected a failure');
    };
    expect((await failureOf(providerConfig({ assistantId: '' }))).message).toBe('OpenAI Assistant ID is required');
    expect((await failureOf(providerConfig({ assistantId: 'asst_missing' }))).code).toBe('ASSISTANT_NOT_FOUND');
    api.configure({ served: false });
    expect((await failureOf(config)).code).toBe('ASSISTANTS_API_UNAVAILABLE');
  });

  it('Test Connection names a wrong base URL (nothing OpenAI-like there) with the /v1 hint, not a missing Assistants API', async () => {
    const { adapter: a } = adapter();
    try {
      await a.testConnection({ config: providerConfig({ baseUrl: server.origin }), apiKey: KEY, quirks: {} });
      expect.unreachable('a wrong base URL must fail');
    } catch (error) {
      if (!(error instanceof AppFailure)) throw error;
      expect(error.appError).toMatchObject({ code: 'NOT_FOUND_PATH', hint: `The base URL may be missing /v1: try ${server.origin}/v1` });
    }
  });

  it('Test Connection refuses a JSON answer that is not an assistant, and names an assistant without a name by its ID', async () => {
    const { adapter: a } = adapter();
    const config = providerConfig();
    server.nextResponses({
      kind: 'raw',
      status: 200,
      contentType: 'application/json',
      body: '{"object":"list","data":[]}',
      match: { method: 'GET', path: /^\/assistants\/asst_/ },
    });
    await expect(a.testConnection({ config, apiKey: KEY, quirks: {} })).rejects.toMatchObject({
      appError: { code: 'NOT_OPENAI_API', params: { context: 'json' } },
    });

    const unnamed = providerConfig({ assistantId: api.createAssistant({ name: null, model: 'gpt-4o-mini' }) });
    const ok = await a.testConnection({ config: unnamed, apiKey: KEY, quirks: {} });
    expect(ok).toMatchObject({ method: 'assistant', assistant: { id: unnamed.assistantId, name: null, model: 'gpt-4o-mini' } });
    expect(ok.message).toBe(`Connected to the assistant ${unnamed.assistantId} (gpt-4o-mini).`);
  });

  it('deletes a thread on the server, and treats an already deleted one as done', async () => {
    const { adapter: a } = adapter();
    const config = providerConfig();
    const first = await turn(a, config, [user('hi')]);
    const threadId = first.savedThreadIds[0] as string;
    await a.deleteThread({ config, apiKey: KEY, quirks: {} }, threadId);
    expect(api.threads.has(threadId)).toBe(false);
    await expect(a.deleteThread({ config, apiKey: KEY, quirks: {} }, threadId)).resolves.toBeUndefined();
  });
});
