import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  looksLikeHtml,
  mapHttpFailure,
  mapProviderError,
  notOpenAIApi,
  parseRetryAfterMs,
  parseServerError,
} from '../../../../../electron/main/providers/errors/request-failure';
import { createOpenAIClient } from '../../../../../electron/main/providers/wire/openai-client';
import en from '../../../../../renderer/i18n/locales/en/errors.json';
import zh from '../../../../../renderer/i18n/locales/zh-TW/errors.json';
import type { AppError } from '../../../../../shared/result';

/** Each path answers with the status, headers and body given in the table. */
const ROUTES: Record<string, { status: number; headers?: Record<string, string>; body: string }> = {
  '/openai-401/models': {
    status: 401,
    body: JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abc***wxyz', type: 'invalid_request_error', code: 'invalid_api_key' } }),
  },
  '/fastapi-403/models': { status: 403, body: JSON.stringify({ detail: 'Key not allowed for model' }) },
  '/message-400/chat/completions': { status: 400, body: JSON.stringify({ message: 'max_tokens is too large', code: 400 }) },
  '/plain-400/chat/completions': { status: 400, body: 'bad things happened' },
  '/html-502/models': {
    status: 502,
    headers: { 'content-type': 'text/html' },
    body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
  },
  '/ratelimit/models': { status: 429, headers: { 'retry-after': '7' }, body: JSON.stringify({ error: { message: 'Slow down' } }) },
  '/ratelimit-ms/models': { status: 429, headers: { 'retry-after-ms': '1500' }, body: '{}' },
  '/quota/models': {
    status: 429,
    body: JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }),
  },
  '/v1/chat/completions': {
    status: 404,
    body: JSON.stringify({ error: { message: 'The model `gpt-9` does not exist', code: 'model_not_found' } }),
  },
  '/models': { status: 404, body: JSON.stringify({ detail: 'Not Found' }) },
  '/vllm/v1/chat/completions': {
    status: 404,
    body: JSON.stringify({ object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 }),
  },
  '/v1/assistants/asst_missing': {
    status: 404,
    body: JSON.stringify({ error: { message: "No assistant found with id 'asst_missing'.", type: 'invalid_request_error' } }),
  },
  '/gw/v1/assistants/asst_1': { status: 404, body: JSON.stringify({ detail: 'Not Found' }) },
  '/down/models': { status: 503, body: JSON.stringify({ error: { message: 'overloaded' } }) },
  '/echo-key/models': { status: 400, body: JSON.stringify({ error: { message: 'bad key sk-live-SECRETKEY123456 here' } }) },
};

let server: http.Server;
let origin = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const route = ROUTES[(req.url ?? '').split('?')[0] ?? ''];
    if (!route) {
      res.writeHead(500).end('unexpected path');
      return;
    }
    res.writeHead(route.status, { 'content-type': 'application/json', ...route.headers });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function sdkFailure(baseUrl: string, run: (client: ReturnType<typeof createOpenAIClient>) => Promise<unknown>) {
  const client = createOpenAIClient(
    { type: 'openai-compatible', baseUrl, apiKey: 'sk-live-SECRETKEY123456', customHeaders: [] },
    { fetch: globalThis.fetch, timeoutMs: 5000 },
  );
  try {
    await run(client);
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

const models = (c: ReturnType<typeof createOpenAIClient>) => c.models.list();
const chat = (model: string) => (c: ReturnType<typeof createOpenAIClient>) =>
  c.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });

describe('mapProviderError on real openai SDK errors', () => {
  it('401 with an OpenAI body: wrong key, without echoing the server text', async () => {
    const e = mapProviderError(await sdkFailure(`${origin}/openai-401`, models), { baseUrl: `${origin}/openai-401` });
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('HTTP 401');
    expect(JSON.stringify(e)).not.toContain('sk-abc');
    expect(e.params).toMatchObject({ status: 401, host: new URL(origin).host });
  });

  it('403 with a FastAPI {"detail"} body keeps the detail', async () => {
    const e = mapProviderError(await sdkFailure(`${origin}/fastapi-403`, models), { baseUrl: `${origin}/fastapi-403` });
    expect(e.code).toBe('PERMISSION_DENIED');
    expect(e.params?.detail).toBe('Key not allowed for model');
  });

  it('400 with a {"message"} body and with a plain-text body', async () => {
    const a = mapProviderError(await sdkFailure(`${origin}/message-400`, chat('m')), { baseUrl: `${origin}/message-400` });
    expect(a.code).toBe('BAD_REQUEST');
    expect(a.params?.detail).toBe('max_tokens is too large');
    const b = mapProviderError(await sdkFailure(`${origin}/plain-400`, chat('m')), { baseUrl: `${origin}/plain-400` });
    expect(b.code).toBe('BAD_REQUEST');
    expect(b.params?.detail).toBe('bad things happened');
  });

  it('502 with an HTML page from a proxy never dumps the HTML', async () => {
    const e = mapProviderError(await sdkFailure(`${origin}/html-502`, models), { baseUrl: `${origin}/html-502` });
    expect(e.code).toBe('SERVER_ERROR');
    expect(e.retryable).toBe(true);
    expect(e.params).toMatchObject({ status: 502, context: 'gateway', detail: '' });
    expect(JSON.stringify(e)).not.toMatch(/<html|nginx|<h1/i);
  });

  it('429 exposes the wait from retry-after (seconds) and retry-after-ms', async () => {
    const a = mapProviderError(await sdkFailure(`${origin}/ratelimit`, models), { baseUrl: `${origin}/ratelimit` });
    expect(a.code).toBe('RATE_LIMITED');
    expect(a.retryable).toBe(true);
    expect(a.params).toMatchObject({ retryAfterMs: 7000, seconds: 7 });
    expect(a.hint).toContain('7 s');
    const b = mapProviderError(await sdkFailure(`${origin}/ratelimit-ms`, models), { baseUrl: `${origin}/ratelimit-ms` });
    expect(b.params).toMatchObject({ retryAfterMs: 1500, seconds: 2 });
  });

  it('429 insufficient_quota is not retryable', async () => {
    const e = mapProviderError(await sdkFailure(`${origin}/quota`, models), { baseUrl: `${origin}/quota` });
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(false);
    expect(e.params?.context).toBe('quota');
  });

  it('404 model_not_found vs 404 wrong path (with the /v1 hint only when /v1 is missing)', async () => {
    const model = mapProviderError(await sdkFailure(`${origin}/v1`, chat('gpt-9')), { baseUrl: `${origin}/v1`, model: 'gpt-9' });
    expect(model.code).toBe('MODEL_NOT_FOUND');
    expect(model.params?.model).toBe('gpt-9');

    const vllm = mapProviderError(await sdkFailure(`${origin}/vllm/v1`, chat('x')), { baseUrl: `${origin}/vllm/v1`, model: 'x' });
    expect(vllm.code).toBe('MODEL_NOT_FOUND');

    const path = mapProviderError(await sdkFailure(origin, models), { baseUrl: origin, operation: 'models' });
    expect(path.code).toBe('NOT_FOUND_PATH');
    expect(path.hint).toContain(`${origin}/v1`);
    expect(path.params?.suggestion).toBe(`${origin}/v1`);
  });

  it('404 on an assistant: not found vs Assistants API not served', async () => {
    const missing = mapProviderError(
      await sdkFailure(`${origin}/v1`, (c) => c.beta.assistants.retrieve('asst_missing')),
      { baseUrl: `${origin}/v1`, operation: 'assistant', assistantId: 'asst_missing' },
    );
    expect(missing.code).toBe('ASSISTANT_NOT_FOUND');
    expect(missing.message).toContain('asst_missing');
    const gone = mapProviderError(
      await sdkFailure(`${origin}/gw/v1`, (c) => c.beta.assistants.retrieve('asst_1')),
      { baseUrl: `${origin}/gw/v1`, operation: 'assistant', assistantId: 'asst_1' },
    );
    expect(gone.code).toBe('ASSISTANTS_API_UNAVAILABLE');
    expect(gone.hint).toContain('2026-08-26');
  });

  it('503 is a retryable server error', async () => {
    const e = mapProviderError(await sdkFailure(`${origin}/down`, models), { baseUrl: `${origin}/down` });
    expect(e).toMatchObject({ code: 'SERVER_ERROR', retryable: true, params: { status: 503, context: 'unavailable' } });
  });

  it('scrubs the caller’s secrets from server text', async () => {
    const e = mapProviderError(await sdkFailure(`${origin}/echo-key`, models), {
      baseUrl: `${origin}/echo-key`,
      secrets: ['sk-live-SECRETKEY123456'],
    });
    expect(JSON.stringify(e)).not.toContain('SECRETKEY');
  });

  it('connection refused through the SDK', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = mapProviderError(await sdkFailure(`http://127.0.0.1:${port}/v1`, models), { baseUrl: `http://127.0.0.1:${port}/v1` });
    expect(e.code).toBe('CONNECTION_REFUSED');
    expect(e.hint).toMatch(/server running/);
  });

  it('an SDK timeout and a user abort', () => {
    const t = mapProviderError(new APIConnectionTimeoutError(), { baseUrl: 'https://api.example.com/v1', timeoutMs: 10_000 });
    expect(t).toMatchObject({ code: 'CONNECT_TIMEOUT', params: { seconds: 10, host: 'api.example.com' } });
    expect(mapProviderError(new APIUserAbortError()).code).toBe('CANCELLED');
  });
});

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}
function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('mapProviderError on raw fetch errors', () => {
  const ctx = { baseUrl: 'https://llm.example.com/v1', timeoutMs: 10_000 };

  it('a real DNS failure for an .invalid host', async () => {
    const error = await fetch('http://switchboard-test.invalid/v1/models').catch((e: unknown) => e);
    const e = mapProviderError(error, { baseUrl: 'http://switchboard-test.invalid/v1' });
    expect(e.code).toBe('DNS_FAILED');
    expect(e.params?.host).toBe('switchboard-test.invalid');
  });

  it.each([
    ['ECONNREFUSED', 'CONNECTION_REFUSED'],
    ['ENOTFOUND', 'DNS_FAILED'],
    ['EAI_AGAIN', 'DNS_FAILED'],
    ['UND_ERR_CONNECT_TIMEOUT', 'CONNECT_TIMEOUT'],
    ['UND_ERR_HEADERS_TIMEOUT', 'CONNECT_TIMEOUT'],
    ['ECONNRESET', 'NETWORK_ERROR'],
    ['UND_ERR_SOCKET', 'NETWORK_ERROR'],
    ['ENETUNREACH', 'NETWORK_ERROR'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS_FAILED'],
    ['CERT_HAS_EXPIRED', 'TLS_FAILED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS_FAILED'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS_FAILED'],
  ])('undici cause code %s → %s', (code, expected) => {
    expect(mapProviderError(fetchFailed(coded(code)), ctx).code).toBe(expected);
  });

  it('an AggregateError cause (both IPv4 and IPv6 refused)', () => {
    const agg = Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), { code: 'ECONNREFUSED' });
    expect(mapProviderError(fetchFailed(agg), ctx).code).toBe('CONNECTION_REFUSED');
  });

  it('TLS reasons become a translation context', () => {
    expect(mapProviderError(fetchFailed(coded('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')), ctx).params?.context).toBe(
      'self_signed',
    );
    expect(mapProviderError(fetchFailed(coded('CERT_HAS_EXPIRED')), ctx).params?.context).toBe('expired');
    expect(mapProviderError(fetchFailed(coded('ERR_SSL_WRONG_VERSION_NUMBER')), ctx).params?.context).toBe('not_https');
  });

  it('Electron net.fetch messages', () => {
    expect(mapProviderError(new TypeError('net::ERR_CONNECTION_REFUSED'), ctx).code).toBe('CONNECTION_REFUSED');
    expect(mapProviderError(new TypeError('net::ERR_NAME_NOT_RESOLVED'), ctx).code).toBe('DNS_FAILED');
    expect(mapProviderError(new TypeError('net::ERR_CERT_AUTHORITY_INVALID'), ctx).code).toBe('TLS_FAILED');
    expect(mapProviderError(new TypeError('net::ERR_CONNECTION_TIMED_OUT'), ctx).code).toBe('CONNECT_TIMEOUT');
    expect(mapProviderError(new TypeError('net::ERR_INTERNET_DISCONNECTED'), ctx).code).toBe('NETWORK_ERROR');
  });

  it('AbortSignal.timeout and a user abort', () => {
    expect(mapProviderError(new DOMException('The operation timed out.', 'TimeoutError'), ctx).code).toBe('CONNECT_TIMEOUT');
    expect(mapProviderError(new DOMException('This operation was aborted', 'AbortError'), ctx).code).toBe('CANCELLED');
  });

  it('a non-JSON body that failed to parse', () => {
    expect(mapProviderError(new SyntaxError('Unexpected token < in JSON'), ctx).code).toBe('NOT_OPENAI_API');
  });

  it('anything else is a generic, retryable error without internals', () => {
    const e = mapProviderError(new Error('kaboom at /home/user/secret/path'), ctx);
    expect(e.code).toBe('INTERNAL');
    expect(e.message).not.toContain('kaboom');
  });
});

describe('helpers', () => {
  it('parseServerError reads every body style', () => {
    expect(parseServerError('{"error":{"message":"m","code":"c","type":"t"}}')).toMatchObject({ message: 'm', code: 'c', type: 't' });
    expect(parseServerError('{"error":"plain"}').message).toBe('plain');
    expect(parseServerError('{"detail":"d"}').message).toBe('d');
    expect(parseServerError('{"detail":[{"msg":"field required"},{"msg":"bad"}]}').message).toBe('field required; bad');
    expect(parseServerError('{"message":"x"}').message).toBe('x');
    expect(parseServerError('<!DOCTYPE html><html><body>hi</body></html>')).toMatchObject({ message: null, html: true });
    expect(parseServerError('')).toMatchObject({ message: null, html: false });
  });

  it('parseRetryAfterMs: ms, seconds, HTTP date, junk', () => {
    const now = () => new Date('2030-01-01T00:00:00Z');
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(new Headers())).toBeUndefined();
  });

  it('mapHttpFailure works on a raw response (for streaming adapters)', () => {
    const e = mapHttpFailure(
      { status: 404, headers: new Headers(), bodyText: '<html><body>Not Found</body></html>' },
      { baseUrl: 'http://localhost:11434', operation: 'chat', model: 'llama3' },
    );
    expect(e.code).toBe('NOT_FOUND_PATH');
    expect(e.params?.suggestion).toBe('http://localhost:11434/v1');
    const doubled = mapHttpFailure({ status: 404, headers: new Headers(), bodyText: '' }, { baseUrl: 'http://h/v1/v1' });
    expect(doubled.params).toMatchObject({ context: 'double', suggestion: 'http://h/v1' });
  });

  it('notOpenAIApi names a web page', () => {
    const e = notOpenAIApi('text/html; charset=utf-8', '<html></html>', { baseUrl: 'https://portal.example.com/' });
    expect(e).toMatchObject({ code: 'NOT_OPENAI_API', params: { host: 'portal.example.com', context: 'html' } });
    expect(looksLikeHtml('  <!doctype html><html>')).toBe(true);
    expect(looksLikeHtml('<not html')).toBe(false);
  });
});

describe('translations', () => {
  type Dict = Record<string, unknown> & { hints: Record<string, string> };
  const enDict = en as unknown as Dict;
  const zhDict = zh as unknown as Dict;
  const samples: AppError[] = [
    mapHttpFailure({ status: 401, headers: new Headers(), bodyText: '' }, { baseUrl: 'http://h/v1' }),
    mapHttpFailure({ status: 403, headers: new Headers(), bodyText: '' }, { baseUrl: 'http://h/v1' }),
    mapHttpFailure({ status: 404, headers: new Headers(), bodyText: '' }, { baseUrl: 'http://h' }),
    mapHttpFailure({ status: 404, headers: new Headers(), bodyText: '{"error":{"code":"model_not_found"}}' }, { model: 'm' }),
    mapHttpFailure({ status: 404, headers: new Headers(), bodyText: '{"error":{"message":"No assistant found"}}' }, { operation: 'assistant', assistantId: 'a' }),
    mapHttpFailure({ status: 404, headers: new Headers(), bodyText: '' }, { operation: 'assistant' }),
    mapHttpFailure({ status: 400, headers: new Headers(), bodyText: '' }, {}),
    mapHttpFailure({ status: 408, headers: new Headers(), bodyText: '' }, {}),
    mapHttpFailure({ status: 429, headers: new Headers({ 'retry-after': '3' }), bodyText: '' }, {}),
    mapHttpFailure({ status: 429, headers: new Headers(), bodyText: '{"error":{"code":"insufficient_quota"}}' }, {}),
    mapHttpFailure({ status: 500, headers: new Headers(), bodyText: '' }, {}),
    mapHttpFailure({ status: 502, headers: new Headers(), bodyText: '' }, {}),
    mapHttpFailure({ status: 503, headers: new Headers(), bodyText: '' }, {}),
    mapProviderError(fetchFailed(coded('ECONNREFUSED')), {}),
    mapProviderError(fetchFailed(coded('ENOTFOUND')), {}),
    mapProviderError(fetchFailed(coded('CERT_HAS_EXPIRED')), {}),
    mapProviderError(fetchFailed(coded('ERR_SSL_WRONG_VERSION_NUMBER')), {}),
    mapProviderError(fetchFailed(coded('UND_ERR_CONNECT_TIMEOUT')), { timeoutMs: 5000 }),
    mapProviderError(fetchFailed(coded('UND_ERR_CONNECT_TIMEOUT')), {}),
    mapProviderError(fetchFailed(coded('ECONNRESET')), {}),
    mapProviderError(fetchFailed(coded('ENETUNREACH')), {}),
    mapProviderError(new TypeError('fetch failed'), {}),
    mapProviderError(new APIUserAbortError(), {}),
    mapProviderError(new Error('x'), {}),
    notOpenAIApi('text/plain', 'hello', {}),
    notOpenAIApi('text/html', '<html>', {}),
  ];

  const keyFor = (code: string, params: AppError['params']) =>
    params?.context !== undefined ? [`${code}_${params.context}`, code] : [code];

  it.each(samples.map((s) => [s.code, s] as const))('%s has en and zh-TW text whose placeholders are all in params', (_code, sample) => {
    for (const dict of [enDict, zhDict]) {
      const messageKey = keyFor(sample.code, sample.params).find((k) => typeof dict[k] === 'string');
      expect(messageKey, `${sample.code} message`).toBeDefined();
      const texts = [dict[messageKey as string] as string];
      if (sample.hint) {
        const hintKey = keyFor(sample.code, sample.params).find((k) => typeof dict.hints[k] === 'string');
        expect(hintKey, `${sample.code} hint`).toBeDefined();
        texts.push(dict.hints[hintKey as string] as string);
      }
      for (const text of texts) {
        for (const [, name] of text.matchAll(/\{\{(\w+)\}\}/g)) {
          expect(sample.params ?? {}, `${sample.code}: {{${name}}}`).toHaveProperty(name as string);
        }
      }
    }
  });

  it('every English key exists in zh-TW', () => {
    const flat = (d: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(d).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? flat(v as Record<string, unknown>, `${k}.`) : [`${prefix}${k}`]));
    expect(flat(zhDict).sort()).toEqual(flat(enDict).sort());
  });
});
