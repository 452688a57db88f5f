/**
 * Every failure the issue lists, through the real services and the local server: each ends the reply as
 * `failed` with one clear AppError (sent to the window and saved), keeps what arrived before it, and
 * never leaks the key.
 */
import dns from 'node:dns';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/models/conversation';
import type { AppError } from '../../shared/result';
import { faults, refusedUrl, type Fault } from '../fixtures/openai-server/index.js';
import { localServerAndRigs, waitUntil, type ReplayedStream, type Rig, type RigOptions } from '../support/chat-rig';

const KEY = 'sk-test-errors-0123456789abcdef';
const local = localServerAndRigs({ apiKey: KEY }, { checkRequests: true });

function setup(options: RigOptions = {}, baseUrl = local.server.url, key: string | null = KEY) {
  const rig = local.rig(options);
  const provider = rig.addProvider({ baseUrl, model: 'gpt-4o-mini' }, key);
  return { rig, provider };
}

/** Sends one message and returns the finished stream plus the saved conversation. */
async function turn(rig: Rig, text = 'hello'): Promise<{ result: ReplayedStream; saved: Conversation }> {
  const conversation = await rig.call('conversations:create', undefined);
  const sent = await rig.call('chat:send', { conversationId: conversation.id, text });
  const result = await rig.finished(sent.streamId);
  const saved = await rig.call('conversations:get', { id: conversation.id });
  return { result, saved };
}

/** The shared expectations for a failed turn: failed status, the error saved with the message, no key. */
function expectFailed(result: ReplayedStream, saved: Conversation, rig: Rig, code: AppError['code']): AppError {
  expect(result.final.status).toBe('failed');
  expect(result.final.error?.code).toBe(code);
  const message = saved.messages[1];
  expect(message?.status).toBe('failed');
  expect(message?.error).toEqual(result.final.error);
  expect(message?.content).toBe(result.content);
  expect(saved.messages[0]).toMatchObject({ role: 'user', status: 'complete' });
  const error = result.final.error as AppError;
  expect(error.message.length).toBeGreaterThan(10);
  expect(error.message).not.toMatch(/<html|<body|<!doctype/i);
  const everything = JSON.stringify(rig.events.sent) + rig.log.lines.join('\n') + fs.readFileSync(path.join(rig.dataDir, 'conversations', `${saved.id}.json`), 'utf8');
  expect(everything).not.toContain(KEY);
  return error;
}

describe('chat errors: HTTP status', () => {
  it.each<[string, AppError['code'], () => Fault, boolean]>([
    ['401 invalid key', 'AUTH_FAILED', () => faults.invalidApiKey(), false],
    ['403 forbidden', 'PERMISSION_DENIED', () => faults.forbidden(), false],
    ['404 model', 'MODEL_NOT_FOUND', () => faults.modelNotFound('gpt-4o-mini'), false],
    ['404 path', 'NOT_FOUND_PATH', () => faults.unknownPath(), false],
    ['500 server error', 'SERVER_ERROR', () => faults.serverError(), true],
    ['502 HTML from a proxy', 'SERVER_ERROR', () => faults.badGateway(), true],
    ['503 unavailable', 'SERVER_ERROR', () => faults.serviceUnavailable(), true],
    ['200 with an HTML page', 'NOT_OPENAI_API', () => faults.htmlOk(), false],
  ])('%s becomes %s', async (_label, code, fault, retryable) => {
    const { rig } = setup();
    local.server.nextResponses(fault());
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, code);
    expect(error.retryable ?? false).toBe(retryable);
    expect(result.content).toBe('');
  });

  it('a real wrong key (the server checks it) becomes AUTH_FAILED without echoing the key', async () => {
    const { rig } = setup({}, local.server.url, 'sk-wrong-key-abcdefghijklmnop');
    const { result, saved } = await turn(rig);
    expectFailed(result, saved, rig, 'AUTH_FAILED');
    expect(JSON.stringify(result.final.error)).not.toContain('sk-wrong-key-abcdefghijklmnop');
  });

  it('a wrong model on the real server becomes MODEL_NOT_FOUND naming the model', async () => {
    const { rig, provider } = setup();
    rig.services.config.upsertProvider({ ...provider, model: 'gpt-nonexistent' });
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'MODEL_NOT_FOUND');
    expect(error.params?.model).toBe('gpt-nonexistent');
  });
});

describe('chat errors: 429', () => {
  it('waits as the server asks (retry-after-ms), shows each wait, then answers', async () => {
    const waits: number[] = [];
    const { rig } = setup({ chat: { sleep: async (ms) => void waits.push(ms) } });
    local.server.nextResponses(faults.rateLimited({ ms: 1500 }), faults.rateLimited({ seconds: 2 }));
    const { result, saved } = await turn(rig, 'patience');
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('Echo: patience');
    expect(result.retryWaits).toEqual([
      { attempt: 1, seconds: 2, reason: 'rate-limited' },
      { attempt: 2, seconds: 2, reason: 'rate-limited' },
    ]);
    expect(waits).toEqual([1500, 2000]);
    // The wait line is cleared once text flows.
    expect(result.events.some((e) => e.retryWait === null)).toBe(true);
    expect(local.server.requestsTo('/chat/completions')).toHaveLength(3);
    expect(saved.messages[1]).toMatchObject({ status: 'complete', content: 'Echo: patience' });
  });

  it('really waits the time the server asked (short retry-after-ms)', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.rateLimited({ ms: 30 }));
    const { result } = await turn(rig);
    expect(result.final.status).toBe('complete');
    expect(result.retryWaits).toEqual([{ attempt: 1, seconds: 1, reason: 'rate-limited' }]);
    const [first, second] = local.server.requestsTo('/chat/completions');
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
  });

  it('gives up after a bounded number of retries with RATE_LIMITED', async () => {
    const waits: number[] = [];
    const { rig } = setup({ chat: { sleep: async (ms) => void waits.push(ms), maxRateLimitRetries: 3 } });
    local.server.alwaysRespond(faults.rateLimited({ ms: 10 }));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'RATE_LIMITED');
    expect(error.retryable).toBe(true);
    // Each wait is shown (waits within one frame are merged, so the window may skip straight to the latest).
    expect(result.retryWaits[0]).toEqual({ attempt: 1, seconds: 1, reason: 'rate-limited' });
    expect(waits).toEqual([10, 10, 10]);
    expect(local.server.requestsTo('/chat/completions')).toHaveLength(4);
    expect(result.final).not.toHaveProperty('retryWait');
    expect(result.events.at(-1)?.retryWait).toBeNull();
  });

  it('does not sit out a wait longer than the cap: the user is told at once', async () => {
    const waits: number[] = [];
    const { rig } = setup({ chat: { sleep: async (ms) => void waits.push(ms), maxRetryWaitMs: 60_000 } });
    local.server.nextResponses(faults.rateLimited({ seconds: 3600 }));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'RATE_LIMITED');
    expect(error.params?.seconds).toBe(3600);
    expect(waits).toEqual([]);
  });

  it('Stop during a 429 wait ends the turn at once as stopped', async () => {
    const { rig } = setup({ chat: { backoffMs: () => 50_000, maxRetryWaitMs: 100_000 } });
    local.server.alwaysRespond({ kind: 'error', status: 429, style: 'openai' });
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'wait' });
    await local.server.waitForRequest((r) => r.routePath === '/chat/completions');
    await waitUntil(() => rig.streamEvents(sent.streamId).some((e) => e.retryWait), 5000, 'the wait event');
    await rig.call('chat:stop', { conversationId: conversation.id });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('stopped');
    expect(local.server.requestsTo('/chat/completions')).toHaveLength(1);
  });
});

describe('chat errors: 503 with retry-after (a server still loading the model)', () => {
  const loading = (seconds: number): Fault => ({
    kind: 'error',
    status: 503,
    style: 'openai',
    message: 'The model is still loading, try again shortly',
    retryAfterSeconds: seconds,
  });

  it('waits as the server asks, shows each wait as "unavailable", then answers', async () => {
    const waits: number[] = [];
    const { rig } = setup({ chat: { sleep: async (ms) => void waits.push(ms) } });
    local.server.nextResponses(loading(3), loading(1));
    const { result, saved } = await turn(rig, 'are you up');
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('Echo: are you up');
    // Waits within one frame are merged, so the window may skip straight to the latest.
    expect(result.retryWaits[0]).toEqual({ attempt: 1, seconds: 3, reason: 'unavailable' });
    expect(result.retryWaits.every((w) => w.reason === 'unavailable')).toBe(true);
    expect(waits).toEqual([3000, 1000]);
    expect(result.events.some((e) => e.retryWait === null)).toBe(true);
    expect(local.server.requestsTo('/chat/completions').map((r) => r.status)).toEqual([503, 503, 200]);
    expect(saved.messages[1]).toMatchObject({ status: 'complete', content: 'Echo: are you up' });
  });

  it('gives up after the same bounded number of retries, and does not sit out a wait longer than the cap', async () => {
    const waits: number[] = [];
    const { rig } = setup({ chat: { sleep: async (ms) => void waits.push(ms), maxRateLimitRetries: 2, maxRetryWaitMs: 60_000 } });
    local.server.alwaysRespond(loading(1));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'SERVER_ERROR');
    expect(error.params).toMatchObject({ status: 503, context: 'unavailable' });
    expect(waits).toEqual([1000, 1000]);
    expect(local.server.requestsTo('/chat/completions')).toHaveLength(3);

    local.server.reset();
    waits.length = 0;
    local.server.nextResponses(loading(3600));
    const long = await turn(rig);
    expectFailed(long.result, long.saved, rig, 'SERVER_ERROR');
    expect(waits).toEqual([]);
  });

  it('a 503 that names no time is reported at once, not retried', async () => {
    const waits: number[] = [];
    const { rig } = setup({ chat: { sleep: async (ms) => void waits.push(ms) } });
    local.server.nextResponses(faults.serviceUnavailable());
    const { result, saved } = await turn(rig);
    expectFailed(result, saved, rig, 'SERVER_ERROR');
    expect(result.retryWaits).toEqual([]);
    expect(waits).toEqual([]);
    expect(local.server.requestsTo('/chat/completions')).toHaveLength(1);
  });
});

describe('chat errors: connection', () => {
  it('connection refused says the server may not be running', async () => {
    const { rig } = setup({}, await refusedUrl());
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'CONNECTION_REFUSED');
    expect(error.hint).toMatch(/running/i);
  });

  it('a host name that does not resolve becomes DNS_FAILED', async () => {
    // Resolve only this invented name to "not found" so the test sends nothing beyond this machine.
    const original = dns.lookup;
    const host = 'llm.switchboard-test.invalid';
    (dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
      const callback = rest.at(-1) as (error: NodeJS.ErrnoException) => void;
      if (hostname !== host) return (original as (...args: unknown[]) => void)(hostname, ...rest);
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
      process.nextTick(() => callback(error));
    };
    try {
      const { rig } = setup({}, `http://${host}:8080/v1`);
      const { result, saved } = await turn(rig);
      const error = expectFailed(result, saved, rig, 'DNS_FAILED');
      expect(error.params?.host).toBe(host);
    } finally {
      (dns as { lookup: unknown }).lookup = original;
    }
  });

  it('https to a server that speaks plain http becomes TLS_FAILED', async () => {
    const { rig } = setup({}, local.server.url.replace('http://', 'https://'));
    const { result, saved } = await turn(rig);
    expectFailed(result, saved, rig, 'TLS_FAILED');
  });

  it('no response headers within the connect timeout becomes CONNECT_TIMEOUT', async () => {
    const { rig } = setup({ http: { connectTimeoutMs: 300 } });
    local.server.nextResponses(faults.hang());
    const { result, saved } = await turn(rig);
    expectFailed(result, saved, rig, 'CONNECT_TIMEOUT');
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted);
  });

  it('a stream that goes silent becomes IDLE_TIMEOUT, keeping the text so far, and the request is closed', async () => {
    const { rig } = setup({ http: { idleTimeoutMs: 300 } });
    local.server.nextResponses(faults.idleAfter('Partial text'));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'IDLE_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(result.content).toBe('Partial text');
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted);
  });

  it('keep-alive comments count as life: a slow stream with comments is not cut', async () => {
    // 3 × 200 ms of text-free silence, each broken by a comment, against a 500 ms idle limit.
    const { rig } = setup({ http: { idleTimeoutMs: 500 } });
    local.server.nextResponses(
      faults.chat([
        { type: 'content', text: 'Slow' },
        { type: 'comment', text: 'keep-alive' },
        { type: 'pause', ms: 200 },
        { type: 'comment', text: 'keep-alive' },
        { type: 'pause', ms: 200 },
        { type: 'comment', text: 'keep-alive' },
        { type: 'pause', ms: 200 },
        { type: 'content', text: ' but alive' },
      ]),
    );
    const { result } = await turn(rig);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('Slow but alive');
  });

  it('a connection dropped mid-stream keeps the text and says CONNECTION_DROPPED', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.dropAfter('Partial text'));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'CONNECTION_DROPPED');
    expect(error.retryable).toBe(true);
    expect(result.content).toBe('Partial text');
  });

  it('a connection reset before any answer is retryable and clear', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.reset());
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'NETWORK_ERROR');
    expect(error.retryable).toBe(true);
  });
});

describe('chat errors: inside the stream', () => {
  it('data: {"error": …} inside a 200 stream keeps the text and shows the server message', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.streamError('Partial text', { message: 'Upstream overloaded' }));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'STREAM_ERROR');
    expect(result.content).toBe('Partial text');
    expect(error.message).toContain('Upstream overloaded');
    expect(error.params?.detail).toBe('Upstream overloaded');
  });

  it('a named `event: error` inside a 200 stream keeps the text and shows its message', async () => {
    const { rig } = setup();
    local.server.nextResponses(
      faults.chat(
        [
          { type: 'content', text: 'Half' },
          { type: 'raw', text: 'event: error\ndata: {"error":{"message":"Model crashed","type":"server_error"}}\n\n' },
          { type: 'idle' },
        ],
        { ending: 'none' },
      ),
    );
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'STREAM_ERROR');
    expect(result.content).toBe('Half');
    expect(error.params?.detail).toBe('Model crashed');
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted);
  });

  it('the reply ends at data: [DONE] even when the server holds the connection open afterwards', async () => {
    // The idle timeout (5 s here) would end the reply as IDLE_TIMEOUT if reading went on past [DONE].
    const { rig } = setup();
    local.server.nextResponses(
      faults.chat(
        [
          { type: 'content', text: 'All of it.' },
          { type: 'finish', reason: 'stop' },
          { type: 'raw', text: 'data: [DONE]\n\n' },
          { type: 'idle' },
        ],
        { ending: 'none' },
      ),
    );
    const { result, saved } = await turn(rig);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('All of it.');
    expect(saved.messages[1]).toMatchObject({ status: 'complete', content: 'All of it.', finishReason: 'stop' });
    await local.server.waitFor(() => local.server.lastRequest('/chat/completions')?.clientAborted);
  });

  it('CRLF line endings, `data:` without the space and comments between events read as a normal stream', async () => {
    const { rig } = setup();
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      JSON.stringify({ id: 'chatcmpl-crlf', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
    local.server.nextResponses(
      faults.chat(
        [
          { type: 'raw', text: `data:${chunk({ role: 'assistant', content: '' }, null)}\r\n\r\n: ping\r\n\r\n` },
          { type: 'raw', text: `data: ${chunk({ content: 'Line ' }, null)}\r\n\r\ndata: ${chunk({ content: 'endings' }, null)}\r` },
          { type: 'raw', text: `\n\r\ndata: ${chunk({}, 'stop')}\r\n\r\ndata: [DONE]\r\n\r\n` },
        ],
        { ending: 'none', roleChunk: false },
      ),
    );
    const { result } = await turn(rig);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('Line endings');
  });

  it('a malformed chunk keeps the text and says MALFORMED_STREAM', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.malformedChunk('Before.'));
    const { result, saved } = await turn(rig);
    expectFailed(result, saved, rig, 'MALFORMED_STREAM');
    expect(result.content).toBe('Before.');
  });

  it('finish_reason length keeps the text and says it was cut off at the token limit', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.finishReason('length', 'A long answer that'));
    const { result, saved } = await turn(rig);
    const error = expectFailed(result, saved, rig, 'CUT_OFF_LENGTH');
    expect(error.message).toMatch(/cut off at the token limit/);
    expect(result.content).toBe('A long answer that');
    expect(result.final.finishReason).toBe('length');
    expect(saved.messages[1]?.finishReason).toBe('length');
  });

  it('finish_reason content_filter says the provider filtered the reply', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.finishReason('content_filter', 'Some'));
    const { result, saved } = await turn(rig);
    expectFailed(result, saved, rig, 'CONTENT_FILTERED');
    expect(result.content).toBe('Some');
  });

  it('a failed reply can be retried and the retry replaces it', async () => {
    const { rig } = setup();
    local.server.nextResponses(faults.dropAfter('Partial'));
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'again' });
    expect((await rig.finished(sent.streamId)).final.status).toBe('failed');
    const retry = await rig.call('chat:regenerate', { conversationId: conversation.id });
    expect(await rig.finished(retry.streamId)).toMatchObject({ content: 'Echo: again', final: { status: 'complete' } });
    const saved = await rig.call('conversations:get', { id: conversation.id });
    expect(saved.messages).toHaveLength(2);
    expect(saved.messages[1]).not.toHaveProperty('error');
  });
});
