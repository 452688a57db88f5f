/**
 * HTTP 429 on an Assistants provider, through the real services against the local server: a lone key
 * waits the time the server asks (shown as a wait) and goes on without creating the thread or the message
 * twice; a key pool moves to the next key at once (the router's maxRateLimitRetries: 0), no wait.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../shared/models/conversation';
import type { ProviderView } from '../../shared/models/provider';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { faults, forKey, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { startRig, type ReplayedStream, type Rig } from '../support/chat-rig';
import { draft } from '../support/providers-rig';

const KEY_A = 'sk-assistant-pool-aaaaaaaa-A111';
const KEY_B = 'sk-assistant-pool-bbbbbbbb-B222';

let server: OpenAIServer;
let api: AssistantsApi;
let rig: Rig;
/** The rate-limit waits the adapter slept (not the run polls). */
let waits: number[];

beforeAll(async () => {
  api = new AssistantsApi();
  server = await startOpenAIServer({ apiKeys: [KEY_A, KEY_B], routes: [assistantsRoutes(api)] });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  waits = [];
  rig = startRig({
    assistant: { sleep: () => new Promise((resolve) => setTimeout(resolve, 1)) },
    chat: {
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  });
});

afterEach(async () => {
  await rig.close();
  await expectWithinSpecThenReset(api, server);
});

async function addAssistant(keys: string[]): Promise<ProviderView> {
  return rig.call(
    'providers:save',
    draft({
      type: 'openai-assistant',
      name: 'Support assistant',
      baseUrl: server.url,
      assistantId: api.createAssistant({ name: 'Support', model: 'gpt-4o' }),
      keys: keys.map((value, i) => ({ label: `key ${i + 1}`, value })),
    }),
  );
}

async function turn(providerId: string): Promise<{ result: ReplayedStream; reply: Message; conversation: Conversation }> {
  const { id } = await rig.call('conversations:create', { providerId });
  const sent = await rig.call('chat:send', { conversationId: id, text: 'hello' });
  const result = await rig.finished(sent.streamId);
  const conversation = await rig.call('conversations:get', { id });
  return { result, reply: conversation.messages.at(-1) as Message, conversation };
}

const posts = (path: RegExp) => server.requests.filter((r) => r.method === 'POST' && path.test(r.path));

describe('Assistants and HTTP 429', () => {
  it('a 429 on key A of a pool moves to key B at once, without a wait', async () => {
    const provider = await addAssistant([KEY_A, KEY_B]);
    server.nextResponses(faults.rateLimited({ seconds: 30 }, forKey(KEY_A, '/threads')));
    const { result, reply } = await turn(provider.id);
    expect(result.final.status).toBe('complete');
    expect(result.retryWaits).toEqual([]);
    expect(waits).toEqual([]);
    expect(reply.route).toMatchObject({ keyHint: '…B222', attempts: [expect.objectContaining({ keyHint: '…A111', reason: 'rate-limited' })] });
    expect(posts(/\/threads$/).map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY_A}`, `Bearer ${KEY_B}`]);
  });

  it('a lone key waits what the server asks, shown as a wait, then answers', async () => {
    const provider = await addAssistant([KEY_A]);
    server.nextResponses(faults.rateLimited({ seconds: 2 }, { method: 'POST', path: '/threads' }));
    const { result, conversation } = await turn(provider.id);
    expect(result.final.status).toBe('complete');
    expect(result.retryWaits).toEqual([expect.objectContaining({ attempt: 1, seconds: 2 })]);
    expect(waits).toEqual([2000]);
    expect(conversation.threadId).toBeTruthy();
  });

  it('a 429 on the run, after the thread and message were made, is waited out without making them twice', async () => {
    const provider = await addAssistant([KEY_A]);
    server.nextResponses(faults.rateLimited({ ms: 500 }, { method: 'POST', path: /\/threads\/[^/]+\/runs$/ }));
    const { result, conversation } = await turn(provider.id);
    expect(result.final.status).toBe('complete');
    expect(result.retryWaits).toHaveLength(1);
    expect(waits).toEqual([500]);
    expect(posts(/\/threads$/)).toHaveLength(1);
    expect(posts(/\/threads\/[^/]+\/messages$/)).toHaveLength(1);
    expect(posts(/\/threads\/[^/]+\/runs$/)).toHaveLength(2);
    expect(conversation.threadId).toBeTruthy();
  });

  it('a 429 on the message, after the thread was made, uses that thread when it goes on', async () => {
    const provider = await addAssistant([KEY_A]);
    server.nextResponses(faults.rateLimited({ ms: 200 }, { method: 'POST', path: /\/threads\/[^/]+\/messages$/ }));
    const { result, conversation } = await turn(provider.id);
    expect(result.final.status).toBe('complete');
    expect(waits).toEqual([200]);
    expect(posts(/\/threads$/)).toHaveLength(1);
    const threadId = conversation.threadId as string;
    expect(posts(/\/threads\/[^/]+\/messages$/).map((r) => r.path)).toEqual([`/v1/threads/${threadId}/messages`, `/v1/threads/${threadId}/messages`]);
  });
});
