/**
 * The local OpenAI-compatible test server, tested with the real openai SDK and raw fetch: the happy path,
 * every fault the client tests rely on, recording, and the spec validation itself (which must be able to fail).
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faults, refusedUrl, startOpenAIServer, validateSpec } from '../fixtures/openai-server/index.js';
import type { OpenAIServer, RouteModule } from '../fixtures/openai-server/index.js';

const KEY = 'sk-test-0123456789abcdef';
const MODEL = 'gpt-4o-mini';

let server: OpenAIServer;

function sdk(target: OpenAIServer = server, apiKey = KEY): OpenAI {
  // Everything explicit, so OPENAI_* environment variables of the machine never matter.
  return new OpenAI({ baseURL: target.url, apiKey, organization: null, project: null, fetch: globalThis.fetch, maxRetries: 0 });
}

function post(path: string, body: unknown, headers: Record<string, string> = {}, target: OpenAIServer = server, signal?: AbortSignal): Promise<Response> {
  return fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

function chatBody(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: MODEL, messages: [{ role: 'user', content: text }], ...extra };
}

interface SseEvent {
  comment?: string;
  data?: string;
}

/** Splits a complete SSE body into events, keeping comments (clients must ignore them; we must send them). */
function parseSse(text: string): SseEvent[] {
  return text
    .split(/\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        else if (line.startsWith('data: ')) event.data = line.slice(6);
      }
      return event;
    });
}

/** The JSON payloads of the stream; `[DONE]` and deliberately malformed lines are left out. */
function jsonEvents(events: SseEvent[]): Array<Record<string, unknown>> {
  return events.flatMap((e) => {
    if (e.data === undefined || e.data === '[DONE]') return [];
    try {
      return [JSON.parse(e.data) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

function deltas(chunks: Array<Record<string, unknown>>, field = 'content'): string {
  return chunks
    .flatMap((c) => (Array.isArray(c.choices) ? (c.choices as Array<{ delta: Record<string, unknown> }>) : []).map((choice) => choice.delta[field]))
    .filter((v): v is string => typeof v === 'string')
    .join('');
}

async function streamText(response: Response): Promise<{ events: SseEvent[]; chunks: Array<Record<string, unknown>> }> {
  const events = parseSse(await response.text());
  return { events, chunks: jsonEvents(events) };
}

beforeAll(async () => {
  server = await startOpenAIServer({ apiKey: KEY });
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  // Every test leaves the server clean; a violation is a bug in the client request or in the fixture.
  expect(server.violations).toEqual([]);
  server.reset();
});

describe('happy path with the openai SDK', () => {
  it('lists and retrieves models, including ids with a slash', async () => {
    const client = sdk();
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'gpt-4o', 'local/llama-3.1-8b-instruct']);
    const model = await client.models.retrieve('local/llama-3.1-8b-instruct');
    expect(model).toMatchObject({ id: 'local/llama-3.1-8b-instruct', object: 'model' });
    await expect(client.models.retrieve('nope')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    expect(server.lastRequest()?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.lastRequest()?.headers).not.toHaveProperty('openai-organization');
  });

  it('answers a non-streaming completion with the echo reply and usage', async () => {
    const completion = await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'hello there' }] });
    expect(completion.choices[0]?.message.content).toBe('Echo: hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    expect(server.lastRequest('/chat/completions')?.body).toMatchObject({ model: MODEL, messages: [{ role: 'system' }, { role: 'user', content: 'hello there' }] });
  });

  it('streams word by word and ends with a usage-only chunk when include_usage is set', async () => {
    const stream = await sdk().chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'stream this please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Echo: stream this please');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBe(4);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(chunks[chunks.length - 2]?.choices[0]?.finish_reason).toBe('stop');
    // Every chunk but the last carries usage: null, like OpenAI.
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('omits the usage chunk without include_usage, and ends with [DONE]', async () => {
    const response = await post('/chat/completions', chatBody('hi', { stream: true }));
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const { events, chunks } = await streamText(response);
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(deltas(chunks)).toBe('Echo: hi');
  });

  it('uses the configured reply, chunk size and text parts of the user message', async () => {
    server.setBehavior({ reply: (r) => `You said ${r.lastUserText.toUpperCase()}`, chunkSize: 3 });
    const response = await post('/chat/completions', chatBody('', { stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'abc' }] }] }));
    const { chunks } = await streamText(response);
    const pieces = chunks.map((c) => (c.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content).filter((p) => p);
    expect(pieces).toEqual(['You', ' sa', 'id ', 'ABC']);
  });

  it('streams a long reply slowly, so Stop can land mid-reply and the server sees the close', async () => {
    server.setBehavior({ reply: Array.from({ length: 200 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 20 });
    const controller = new AbortController();
    const response = await post('/chat/completions', chatBody('long', { stream: true }), {}, server, controller.signal);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    controller.abort();
    const record = await server.waitFor(() => server.requests.find((r) => r.clientAborted), { description: 'the server to see the client close' });
    expect(record.completed).toBe(false);
    expect(record.serverDropped).toBe(false);
  });

  it('honours max_completion_tokens / max_tokens with finish_reason length (a 1-token probe)', async () => {
    const probe = await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'ping pong' }], max_completion_tokens: 1 });
    expect(probe.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Echo:' } });
    expect(probe.usage?.completion_tokens).toBe(1);
    const { chunks } = await streamText(await post('/chat/completions', chatBody('one two three', { stream: true, max_tokens: 2 })));
    expect(deltas(chunks)).toBe('Echo: one');
    expect(chunks[chunks.length - 1]?.choices).toMatchObject([{ finish_reason: 'length' }]);
  });

  it('sends an x-request-id that names the recorded request', async () => {
    const response = await post('/chat/completions', chatBody('x'));
    const id = Number(response.headers.get('x-request-id')?.replace('req_', ''));
    expect(server.requests.find((r) => r.id === id)?.routePath).toBe('/chat/completions');
  });

  it('serves concurrent streams without mixing them', async () => {
    const [a, b] = await Promise.all([
      post('/chat/completions', chatBody('first conversation', { stream: true })).then(streamText),
      post('/chat/completions', chatBody('second conversation', { stream: true })).then(streamText),
    ]);
    expect(deltas(a.chunks)).toBe('Echo: first conversation');
    expect(deltas(b.chunks)).toBe('Echo: second conversation');
    expect(new Set(a.chunks.map((c) => c.id)).size).toBe(1);
    expect(a.chunks[0]?.id).not.toBe(b.chunks[0]?.id);
  });

  it('streams a given number of tokens as fast as the client reads', async () => {
    server.nextResponses(faults.tokens(3000, 'x'));
    const { chunks, events } = await streamText(await post('/chat/completions', chatBody('fast', { stream: true })));
    expect(deltas(chunks)).toBe('x'.repeat(3000));
    expect(events[events.length - 1]?.data).toBe('[DONE]');
  });
});

describe('auth, base path and headers', () => {
  it('rejects a missing or wrong key with an OpenAI body that masks the key', async () => {
    const missing = await fetch(`${server.url}/models`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain("didn't provide an API key");
    expect(server.lastRequest()?.headers.authorization).toBeUndefined();

    await expect(sdk(server, 'sk-wrong-key-999999').models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    const body = server.lastRequest();
    expect(body?.status).toBe(401);
    const wrong = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer sk-wrong-key-999999' } });
    const message = ((await wrong.json()) as { error: { message: string } }).error.message;
    expect(message).toContain('sk-');
    expect(message).toContain('9999');
    expect(message).not.toContain('sk-wrong-key-999999');
  });

  it('accepts any or no auth without apiKey, at the root base path, and 404s paths outside it', async () => {
    const open = await startOpenAIServer({ basePath: '' });
    try {
      expect(open.url).toBe(open.origin);
      const models = await fetch(`${open.url}/models`);
      expect(models.status).toBe(200);
      expect(open.lastRequest()?.headers).not.toHaveProperty('authorization');
      const chat = await post('/chat/completions', chatBody('root'), { authorization: 'Bearer whatever' }, open);
      expect(((await chat.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('Echo: root');
      expect(open.violations).toEqual([]);
    } finally {
      await open.close();
    }
    // A doubled or missing /v1 on a /v1 server: OpenAI's "Invalid URL".
    for (const path of ['/v1/v1/chat/completions', '/chat/completions']) {
      const response = await fetch(`${server.origin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { message: `Invalid URL (POST ${path})`, type: 'invalid_request_error', param: null, code: null } });
    }
  });

  it('answers 405 with allow for a known path and a wrong method', async () => {
    const response = await fetch(`${server.url}/chat/completions`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('supports api-key style auth and required gateway headers', async () => {
    const azure = await startOpenAIServer({ apiKey: 'azure-key', apiKeyHeader: 'api-key', requiredHeaders: { 'X-Title': 'Switchboard' } });
    try {
      expect((await fetch(`${azure.url}/models`, { headers: { 'api-key': 'azure-key' } })).status).toBe(401);
      expect((await fetch(`${azure.url}/models`, { headers: { 'api-key': 'azure-key', 'x-title': 'Switchboard' } })).status).toBe(200);
      expect((await fetch(`${azure.url}/models`, { headers: { authorization: 'Bearer azure-key', 'x-title': 'Switchboard' } })).status).toBe(401);
    } finally {
      await azure.close();
    }
  });
});

describe('spec validation', () => {
  it('records an invalid request body as a violation and answers 400', async () => {
    const response = await post('/chat/completions', { model: MODEL, messages: [{ role: 'robot', content: 'hi' }] });
    expect(response.status).toBe(400);
    expect(server.violations).toHaveLength(1);
    expect(server.violations[0]).toMatchObject({ schema: 'CreateChatCompletionRequest', direction: 'request', path: '/v1/chat/completions' });
    expect(server.violations[0]?.message).toContain('/messages/0/role');
    server.violations.length = 0;

    const notJson = await post('/chat/completions', '{"model": ');
    expect(notJson.status).toBe(400);
    expect(server.violations[0]?.errors[0]).toContain('not JSON');
    server.violations.length = 0;
  });

  it('records reasoning sent back in the history (DeepSeek rejects it)', async () => {
    const response = await post('/chat/completions', {
      model: MODEL,
      messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', reasoning_content: 'secret thoughts' }, { role: 'user', content: 'c' }],
    });
    expect(response.status).toBe(400);
    expect(server.violations.map((v) => v.schema)).toEqual(['(rule) no reasoning in history']);
    server.violations.length = 0;
  });

  it('validates values against any schema of the spec, and can fail', () => {
    const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] };
    expect(validateSpec('CreateChatCompletionStreamResponse', chunk)).toEqual({ valid: true, errors: [] });
    const bad = validateSpec('CreateChatCompletionStreamResponse', { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'tired' }] });
    expect(bad.valid).toBe(false);
    expect(bad.errors.join('\n')).toContain('/choices/0/finish_reason');
    expect(validateSpec('RunObject', {}).valid).toBe(false);
    expect(() => validateSpec('NoSuchSchema', {})).toThrow(/no schema named "NoSuchSchema"/);
  });

  it('catches an invalid response produced by a route module', async () => {
    const broken: RouteModule = () => [{ method: 'GET', path: '/broken', handle: (ctx) => ctx.sendJson(200, { object: 'list' }, 'ListModelsResponse') }];
    const custom = await startOpenAIServer({ routes: [broken] });
    try {
      expect((await fetch(`${custom.url}/broken`)).status).toBe(200);
      expect(custom.violations).toHaveLength(1);
      expect(custom.violations[0]).toMatchObject({ schema: 'ListModelsResponse', direction: 'response' });
      expect(custom.violations[0]?.message).toContain("must have required property 'data'");
    } finally {
      await custom.close();
    }
  });
});

describe('HTTP error faults', () => {
  it('produces each body style', async () => {
    server.nextResponses(
      faults.openaiError(400, { message: 'Bad thing', code: 'bad_thing', param: 'messages' }),
      faults.fastapiError(422, 'Field required'),
      faults.messageError(500, 'Something broke'),
      faults.htmlError(502),
      faults.htmlOk(),
    );
    const results = [];
    for (let i = 0; i < 5; i++) {
      const response = await post('/chat/completions', chatBody('x'));
      results.push({ status: response.status, type: response.headers.get('content-type'), body: await response.text() });
    }
    expect(JSON.parse(results[0]?.body ?? '')).toEqual({ error: { message: 'Bad thing', type: 'invalid_request_error', param: 'messages', code: 'bad_thing' } });
    expect(results[1]).toMatchObject({ status: 422, body: '{"detail":"Field required"}' });
    expect(results[2]).toMatchObject({ status: 500, body: '{"message":"Something broke"}' });
    expect(results[3]?.status).toBe(502);
    expect(results[3]?.type).toContain('text/html');
    expect(results[3]?.body).toContain('<center><h1>502 Bad Gateway</h1></center>');
    expect(results[4]?.status).toBe(200);
    expect(results[4]?.body).toContain('<!DOCTYPE html>');
    expect(server.pendingFaults).toBe(0);
  });

  it('maps statuses to the SDK error classes with realistic OpenAI bodies', async () => {
    const client = sdk();
    const cases: Array<[ReturnType<typeof faults.serverError>, number, string | null]> = [
      [faults.badRequest('nope'), 400, null],
      [faults.invalidApiKey(), 401, 'invalid_api_key'],
      [faults.forbidden(), 403, 'forbidden'],
      [faults.modelNotFound('gpt-9'), 404, 'model_not_found'],
      [faults.unknownPath(), 404, null],
      [faults.methodNotAllowed(), 405, null],
      [faults.serverError(), 500, null],
      [faults.serviceUnavailable(), 503, 'service_unavailable'],
    ];
    for (const [fault, status, code] of cases) {
      server.nextResponses(fault);
      const error = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error).toMatchObject({ status, code });
    }
    server.nextResponses(faults.modelNotFound('gpt-9'));
    const notFound = await post('/chat/completions', chatBody('x'));
    expect(((await notFound.json()) as { error: { message: string } }).error.message).toBe('The model `gpt-9` does not exist or you do not have access to it.');
    server.nextResponses(faults.gatewayTimeout());
    const timeout = await post('/chat/completions', chatBody('x'));
    expect(timeout.status).toBe(504);
    expect(await timeout.text()).toContain('504 Gateway Time-out');
  });

  it('sends retry-after and retry-after-ms on 429, for n requests with times', async () => {
    server.nextResponses({ ...faults.rateLimited({ seconds: 2 }), times: 2 }, faults.rateLimited({ ms: 25 }));
    const first = await post('/chat/completions', chatBody('x'));
    const second = await post('/chat/completions', chatBody('x'));
    const third = await post('/chat/completions', chatBody('x'));
    const fourth = await post('/chat/completions', chatBody('x'));
    expect([first.status, second.status, third.status, fourth.status]).toEqual([429, 429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(second.headers.get('retry-after')).toBe('2');
    expect(third.headers.get('retry-after')).toBeNull();
    expect(third.headers.get('retry-after-ms')).toBe('25');
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });

  it('matches faults by path and keeps chat faults away from /models', async () => {
    server.nextResponses(faults.streamError('x'), faults.serverError({ path: '/chat/completions' }));
    expect((await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    const scripted = await post('/chat/completions', chatBody('x', { stream: true }));
    expect(scripted.status).toBe(200);
    expect(await scripted.text()).toContain('"error"');
    expect((await post('/chat/completions', chatBody('x'))).status).toBe(500);
  });

  it('rejects stream_options with 400 and accepts the same request without it', async () => {
    server.setBehavior({ rejectStreamOptions: true });
    const rejected = await post('/chat/completions', chatBody('x', { stream: true, stream_options: { include_usage: true } }));
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { error: { param: string } }).error.param).toBe('stream_options');
    const accepted = await post('/chat/completions', chatBody('x', { stream: true }));
    expect(accepted.status).toBe(200);
    expect(deltas((await streamText(accepted)).chunks)).toBe('Echo: x');
    expect(server.requestsTo('/chat/completions')[1]?.body).not.toHaveProperty('stream_options');

    server.reset();
    server.nextResponses(faults.rejectStreamOptions());
    expect((await post('/chat/completions', chatBody('x', { stream: true, stream_options: { include_usage: true } }))).status).toBe(400);
    expect((await post('/chat/completions', chatBody('x', { stream: true, stream_options: { include_usage: true } }))).status).toBe(200);
  });

  it('misses /models like a gateway while chat works', async () => {
    for (const status of [404, 405] as const) {
      server.setBehavior({ modelsEndpoint: status });
      await expect(sdk().models.list()).rejects.toMatchObject({ status });
      await expect(sdk().models.retrieve(MODEL)).rejects.toMatchObject({ status });
      const completion = await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'ok' }] });
      expect(completion.choices[0]?.message.content).toBe('Echo: ok');
    }
  });

  it('matches faults by a predicate on the recorded request', async () => {
    server.alwaysRespond({ ...faults.badRequest('streaming is broken here'), match: { when: (r) => (r.body as { stream?: boolean }).stream === true } });
    expect((await post('/chat/completions', chatBody('x'))).status).toBe(200);
    expect((await post('/chat/completions', chatBody('x', { stream: true }))).status).toBe(400);
  });

  it('applies alwaysRespond until cleared', async () => {
    server.alwaysRespond(faults.serviceUnavailable());
    expect((await post('/chat/completions', chatBody('x'))).status).toBe(503);
    expect((await post('/chat/completions', chatBody('x'))).status).toBe(503);
    server.clearFaults();
    expect((await post('/chat/completions', chatBody('x'))).status).toBe(200);
  });
});

describe('connection faults', () => {
  it('refuses connections where nothing listens', async () => {
    const url = await refusedUrl();
    const error = await fetch(`${url}/models`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });

  it('hangs before headers until the client gives up', async () => {
    server.nextResponses(faults.hang());
    const error = await post('/chat/completions', chatBody('x'), {}, server, AbortSignal.timeout(150)).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    const record = await server.waitFor(() => server.requests.find((r) => r.clientAborted));
    expect(record.status).toBeUndefined();
    expect(record.fault).toBe('hang');
  });

  it('resets the connection without a response', async () => {
    server.nextResponses(faults.reset());
    await expect(post('/chat/completions', chatBody('x'))).rejects.toThrow(TypeError);
    expect(server.lastRequest()).toMatchObject({ serverDropped: true, clientAborted: false, status: undefined });
  });

  it('answers after a delay, and close() ends hanging requests', async () => {
    server.nextResponses(faults.delay(30));
    expect((await post('/chat/completions', chatBody('x'))).status).toBe(200);
    const other = await startOpenAIServer();
    other.nextResponses(faults.hang());
    const pending = post('/chat/completions', chatBody('x'), {}, other).catch((e: unknown) => e);
    await other.waitForRequest((r) => r.routePath === '/chat/completions');
    await other.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });
});

describe('stream shapes', () => {
  it('sends an Azure prompt_filter_results chunk with empty choices first', async () => {
    server.nextResponses(faults.azurePromptFilterFirst());
    const { chunks } = await streamText(await post('/chat/completions', chatBody('azure', { stream: true })));
    expect(chunks[0]).toMatchObject({ choices: [], object: '', prompt_filter_results: [{ prompt_index: 0 }] });
    expect(deltas(chunks)).toBe('Echo: azure');
    // And the SDK copes with it.
    server.nextResponses(faults.azurePromptFilterFirst('fine'));
    let text = '';
    for await (const chunk of await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('fine');
  });

  it('sends SSE comment lines the SDK ignores', async () => {
    server.nextResponses(faults.comments('with comments'));
    const { events, chunks } = await streamText(await post('/chat/completions', chatBody('x', { stream: true })));
    expect(events.filter((e) => e.comment !== undefined).map((e) => e.comment)).toEqual(['OPENROUTER PROCESSING', 'keep-alive', 'keep-alive']);
    expect(deltas(chunks)).toBe('with comments');
  });

  it('repeats keep-alive comments at an interval before the reply', async () => {
    server.nextResponses(faults.chat([{ type: 'comment', text: 'OPENROUTER PROCESSING', repeat: 3, intervalMs: 5 }, { type: 'content' }]));
    const { events, chunks } = await streamText(await post('/chat/completions', chatBody('warm', { stream: true })));
    expect(events.slice(0, 3).map((e) => e.comment)).toEqual(['OPENROUTER PROCESSING', 'OPENROUTER PROCESSING', 'OPENROUTER PROCESSING']);
    expect(deltas(chunks)).toBe('Echo: warm');
  });

  it('streams reasoning as reasoning_content, reasoning, or inline think tags', async () => {
    server.nextResponses(faults.reasoningContent('Let me think.', 'Four.'), faults.reasoningField('Hmm.', 'Five.'), faults.thinkTags('Why', 'Six.'));
    const a = (await streamText(await post('/chat/completions', chatBody('x', { stream: true })))).chunks;
    expect(deltas(a, 'reasoning_content')).toBe('Let me think.');
    expect(deltas(a)).toBe('Four.');
    const b = (await streamText(await post('/chat/completions', chatBody('x', { stream: true })))).chunks;
    expect(deltas(b, 'reasoning')).toBe('Hmm.');
    expect(deltas(b)).toBe('Five.');
    const c = (await streamText(await post('/chat/completions', chatBody('x', { stream: true })))).chunks;
    expect(deltas(c)).toBe('<think>Why</think>\n\nSix.');
  });

  it('gathers a script into one completion for non-streaming requests', async () => {
    server.nextResponses(faults.reasoningContent('Thinking.', 'Done.'), faults.finishReason('length', 'Cut'));
    const first = await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    expect(first.choices[0]?.message).toMatchObject({ content: 'Done.', reasoning_content: 'Thinking.' });
    const second = await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    expect(second.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Cut' } });
  });

  it('ends with finish_reason length or content_filter', async () => {
    for (const reason of ['length', 'content_filter'] as const) {
      server.nextResponses(faults.finishReason(reason, 'Partial answer'));
      const { chunks, events } = await streamText(await post('/chat/completions', chatBody('x', { stream: true, stream_options: { include_usage: true } })));
      const finishes = chunks.flatMap((c) => (c.choices as Array<{ finish_reason: string | null }>).map((ch) => ch.finish_reason)).filter((r) => r !== null);
      expect(finishes).toEqual([reason]);
      expect(deltas(chunks)).toBe('Partial answer');
      expect(chunks[chunks.length - 1]?.usage).toMatchObject({ completion_tokens: 2 });
      expect(events[events.length - 1]?.data).toBe('[DONE]');
    }
  });

  it('sends an error event inside a 200 stream after some text, which the SDK surfaces', async () => {
    server.nextResponses(faults.streamError('Partial text', { message: 'Upstream provider overloaded', code: 'overloaded' }));
    const response = await post('/chat/completions', chatBody('x', { stream: true }));
    expect(response.status).toBe(200);
    const { events, chunks } = await streamText(response);
    expect(deltas(chunks)).toBe('Partial text');
    expect(chunks[chunks.length - 1]).toEqual({ error: { message: 'Upstream provider overloaded', type: 'server_error', param: null, code: 'overloaded' } });
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);

    server.nextResponses(faults.streamError('Partial text', { message: 'Upstream provider overloaded' }));
    let seen = '';
    const error = await (async () => {
      for await (const chunk of await sdk().chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true })) {
        seen += chunk.choices[0]?.delta.content ?? '';
      }
    })().catch((e: unknown) => e);
    expect(seen).toBe('Partial text');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('Upstream provider overloaded');
  });

  it('sends a malformed chunk that is not JSON', async () => {
    server.nextResponses(faults.malformedChunk('Before.'));
    const { events } = await streamText(await post('/chat/completions', chatBody('x', { stream: true })));
    const broken = events.find((e) => e.data?.startsWith('{"id": "chatcmpl-broken"'));
    expect(broken).toBeDefined();
    expect(() => JSON.parse(broken?.data ?? '')).toThrow();
    expect(events[events.length - 1]?.data).toBe('[DONE]');
  });

  it('drops the connection mid-stream without [DONE]', async () => {
    server.nextResponses(faults.dropAfter('Some partial'));
    const response = await post('/chat/completions', chatBody('x', { stream: true }));
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let received = '';
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += new TextDecoder().decode(value);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(received).toContain('"content":" partial"');
    expect(received).not.toContain('[DONE]');
    expect(server.lastRequest()).toMatchObject({ serverDropped: true, clientAborted: false, completed: false });
  });

  it('goes idle after some text until the client gives up', async () => {
    server.nextResponses(faults.idleAfter('Waiting'));
    const controller = new AbortController();
    const response = await post('/chat/completions', chatBody('x', { stream: true }), {}, server, controller.signal);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let received = '';
    while (!received.includes('Waiting')) received += new TextDecoder().decode((await reader.read()).value);
    // The server now stays silent; an idle timeout in the client would fire here. Give up like one.
    expect(server.lastRequest()).toMatchObject({ completed: false, clientAborted: false });
    controller.abort();
    await server.waitFor(() => server.lastRequest()?.clientAborted, { description: 'the idle stream to be abandoned' });
  });

  it('runs free-form scripts with pauses, raw bytes and an explicit usage chunk', async () => {
    server.nextResponses(
      faults.chat([{ type: 'content', text: 'a b' }, { type: 'pause', ms: 5 }, { type: 'raw', text: 'data: {"custom":true}\n\n' }, { type: 'usage' }], { roleChunk: false, ending: 'none' }),
    );
    const { events, chunks } = await streamText(await post('/chat/completions', chatBody('x', { stream: true })));
    expect(deltas(chunks)).toBe('a b');
    expect(chunks).toContainEqual({ custom: true });
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
  });
});
