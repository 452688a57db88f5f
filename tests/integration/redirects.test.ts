/**
 * A provider that answers with a redirect, through the real services, Node's fetch and two local servers
 * (different ports are different origins): a redirect to another origin is refused with a sentence naming
 * that host, and the other server never receives the key, the secret custom header or the message; a
 * redirect within the same origin is followed with the same headers (and, for 307, the same body).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { startRig, type Rig } from '../support/chat-rig';
import { draft, startProvidersRig } from '../support/providers-rig';

const KEY = 'sk-test-redirect-key-0123456789';
const GATEWAY_SECRET = 'gw-secret-value-9f8e7d6c5b4a';

/** The second origin: records every request it gets and answers 200, as a server that wants the key would. */
interface Recorder {
  url: string;
  host: string;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function startRecorder(): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let server: OpenAIServer;
let elsewhere: Recorder;
const rigs: Rig[] = [];

beforeAll(async () => {
  server = await startOpenAIServer({ apiKey: KEY });
  elsewhere = await startRecorder();
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
  server.reset();
  elsewhere.requests.length = 0;
});

function chatRig() {
  const rig = startRig();
  rigs.push(rig);
  rig.addProvider({ baseUrl: server.url, model: 'gpt-4o-mini', customHeaders: [{ name: 'X-Api-Key', value: GATEWAY_SECRET }] }, KEY);
  return rig;
}

function redirect(status: number, location: string) {
  return { kind: 'raw' as const, status, contentType: 'text/plain', body: 'Moved', headers: { location } };
}

describe('a redirect to another origin', () => {
  it.each([302, 307, 308])('HTTP %i on a chat request is refused, naming the host; nothing reaches it', async (status) => {
    const rig = chatRig();
    server.nextResponses(redirect(status, `${elsewhere.url}/v1/chat/completions`));
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'my private message' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('failed');
    expect(result.final.error?.code).toBe('REDIRECT_REFUSED');
    expect(result.final.error?.message).toContain(elsewhere.host);
    expect(result.final.error?.params?.target).toBe(elsewhere.host);
    expect(elsewhere.requests).toEqual([]);
    // The first server did get the request with its headers: the refusal is about the redirect only.
    expect(server.requests[0]?.headers['x-api-key']).toBe(GATEWAY_SECRET);
  });

  it('on Test Connection (GET /models) is refused the same way', async () => {
    const rig = startProvidersRig({ connectTimeoutMs: 5000 });
    server.nextResponses(redirect(302, `${elsewhere.url}/v1/models`));
    const input = draft({ baseUrl: server.url, apiKey: { action: 'set', value: KEY }, customHeaders: [{ name: 'X-Api-Key', value: GATEWAY_SECRET }] });
    // A failed test is a result the form shows (or, for some failures, an error): either way the sentence.
    const text = await rig.call('providers:test', input).then(
      (result) => JSON.stringify(result),
      (error: Error) => error.message,
    );
    expect(text).toContain(elsewhere.host);
    expect(text).toContain('REDIRECT_REFUSED');
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('a redirect within the same origin', () => {
  it('307 is followed with the same method, headers and body', async () => {
    const rig = chatRig();
    server.nextResponses(redirect(307, `${server.url}/chat/completions`));
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'follow me' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('Echo: follow me');
    const [first, second] = server.requests;
    expect(second?.method).toBe('POST');
    expect(second?.headers['x-api-key']).toBe(GATEWAY_SECRET);
    expect(second?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(second?.rawBody).toBe(first?.rawBody);
  });
});
