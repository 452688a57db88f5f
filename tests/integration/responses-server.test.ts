/**
 * The test server's Responses and Conversations APIs, driven with the real openai SDK and raw fetch: state
 * through conversations and previous_response_id, store:false, streaming event order, every scripted
 * outcome, background responses (resume after a cut, cancel), not served, and the spec validation of what
 * the fixture produces (which must be able to fail).
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, validateSpec, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { ResponsesApi } from '../fixtures/openai-server/responses.js';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes.js';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';

const KEY = 'sk-responses-fixture-0123456789';
const MODEL = 'gpt-4o-mini';

let server: OpenAIServer;
let api: ResponsesApi;
let client: OpenAI;

beforeAll(async () => {
  api = new ResponsesApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [responsesRoutes(api)] });
  client = new OpenAI({ baseURL: server.url, apiKey: KEY, organization: null, project: null, fetch: globalThis.fetch, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

afterEach(async () => {
  await expectWithinSpecThenReset(api, server);
});

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function deltas(events: StreamEvent[], type: string): string {
  return events
    .filter((e) => e.type === type)
    .map((e) => (e as { delta?: string }).delta ?? '')
    .join('');
}

/** Raw SSE events (name + JSON) of a fetch response body. */
async function rawEvents(response: Response): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}

describe('Responses API fixture', () => {
  it('answers a plain response and counts no earlier turns', async () => {
    const response = await client.responses.create({ model: MODEL, input: 'Hello there' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Echo: Hello there (earlier user turns: 0)');
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect(validateSpec('Response', response).valid).toBe(true);
  });

  it('streams named events in OpenAI order, with increasing sequence numbers', async () => {
    api.queueResponse({ reasoningSummary: 'Thinking it over.' });
    const res = await fetch(`${server.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'Hi', stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await rawEvents(res);
    for (const e of events) expect(e.event).toBe(e.data.type);
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.event);
    expect(types.slice(0, 3)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added']);
    expect(types).toContain('response.reasoning_summary_text.delta');
    expect(types.indexOf('response.reasoning_summary_text.done')).toBeLessThan(types.indexOf('response.output_text.delta'));
    expect(types.at(-1)).toBe('response.completed');
  });

  it('keeps state in a conversation: every turn sees the earlier ones, another conversation does not', async () => {
    const conversation = await client.conversations.create();
    const first = await client.responses.create({ model: MODEL, input: 'One', conversation: conversation.id });
    const second = await client.responses.create({ model: MODEL, input: [{ role: 'user', content: 'Two' }], conversation: { id: conversation.id } });
    expect(first.output_text).toBe('Echo: One (earlier user turns: 0)');
    expect(second.output_text).toBe('Echo: Two (earlier user turns: 1)');
    expect(second.conversation?.id).toBe(conversation.id);
    expect(api.conversationItems(conversation.id).map((i) => `${i.role}:${i.text}`)).toEqual([
      'user:One',
      'assistant:Echo: One (earlier user turns: 0)',
      'user:Two',
      'assistant:Echo: Two (earlier user turns: 1)',
    ]);

    const other = await client.conversations.create();
    const elsewhere = await client.responses.create({ model: MODEL, input: 'Three', conversation: other.id });
    expect(elsewhere.output_text).toBe('Echo: Three (earlier user turns: 0)');

    const items = await client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(items.data).toHaveLength(4);
    const newest = (await client.conversations.items.list(conversation.id, { order: 'desc', limit: 1 })).data[0];
    expect(newest?.type).toBe('message');
    await client.conversations.items.delete(newest?.id ?? '', { conversation_id: conversation.id });
    expect(api.conversationItems(conversation.id)).toHaveLength(3);

    await client.conversations.delete(conversation.id);
    await expect(client.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.create({ model: MODEL, input: 'x', conversation: conversation.id })).rejects.toMatchObject({ status: 404 });
  });

  it('chains previous_response_id, and store:false responses cannot be continued or retrieved', async () => {
    const first = await client.responses.create({ model: MODEL, input: 'A' });
    const second = await client.responses.create({ model: MODEL, input: 'B', previous_response_id: first.id });
    expect(second.output_text).toBe('Echo: B (earlier user turns: 1)');
    const third = await client.responses.create({ model: MODEL, input: 'C', previous_response_id: second.id });
    expect(third.output_text).toBe('Echo: C (earlier user turns: 2)');

    const stateless = await client.responses.create({
      model: MODEL,
      store: false,
      input: [
        { role: 'user', content: 'Q1' },
        { role: 'assistant', content: 'A1' },
        { role: 'user', content: 'Q2' },
      ],
    });
    expect(stateless.output_text).toBe('Echo: Q2 (earlier user turns: 1)');
    await expect(client.responses.retrieve(stateless.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.create({ model: MODEL, input: 'D', previous_response_id: stateless.id })).rejects.toMatchObject({ status: 404 });
    const input = await client.responses.inputItems.list(second.id);
    expect(input.data).toHaveLength(1);
  });

  it('scripts failed, incomplete and error outcomes', async () => {
    api.queueResponse({ outcome: 'failed', error: { code: 'server_error', message: 'The model crashed.' } });
    const failed = await collect(await client.responses.create({ model: MODEL, input: 'x', stream: true }));
    const failedEvent = failed.at(-1);
    expect(failedEvent?.type).toBe('response.failed');
    expect(failedEvent && 'response' in failedEvent ? failedEvent.response.error : null).toEqual({ code: 'server_error', message: 'The model crashed.' });

    api.queueResponse({ outcome: 'incomplete', incompleteReason: 'content_filter', text: 'Partial' });
    const incomplete = await collect(await client.responses.create({ model: MODEL, input: 'x', stream: true }));
    expect(deltas(incomplete, 'response.output_text.delta')).toBe('Partial');
    const last = incomplete.at(-1);
    expect(last && 'response' in last ? last.response.incomplete_details : null).toEqual({ reason: 'content_filter' });

    api.queueResponse({ outcome: 'error', text: 'Before the error', error: { code: 'rate_limit_exceeded', message: 'Slow down.' } });
    const res = await fetch(`${server.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'x', stream: true }),
    });
    const raw = await rawEvents(res);
    expect(raw.at(-1)).toEqual({ event: 'error', data: expect.objectContaining({ type: 'error', code: 'rate_limit_exceeded', message: 'Slow down.', param: null }) });
  });

  it('runs background responses on after a dropped stream; the stream resumes after a sequence number; cancel stops it', async () => {
    api.queueResponse({ text: 'one two three four five six', dropAfterEvents: 6, delayMs: 5 });
    const res = await fetch(`${server.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'x', stream: true, background: true }),
    });
    // The body breaks off: read what arrived before the cut.
    let text = '';
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // The cut.
    }
    const seen = text.split('\n\n').filter((b) => b.startsWith('event:'));
    expect(seen).toHaveLength(6);
    const lastSeq = Number(/"sequence_number":(\d+)/.exec(seen.at(-1) ?? '')?.[1]);
    const id = api.lastResponse()?.id ?? '';
    const resumed = await collect(await client.responses.retrieve(id, { stream: true, starting_after: lastSeq }));
    expect(resumed[0]?.sequence_number).toBe(lastSeq + 1);
    expect(resumed.at(-1)?.type).toBe('response.completed');
    expect((await client.responses.retrieve(id)).output_text).toBe('one two three four five six');

    api.queueResponse({ hang: true });
    const background = await client.responses.create({ model: MODEL, input: 'slow', background: true });
    expect(background.status).toBe('queued');
    const cancelled = await client.responses.cancel(background.id);
    expect(cancelled.status).toBe('cancelled');
    const plain = await client.responses.create({ model: MODEL, input: 'x' });
    await expect(client.responses.cancel(plain.id)).rejects.toMatchObject({ status: 400 });
  });

  it('stops a normal streamed response when its client leaves', async () => {
    api.queueResponse({ hang: true });
    const controller = new AbortController();
    const stream = await client.responses.create({ model: MODEL, input: 'x', stream: true }, { signal: controller.signal });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') break;
    }
    await server.waitFor(() => server.lastRequest('/responses')?.clientAborted, { description: 'the stream closed' });
    await api.idle();
    expect(api.lastResponse()?.status).toBe('cancelled');
  });

  it('can refuse or ignore background, and not serve the APIs at all', async () => {
    api.configure({ background: 'reject' });
    await expect(client.responses.create({ model: MODEL, input: 'x', background: true })).rejects.toMatchObject({ status: 400, code: 'unsupported_parameter' });
    api.configure({ background: 'ignore' });
    expect((await client.responses.create({ model: MODEL, input: 'x', background: true })).background).toBe(false);
    api.configure({ served: false, conversationsServed: false });
    await expect(client.responses.create({ model: MODEL, input: 'x' })).rejects.toMatchObject({ status: 404 });
    await expect(client.conversations.create()).rejects.toMatchObject({ status: 404 });
  });

  it('rejects unknown models and requests that miss the spec', async () => {
    await expect(client.responses.create({ model: 'gpt-9', input: 'x' })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    const res = await fetch(`${server.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'x', max_output_tokens: 1 }),
    });
    expect(res.status).toBe(400);
    expect(server.violations.map((v) => v.schema)).toEqual(['CreateResponse']);
    server.violations.length = 0;
  });

  it('validation can fail: a response without its required fields is not a Response', () => {
    expect(validateSpec('Response', { id: 'resp_1', object: 'response' }).valid).toBe(false);
    expect(validateSpec('ResponseStreamEvent', { type: 'response.output_text.delta', delta: 'x' }).valid).toBe(false);
  });
});
