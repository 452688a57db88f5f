/**
 * Reading an answer that came as one JSON document although a stream was asked for.
 */
import { describe, expect, it } from 'vitest';
import { readUnstreamedJson } from '../../../../../electron/main/providers/errors/reply-failure';

const ctx = { baseUrl: 'http://127.0.0.1:8000/v1' };

describe('readUnstreamedJson', () => {
  it('gives the parsed body with its text', async () => {
    const text = '{"object":"response","output":[]}';
    expect(await readUnstreamedJson(new Response(text), 'application/json', ctx)).toEqual({ body: { object: 'response', output: [] }, text });
  });

  it('says a body that is not JSON is not an OpenAI-style API, naming the host', async () => {
    const read = await readUnstreamedJson(new Response('<html>Sign in</html>'), 'text/html', ctx);
    expect(read).toMatchObject({ error: { code: 'NOT_OPENAI_API', params: { host: '127.0.0.1:8000', context: 'html' } } });
  });

  it('says the connection dropped when the body breaks off', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"object":'));
        controller.error(new TypeError('terminated'));
      },
    });
    const read = await readUnstreamedJson(new Response(body), 'application/json', ctx);
    expect(read).toMatchObject({ error: { code: 'CONNECTION_DROPPED', params: { host: '127.0.0.1:8000' } } });
  });
});
