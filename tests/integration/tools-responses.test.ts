/**
 * Tools on the Responses API: function tools offered, the model's `function_call` items (arguments streamed
 * in pieces, several calls) approved and answered with `function_call_output` items, in both conversation
 * modes: with a server conversation (only the outputs go back; the server holds the calls) and stateless
 * (the whole history, calls and outputs included). Every request and event is checked against the spec.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/models/conversation';
import type { ConversationStateMode } from '../../shared/models/provider';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { ResponsesApi } from '../fixtures/openai-server/responses.js';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes.js';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { startRig, type Rig } from '../support/chat-rig';
import { decideInTurn, roundsOf, saveServer, serverIn, stdioDraft } from '../support/mcp/mcp-rig';

const KEY = 'sk-responses-tools-key-7788';
let server: OpenAIServer;
let api: ResponsesApi;
let rig: Rig;

beforeAll(async () => {
  api = new ResponsesApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [responsesRoutes(api)] });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await rig.close();
  await expectWithinSpecThenReset(api, server);
});

async function setup(mode: ConversationStateMode) {
  rig = startRig({ mcp: { startTimeoutMs: 10_000 } });
  rig.addProvider({ type: 'openai-responses', name: 'Responses', baseUrl: server.url, model: 'gpt-4o-mini', conversationState: mode }, KEY);
  const tools = await saveServer(rig, stdioDraft());
  await serverIn(rig, tools.id, 'ready');
  const conversation: Conversation = await rig.call('conversations:create', undefined);
  await rig.call('conversations:setTools', { id: conversation.id, serverIds: [tools.id] });
  return { conversation, tools };
}

const bodies = () => server.requestsTo('/responses', 'POST').map((r) => r.body as Record<string, unknown>);

describe.each(['server', 'stateless'] as const)('Responses function tools (%s conversation state)', (mode) => {
  it('runs two approved calls and the model answers with their outputs; the next turn carries the tool turn', async () => {
    const { conversation } = await setup(mode);
    api.queueResponse({ functionCalls: [{ call_id: 'r1', name: 'echo', arguments: '{"text":"one"}' }, { call_id: 'r2', name: 'add', arguments: '{"a":20,"b":22}' }], chunkSize: 4 });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'Use tools' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['r1', 'once'], ['r2', 'deny']]);
    const result = await rig.finished(sent.streamId);
    expect(result.final).toEqual({ status: 'complete', finishReason: 'stop' });
    expect(result.content).toBe('Tools said: echo: one | The user denied this tool call.');
    expect(roundsOf(result.events)[0]?.calls.map((c) => c.state)).toEqual(['done', 'denied']);

    const [first, second] = bodies();
    expect(first?.tools).toContainEqual(expect.objectContaining({ type: 'function', name: 'echo', strict: false }));
    const outputs = [
      { type: 'function_call_output', call_id: 'r1', output: 'echo: one' },
      { type: 'function_call_output', call_id: 'r2', output: 'The user denied this tool call.' },
    ];
    if (mode === 'server') {
      expect(second?.input).toEqual(outputs);
      expect(second?.conversation).toBe(first?.conversation);
    } else {
      expect(second?.input).toEqual([
        { role: 'user', content: 'Use tools' },
        { type: 'function_call', call_id: 'r1', name: 'echo', arguments: '{"text":"one"}' },
        { type: 'function_call', call_id: 'r2', name: 'add', arguments: '{"a":20,"b":22}' },
        ...outputs,
      ]);
    }

    const next = await rig.call('chat:send', { conversationId: conversation.id, text: 'Thanks' });
    expect((await rig.finished(next.streamId)).final.status).toBe('complete');
    const last = bodies().at(-1);
    if (mode === 'server') expect(last?.input).toEqual([{ role: 'user', content: 'Thanks' }]);
    else expect((last?.input as { type?: string }[]).map((i) => i.type ?? 'message')).toEqual(['message', 'function_call', 'function_call', 'function_call_output', 'function_call_output', 'message', 'message']);
  });
});
