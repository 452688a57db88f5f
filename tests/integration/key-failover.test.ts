/**
 * Key pools and failover against the local server, through the real services and IPC dispatcher: keys
 * saved with `providers:save`, replies sent with `chat:send`, per-key behaviour from the server (a key
 * rate-limited with `retry-after`, a key the server does not know, a fallback server that is down).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../shared/models/conversation';
import type { ProviderView } from '../../shared/models/provider';
import { faults, forKey, refusedUrl, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { localServerAndRigs, waitUntil, type ReplayedStream, type Rig } from '../support/chat-rig';
import { draft } from '../support/providers-rig';

const KEY_A = 'sk-pool-aaaaaaaaaaaaaaaa-A111';
const KEY_B = 'sk-pool-bbbbbbbbbbbbbbbb-B222';
const KEY_C = 'sk-pool-cccccccccccccccc-C333';
const FALLBACK_KEY = 'sk-fallback-dddddddddddd-D444';

const local = localServerAndRigs({ apiKeys: [KEY_A, KEY_B, KEY_C] }, { checkRequests: true });
let backup: OpenAIServer;

beforeAll(async () => {
  backup = await startOpenAIServer({ apiKey: FALLBACK_KEY, behavior: { reply: 'Backup here.' } });
});
afterEach(() => {
  backup.reset();
});
afterAll(async () => {
  await backup.close();
});

const bearer = (key: string) => `Bearer ${key}`;
const keysSent = (server: OpenAIServer) => server.requestsTo('/chat/completions').map((r) => r.headers.authorization);

async function addBackup(rig: Rig): Promise<ProviderView> {
  return rig.call('providers:save', draft({ name: 'Backup', baseUrl: backup.url, model: 'gpt-4o-mini', keys: [{ label: 'only', value: FALLBACK_KEY }] }));
}

async function addPool(rig: Rig, keys: string[], extra: Parameters<typeof draft>[0] = {}): Promise<ProviderView> {
  return rig.call(
    'providers:save',
    draft({ name: 'Primary', baseUrl: local.server.url, model: 'gpt-4o-mini', keys: keys.map((value, i) => ({ label: `key ${i + 1}`, value })), ...extra }),
  );
}

/** One reply in a conversation on the provider named "Primary" (a new one unless `conversationId` is given). */
async function turn(rig: Rig, conversationId?: string): Promise<{ result: ReplayedStream; reply: Message; conversation: Conversation }> {
  const primary = rig.services.config.listProviders().find((p) => p.name === 'Primary');
  const id = conversationId ?? (await rig.call('conversations:create', primary ? { providerId: primary.id } : undefined)).id;
  const sent = await rig.call('chat:send', { conversationId: id, text: 'hello' });
  const result = await rig.finished(sent.streamId);
  const conversation = await rig.call('conversations:get', { id });
  return { result, reply: conversation.messages.at(-1) as Message, conversation };
}

async function health(rig: Rig, providerId: string) {
  const list = await rig.call('providers:list', undefined);
  return list.providers.find((p) => p.id === providerId)?.keys ?? [];
}

describe('key pool', () => {
  it('key A 429 with retry-after: key B answers at once, and A rests until its time is up', async () => {
    const rig = local.rig();
    const provider = await addPool(rig, [KEY_A, KEY_B]);
    local.server.nextResponses(faults.rateLimited({ seconds: 30 }, forKey(KEY_A)));

    const { result, reply, conversation } = await turn(rig);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('Echo: hello');
    // No visible wait: B was asked at once instead of waiting 30 s on A.
    expect(result.retryWaits).toEqual([]);
    expect(keysSent(local.server)).toEqual([bearer(KEY_A), bearer(KEY_B)]);
    expect(reply.route).toMatchObject({ providerId: provider.id, providerName: 'Primary', model: 'gpt-4o-mini', keyLabel: 'key 2', keyHint: '…B222' });
    expect(reply.route?.attempts).toEqual([
      expect.objectContaining({ providerId: provider.id, keyHint: '…A111', keyLabel: 'key 1', reason: 'rate-limited', errorCode: 'RATE_LIMITED' }),
    ]);
    // The live stream said who answered too.
    expect(result.events.some((e) => e.route?.keyHint === '…B222')).toBe(true);

    const keys = await health(rig, provider.id);
    expect(keys.map((k) => [k.hint, k.health.state])).toEqual([
      ['…A111', 'cooling'],
      ['…B222', 'ok'],
    ]);
    const until = Date.parse(keys[0]?.health.coolingUntil ?? '');
    expect(until - Date.now()).toBeGreaterThan(25_000);

    // The next reply goes straight to B: A is not asked while it cools down.
    await turn(rig, conversation.id);
    expect(keysSent(local.server)).toEqual([bearer(KEY_A), bearer(KEY_B), bearer(KEY_B)]);
    // Nothing of a key went into the conversation file or the events.
    const everything = JSON.stringify(rig.events.sent) + fs.readFileSync(path.join(rig.dataDir, 'conversations', `${conversation.id}.json`), 'utf8');
    for (const key of [KEY_A, KEY_B]) expect(everything).not.toContain(key);
  });

  it('cooldowns expire and the first key is used again', async () => {
    const rig = local.rig();
    await addPool(rig, [KEY_A, KEY_B]);
    local.server.nextResponses(faults.rateLimited({ ms: 300 }, forKey(KEY_A)));
    const first = await turn(rig);
    expect(first.reply.route?.keyHint).toBe('…B222');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await turn(rig, first.conversation.id);
    expect(second.reply.route?.keyHint).toBe('…A111');
    expect(second.reply.route?.attempts).toEqual([]);
    expect(keysSent(local.server)).toEqual([bearer(KEY_A), bearer(KEY_B), bearer(KEY_A)]);
  });

  it('a cooldown read from x-ratelimit-reset-requests ("6m0s") parks the key for six minutes', async () => {
    const rig = local.rig();
    const provider = await addPool(rig, [KEY_A, KEY_B]);
    local.server.nextResponses(faults.requestLimitReached('6m0s', forKey(KEY_A)));
    await turn(rig);
    const [a] = await health(rig, provider.id);
    const rest = Date.parse(a?.health.coolingUntil ?? '') - Date.now();
    expect(rest).toBeGreaterThan(5 * 60_000);
    expect(rest).toBeLessThanOrEqual(6 * 60_000);
  });

  it('a key the server rejects (401) is marked invalid, skipped from then on, and valid again once replaced', async () => {
    const rig = local.rig();
    const stale = 'sk-pool-revoked-zzzzzzzzzz-Z999';
    const provider = await addPool(rig, [stale, KEY_B]);
    const first = await turn(rig);
    expect(first.result.final.status).toBe('complete');
    expect(first.reply.route?.attempts).toEqual([expect.objectContaining({ keyHint: '…Z999', reason: 'invalid-key', errorCode: 'AUTH_FAILED' })]);
    const keys = await health(rig, provider.id);
    expect(keys[0]?.health).toMatchObject({ state: 'invalid', lastErrorCode: 'AUTH_FAILED' });
    expect(keys[0]?.health.lastError).toMatch(/rejected the API key/);

    await turn(rig, first.conversation.id);
    expect(keysSent(local.server)).toEqual([bearer(stale), bearer(KEY_B), bearer(KEY_B)]);

    // The user pastes a working key in place of the rejected one: it is used first again.
    await rig.call('providers:save', draft({ ...provider, apiKey: { action: 'keep' }, keys: [{ id: keys[0]?.id, label: 'key 1', value: KEY_C }, { id: keys[1]?.id, label: 'key 2' }] }));
    expect((await health(rig, provider.id)).map((k) => [k.hint, k.health.state])).toEqual([
      ['…C333', 'ok'],
      ['…B222', 'ok'],
    ]);
    const third = await turn(rig, first.conversation.id);
    expect(third.reply.route?.keyHint).toBe('…C333');
  });

  it('a key marked invalid stays skipped after a restart, even one that was not a clean quit', async () => {
    const rig = local.rig({ keyHealth: { saveDelayMs: 20 } });
    const stale = 'sk-pool-revoked-zzzzzzzzzz-Z999';
    const provider = await addPool(rig, [stale, KEY_B]);
    const first = await turn(rig);
    expect(first.reply.route?.attempts).toEqual([expect.objectContaining({ keyHint: '…Z999', reason: 'invalid-key' })]);

    // Like a kill -9: a second app on the same data dir, the first never disposed.
    await waitUntil(() => fs.existsSync(path.join(rig.dataDir, 'key-health.json')) && fs.readFileSync(path.join(rig.dataDir, 'key-health.json'), 'utf8').includes('AUTH_FAILED'), 5_000, 'key health saved');
    const killed = local.rig({ dataDir: rig.dataDir, secretStore: rig.secrets });
    expect((await health(killed, provider.id))[0]?.health).toMatchObject({ state: 'invalid', lastErrorCode: 'AUTH_FAILED' });
    await turn(killed, first.conversation.id);

    // And a clean restart.
    const restarted = local.keep(await killed.restart());
    expect((await health(restarted, provider.id)).map((k) => [k.hint, k.health.state])).toEqual([
      ['…Z999', 'invalid'],
      ['…B222', 'ok'],
    ]);
    await turn(restarted, first.conversation.id);
    expect(keysSent(local.server)).toEqual([bearer(stale), bearer(KEY_B), bearer(KEY_B), bearer(KEY_B)]);
  });

  it('a cooldown survives a restart until it expires', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const rig = local.rig({ keyHealth: { now: () => now } });
    const provider = await addPool(rig, [KEY_A, KEY_B]);
    local.server.nextResponses(faults.rateLimited({ seconds: 30 }, forKey(KEY_A)));
    const first = await turn(rig);
    expect(first.reply.route?.keyHint).toBe('…B222');

    now += 10_000;
    const restarted = local.keep(await rig.restart());
    expect((await health(restarted, provider.id))[0]?.health).toMatchObject({ state: 'cooling', coolingUntil: new Date(Date.parse('2026-01-01T00:00:30Z')).toISOString() });
    const second = await turn(restarted, first.conversation.id);
    expect(second.reply.route).toMatchObject({ keyHint: '…B222', attempts: [expect.objectContaining({ keyHint: '…A111', reason: 'cooling' })] });

    now += 21_000;
    const third = await turn(restarted, first.conversation.id);
    expect(third.reply.route).toMatchObject({ keyHint: '…A111', attempts: [] });
    expect(keysSent(local.server)).toEqual([bearer(KEY_A), bearer(KEY_B), bearer(KEY_B), bearer(KEY_A)]);

    // Expired by the next start: nothing of the cooldown is read back.
    now += 60_000;
    const later = local.keep(await restarted.restart());
    expect((await health(later, provider.id))[0]?.health).toMatchObject({ state: 'ok', coolingUntil: null });
  });

  it('round robin takes turns between healthy keys', async () => {
    const rig = local.rig();
    await addPool(rig, [KEY_A, KEY_B, KEY_C], { keyStrategy: 'round-robin' });
    const first = await turn(rig);
    await turn(rig, first.conversation.id);
    await turn(rig, first.conversation.id);
    await turn(rig, first.conversation.id);
    expect(keysSent(local.server)).toEqual([bearer(KEY_A), bearer(KEY_B), bearer(KEY_C), bearer(KEY_A)]);
  });
});

describe('failover to another provider', () => {
  it('every key cooling: the fallback provider answers at once', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    await addPool(rig, [KEY_A, KEY_B], { fallbacks: [{ providerId: fallback.id, model: 'gpt-4o' }] });
    local.server.alwaysRespond(faults.rateLimited({ seconds: 120 }, forKey(KEY_A)));
    local.server.alwaysRespond(faults.rateLimited({ seconds: 120 }, forKey(KEY_B)));

    const { result, reply, conversation } = await turn(rig);
    expect(result.content).toBe('Backup here.');
    expect(result.retryWaits).toEqual([]);
    expect(reply.route).toMatchObject({ providerId: fallback.id, providerName: 'Backup', model: 'gpt-4o', keyLabel: 'only', keyHint: '…D444' });
    expect(reply.route?.attempts.map((a) => [a.keyHint, a.reason])).toEqual([
      ['…A111', 'rate-limited'],
      ['…B222', 'rate-limited'],
    ]);
    expect((backup.lastRequest('/chat/completions')?.body as { model: string }).model).toBe('gpt-4o');
    // The saved reply names the provider and model that produced it.
    expect(reply).toMatchObject({ providerId: fallback.id, model: 'gpt-4o' });

    // The next reply does not knock on the cooling keys at all.
    const before = local.server.requestsTo('/chat/completions').length;
    const next = await turn(rig, conversation.id);
    expect(next.reply.route?.providerId).toBe(fallback.id);
    expect(next.reply.route?.attempts.map((a) => a.reason)).toEqual(['cooling', 'cooling']);
    expect(local.server.requestsTo('/chat/completions').length).toBe(before);
  });

  it('a server error (HTTP 500) before the first token goes to the fallback', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    const primary = await addPool(rig, [KEY_A, KEY_B], { fallbacks: [{ providerId: fallback.id, model: '' }] });
    local.server.alwaysRespond(faults.serverError());
    const { result, reply } = await turn(rig);
    expect(result.content).toBe('Backup here.');
    // One request to the failing server: its other key would meet the same server.
    expect(keysSent(local.server)).toEqual([bearer(KEY_A)]);
    expect(reply.route?.attempts).toEqual([expect.objectContaining({ providerId: primary.id, reason: 'unavailable', errorCode: 'SERVER_ERROR' })]);
    expect(reply.route?.model).toBe('gpt-4o-mini');
  });

  it('a server nobody answers at (connection refused) or that never sends headers (timeout) is passed over at once', async () => {
    const rig = local.rig({ http: { connectTimeoutMs: 300, idleTimeoutMs: 5000 } });
    const fallback = await addBackup(rig);
    const provider = await rig.call(
      'providers:save',
      draft({ name: 'Primary', baseUrl: await refusedUrl(), model: 'gpt-4o-mini', keys: [{ label: 'a', value: KEY_A }, { label: 'b', value: KEY_B }], fallbacks: [{ providerId: fallback.id, model: '' }] }),
    );
    const refused = await turn(rig);
    expect(refused.result.content).toBe('Backup here.');
    expect(refused.reply.route?.attempts).toEqual([expect.objectContaining({ providerId: provider.id, reason: 'unavailable', errorCode: 'CONNECTION_REFUSED' })]);

    await rig.call('providers:save', draft({ ...provider, baseUrl: local.server.url, apiKey: { action: 'keep' } }));
    local.server.nextResponses(faults.hang());
    const hung = await turn(rig, refused.conversation.id);
    expect(hung.result.content).toBe('Backup here.');
    expect(hung.reply.route?.attempts).toEqual([expect.objectContaining({ reason: 'unavailable', errorCode: 'CONNECT_TIMEOUT' })]);
  });

  it('an error after content started never fails over: the reply is not stitched from two models', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    await addPool(rig, [KEY_A, KEY_B], { fallbacks: [{ providerId: fallback.id, model: '' }] });
    local.server.nextResponses({ ...faults.streamError('Partial text', { message: 'Upstream overloaded' }), match: forKey(KEY_A) });
    const { result, reply } = await turn(rig);
    expect(result.final.status).toBe('failed');
    expect(result.content).toBe('Partial text');
    expect(reply.content).toBe('Partial text');
    expect(backup.requestsTo('/chat/completions')).toHaveLength(0);
    expect(keysSent(local.server)).toEqual([bearer(KEY_A)]);
    expect(reply.route).toMatchObject({ keyHint: '…A111', attempts: [] });
  });

  it('the chain exhausted: one sentence saying what was tried', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    await addPool(rig, [KEY_A], { fallbacks: [{ providerId: fallback.id, model: 'gpt-4o' }] });
    local.server.alwaysRespond(faults.serverError());
    backup.nextResponses(faults.serviceUnavailable());
    const { result, reply } = await turn(rig);
    expect(result.final.status).toBe('failed');
    expect(result.final.error).toMatchObject({ code: 'ALL_ROUTES_FAILED', retryable: true });
    expect(result.final.error?.message).toBe(
      'No provider could answer. Tried: Primary · gpt-4o-mini, key key 1 …A111: server unavailable; Backup · gpt-4o, key only …D444: server unavailable.',
    );
    expect(reply.route).toMatchObject({ exhausted: true });
    expect(reply.route?.attempts).toHaveLength(2);
  });

  it('a request the server refuses as such (400) is reported as it is, not retried elsewhere', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    await addPool(rig, [KEY_A, KEY_B], { fallbacks: [{ providerId: fallback.id, model: '' }] });
    // Twice: a first 400 is retried once without stream_options (some servers refuse it).
    local.server.nextResponses({ ...faults.badRequest('This request is malformed.'), times: 2 });
    const { result, reply } = await turn(rig);
    expect(result.final.error?.code).toBe('BAD_REQUEST');
    // Nothing was tried before, so nothing to tell beyond the error.
    expect(reply.route).toBeUndefined();
    expect(backup.requestsTo('/chat/completions')).toHaveLength(0);
  });

  it('after a key was passed over, a request the next key gets refused ends the reply with that error, saying who was asked', async () => {
    const rig = local.rig();
    await addPool(rig, [KEY_A, KEY_B]);
    local.server.nextResponses(faults.rateLimited({ seconds: 30 }, forKey(KEY_A)), { ...faults.badRequest('No.', forKey(KEY_B)), times: 2 });
    const { result, reply } = await turn(rig);
    expect(result.final.error?.code).toBe('BAD_REQUEST');
    expect(reply.route).toMatchObject({ keyHint: '…B222', failed: true, attempts: [{ keyHint: '…A111', reason: 'rate-limited' }] });
  });

  it('deleting a provider takes it out of every fallback list: the others still save, and conversations drop it when next sent', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    const spare = await rig.call('providers:save', draft({ name: 'Spare', baseUrl: backup.url, model: 'gpt-4o', keys: [{ label: '', value: FALLBACK_KEY }] }));
    const primary = await addPool(rig, [KEY_A], { fallbacks: [{ providerId: fallback.id, model: '' }, { providerId: spare.id, model: 'm' }] });
    const conversation = await rig.call('conversations:create', { providerId: primary.id });
    await rig.call('conversations:setFallbacks', { id: conversation.id, fallbacks: [{ providerId: fallback.id, model: 'gpt-4o' }, { providerId: spare.id, model: '' }] });

    await rig.call('providers:delete', { id: fallback.id });
    expect(rig.services.config.getProvider(primary.id)?.fallbacks).toEqual([{ providerId: spare.id, model: 'm' }]);
    // The same file on disk after a restart, and the provider saves again without a word about the deleted one.
    const restarted = local.keep(await rig.restart());
    expect(restarted.services.config.getProvider(primary.id)?.fallbacks).toEqual([{ providerId: spare.id, model: 'm' }]);
    const saved = await restarted.raw('providers:save', draft({ ...primary, fallbacks: undefined, apiKey: { action: 'keep' } }));
    expect(saved.ok).toBe(true);

    // The conversation's own list drops it at the next send: the deleted provider is not among what was tried.
    local.server.alwaysRespond(faults.serverError());
    const { result, reply, conversation: after } = await turn(restarted, conversation.id);
    expect(result.content).toBe('Backup here.');
    expect(reply.route?.providerName).toBe('Spare');
    expect(reply.route?.attempts.map((a) => a.reason)).toEqual(['unavailable']);
    expect(after.fallbacks).toEqual([{ providerId: spare.id, model: '' }]);

    // Deleting the last one leaves the provider with none at all.
    await restarted.call('providers:delete', { id: spare.id });
    expect(restarted.services.config.getProvider(primary.id)?.fallbacks).toBeUndefined();
    const alone = await turn(restarted, conversation.id);
    expect(alone.result.final.error?.code).toBe('SERVER_ERROR');
    expect(alone.conversation.fallbacks).toEqual([]);
  });
});

describe('a conversation’s own fallbacks', () => {
  it('replace its provider’s: a list of its own is used, an empty list means none, null its provider’s again', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    const provider = await addPool(rig, [KEY_A]);
    const conversation = await rig.call('conversations:create', { providerId: provider.id });
    local.server.alwaysRespond(faults.serverError());

    const summary = await rig.call('conversations:setFallbacks', { id: conversation.id, fallbacks: [{ providerId: fallback.id, model: ' gpt-4o ' }] });
    expect(summary.fallbacks).toEqual([{ providerId: fallback.id, model: 'gpt-4o' }]);
    const first = await turn(rig, conversation.id);
    expect(first.result.content).toBe('Backup here.');
    expect(first.reply.route).toMatchObject({ providerId: fallback.id, model: 'gpt-4o' });

    // The provider names the fallback; this conversation says "none".
    await rig.call('providers:save', draft({ ...provider, apiKey: { action: 'keep' }, fallbacks: [{ providerId: fallback.id, model: '' }] }));
    await rig.call('conversations:setFallbacks', { id: conversation.id, fallbacks: [] });
    const second = await turn(rig, conversation.id);
    expect(second.result.final.error?.code).toBe('SERVER_ERROR');
    await rig.call('conversations:setFallbacks', { id: conversation.id, fallbacks: null });
    const third = await turn(rig, conversation.id);
    expect(third.result.content).toBe('Backup here.');
    expect(third.reply.route?.model).toBe('gpt-4o-mini');
    // Kept in the conversation file across a restart.
    await rig.call('conversations:setFallbacks', { id: conversation.id, fallbacks: [{ providerId: fallback.id, model: 'x' }] });
    const restarted = local.keep(await rig.restart());
    expect((await restarted.call('conversations:get', { id: conversation.id })).fallbacks).toEqual([{ providerId: fallback.id, model: 'x' }]);
  });

  it('refuses the conversation’s own provider and a deleted one with a sentence', async () => {
    const rig = local.rig();
    const provider = await addPool(rig, [KEY_A]);
    const conversation = await rig.call('conversations:create', { providerId: provider.id });
    const self = await rig.raw('conversations:setFallbacks', { id: conversation.id, fallbacks: [{ providerId: provider.id, model: '' }] });
    expect(self.ok).toBe(false);
    if (!self.ok) expect(self.error).toMatchObject({ code: 'VALIDATION', message: 'Fallback 1 is this provider itself: choose another one.' });
    const gone = await rig.raw('conversations:setFallbacks', { id: conversation.id, fallbacks: [{ providerId: 'nope', model: '' }] });
    if (!gone.ok) expect(gone.error.fields?.['fallbacks.0']?.code).toBe('FALLBACK_MISSING');
    expect(gone.ok).toBe(false);
  });
});

describe('older configs and bad input', () => {
  it('a provider saved by an older version (one key at the provider account, no `keys`) keeps working unchanged', async () => {
    const rig = local.rig();
    const provider = rig.addProvider({ baseUrl: local.server.url }, KEY_A);
    expect(rig.services.config.getProvider(provider.id)?.keys).toBeUndefined();
    const list = await rig.call('providers:list', undefined);
    const view = list.providers.find((p) => p.id === provider.id);
    expect(view).toMatchObject({ hasApiKey: true, apiKeyHint: '…A111', keys: [{ id: 'default', hint: '…A111', label: '' }] });
    const { result, reply } = await turn(rig);
    expect(result.final.status).toBe('complete');
    // One key, no fallbacks: nothing to choose, so no route is recorded (files look as before).
    expect(reply.route).toBeUndefined();
    // Adding a second key keeps the first where it was.
    await rig.call('providers:save', draft({ ...provider, apiKey: { action: 'keep' }, keys: [{ id: 'default', label: 'old' }, { label: 'new', value: KEY_B }] }));
    expect(rig.secrets.values.get(provider.id)).toBe(KEY_A);
    const keys = rig.services.config.getProvider(provider.id)?.keys ?? [];
    expect(keys.map((k) => k.label)).toEqual(['old', 'new']);
    expect(rig.secrets.values.get(`${provider.id}:key:${keys[1]?.id}`)).toBe(KEY_B);
  });

  it('refuses duplicate and empty keys and a fallback to itself, with a sentence per field, and saves nothing', async () => {
    const rig = local.rig();
    const refused = await rig.raw(
      'providers:save',
      draft({ name: 'Bad', baseUrl: local.server.url, keys: [{ label: '', value: KEY_A }, { label: '', value: ' ' }, { label: '', value: KEY_A }] }),
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.fields?.['keys.1']).toMatchObject({ code: 'KEY_EMPTY', message: 'Key 2 is empty: paste the key or remove the row.' });
      expect(refused.error.fields?.['keys.2']).toMatchObject({ code: 'KEY_DUPLICATE' });
    }
    expect(rig.services.config.listProviders()).toEqual([]);
    expect([...rig.secrets.values.keys()]).toEqual([]);

    const saved = await addPool(rig, [KEY_A]);
    const self = await rig.raw('providers:save', draft({ ...saved, apiKey: { action: 'keep' }, fallbacks: [{ providerId: saved.id, model: '' }] }));
    expect(self.ok).toBe(false);
    if (!self.ok) expect(self.error.fields?.['fallbacks.0']).toMatchObject({ code: 'FALLBACK_SELF', message: 'Fallback 1 is this provider itself: choose another one.' });
  });

  it('Test Connection checks every key and reports each', async () => {
    const rig = local.rig();
    const result = await rig.call(
      'providers:test',
      draft({ baseUrl: local.server.url, keys: [{ label: 'good', value: KEY_A }, { label: 'revoked', value: 'sk-pool-revoked-zzzzzzzzzz-Z999' }, { label: 'other', value: KEY_C }] }),
    );
    expect(result.keyResults?.map((k) => [k.label, k.hint, k.ok, k.error?.code])).toEqual([
      ['good', '…A111', true, undefined],
      ['revoked', '…Z999', false, 'AUTH_FAILED'],
      ['other', '…C333', true, undefined],
    ]);
    expect(result.message).toMatch(/1 of 3 keys failed/);
    // No key works: the first key's failure, saying it was all of them.
    const none = await rig.raw('providers:test', draft({ baseUrl: local.server.url, keys: [{ label: 'x', value: 'sk-pool-revoked-zzzzzzzzzz-Z999' }, { label: 'y', value: 'sk-pool-revoked-yyyyyyyyyy-Y888' }] }));
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.error).toMatchObject({ code: 'AUTH_FAILED', params: { failedKeys: 2 } });
      // Each key's own answer, with its label and mask, for Settings to list.
      expect(none.error.fields).toEqual({
        'keys.0': expect.objectContaining({ code: 'AUTH_FAILED', message: expect.stringMatching(/rejected the API key/), params: expect.objectContaining({ keyLabel: 'x', keyHint: '…Z999', status: 401 }) }),
        'keys.1': expect.objectContaining({ code: 'AUTH_FAILED', params: expect.objectContaining({ keyLabel: 'y', keyHint: '…Y888' }) }),
      });
    }
  });

  it('Test Connection of a saved pool from the simple key field (the pool not edited) checks every stored key', async () => {
    const rig = local.rig();
    const provider = await addPool(rig, [KEY_A, 'sk-pool-revoked-zzzzzzzzzz-Z999']);
    const kept = await rig.call('providers:test', draft({ ...provider, keys: undefined, apiKey: { action: 'keep' } }));
    expect(kept.keyResults?.map((k) => [k.label, k.hint, k.ok])).toEqual([
      ['key 1', '…A111', true],
      ['key 2', '…Z999', false],
    ]);
    // A key typed in the simple field stands in for the first, as saving it would.
    const typed = await rig.raw('providers:test', draft({ ...provider, keys: undefined, apiKey: { action: 'set', value: 'sk-pool-revoked-yyyyyyyyyy-Y888' } }));
    expect(typed.ok).toBe(false);
    if (!typed.ok) expect(Object.values(typed.error.fields ?? {}).map((f) => f.params?.keyHint)).toEqual(['…Y888', '…Z999']);
  });

  it('the pool, its order, labels, strategy and fallbacks survive a restart', async () => {
    const rig = local.rig();
    const fallback = await addBackup(rig);
    const provider = await addPool(rig, [KEY_C, KEY_A, KEY_B], { keyStrategy: 'round-robin', fallbacks: [{ providerId: fallback.id, model: 'gpt-4o' }] });
    const restarted = local.keep(await rig.restart());
    const list = await restarted.call('providers:list', undefined);
    const view = list.providers.find((p) => p.id === provider.id);
    expect(view?.keys.map((k) => [k.label, k.hint])).toEqual([
      ['key 1', '…C333'],
      ['key 2', '…A111'],
      ['key 3', '…B222'],
    ]);
    expect(view).toMatchObject({ keyStrategy: 'round-robin', fallbacks: [{ providerId: fallback.id, model: 'gpt-4o' }] });
  });

  it('deleting a provider removes every key of its pool', async () => {
    const rig = local.rig();
    const provider = await addPool(rig, [KEY_A, KEY_B, KEY_C]);
    expect([...rig.secrets.values.keys()].filter((a) => a.startsWith(provider.id))).toHaveLength(3);
    await rig.call('providers:delete', { id: provider.id });
    expect([...rig.secrets.values.keys()]).toEqual([]);
  });
});
