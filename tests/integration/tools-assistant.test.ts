/**
 * Tools on the Assistants API: a run that stops at `requires_action` for functions the conversation offers
 * goes through the same approval; the outputs are submitted (`submit_tool_outputs`, streamed or polled)
 * and the run writes its answer. The assistant's own tools are kept on the run. A function the
 * conversation does not offer is cancelled with the sentence shown before tools existed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/models/conversation';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { startRig, type Rig } from '../support/chat-rig';
import { callIn, roundsOf, saveServer, serverIn, stdioDraft } from '../support/mcp/mcp-rig';

const KEY = 'sk-assistant-tools-key-4242';
let server: OpenAIServer;
let api: AssistantsApi;
let rig: Rig;

beforeAll(async () => {
  api = new AssistantsApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [assistantsRoutes(api)] });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await rig.close();
  await expectWithinSpecThenReset(api, server);
});

async function setup() {
  rig = startRig({
    mcp: { startTimeoutMs: 10_000 },
    assistant: { sleep: (_ms, signal) => new Promise((resolve, reject) => (signal.aborted ? reject(signal.reason as Error) : setTimeout(resolve, 1))) },
  });
  const assistantId = api.createAssistant({ name: 'Helper', model: 'gpt-4o', tools: ['code_interpreter'] });
  rig.addProvider({ type: 'openai-assistant', name: 'Assistant', baseUrl: server.url, model: '', assistantId }, KEY);
  const tools = await saveServer(rig, stdioDraft());
  await serverIn(rig, tools.id, 'ready');
  const conversation: Conversation = await rig.call('conversations:create', undefined);
  await rig.call('conversations:setTools', { id: conversation.id, serverIds: [tools.id] });
  return { conversation };
}

describe.each(['sse', 'ignore'] as const)('Assistants requires_action with MCP tools (run streaming: %s)', (streaming) => {
  it('approves the parallel calls, submits their outputs, and shows the answer', async () => {
    const { conversation } = await setup();
    api.configure({ runStreaming: streaming });
    api.queueRun({
      outcome: 'requires_action',
      functionCalls: [
        { name: 'echo', arguments: '{"text":"from assistant"}' },
        { name: 'add', arguments: '{"a":1,"b":1}' },
      ],
    });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'Use tools' });
    const first = await waitPending(sent.streamId, 0);
    await rig.call('chat:decideTool', { conversationId: conversation.id, callId: first, decision: 'once' });
    const second = await waitPending(sent.streamId, 1);
    await rig.call('chat:decideTool', { conversationId: conversation.id, callId: second, decision: 'deny' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe('The function returned: echo: from assistant\nThe user denied this tool call.');
    expect(roundsOf(result.events)[0]?.calls.map((c) => c.state)).toEqual(['done', 'denied']);
    const run = server.requests.filter((r) => r.method === 'POST' && /\/threads\/[^/]+\/runs$/.test(r.path)).at(-1)?.body as { tools: { type: string; function?: { name: string } }[] } | undefined;
    expect(run?.tools.map((t) => t.function?.name ?? t.type)).toEqual(['code_interpreter', 'echo', 'add', 'slow', 'fail', 'huge', 'crash']);
  });
});

describe('Assistants requires_action for a function no tool answers', () => {
  it('cancels the run with the sentence shown before tools existed', async () => {
    const { conversation } = await setup();
    api.queueRun({ outcome: 'requires_action', functionCall: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'Weather?' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.error).toMatchObject({ code: 'ASSISTANT_REQUIRES_ACTION' });
    expect(result.final.error?.message).toMatch(/get_weather/);
  });
});

describe.each(['sse', 'reject'] as const)('Assistants run refused for its tools (run streaming: %s)', (streaming) => {
  it('one sentence with "Send without it"; sending without it runs with the assistant\'s own tools only', async () => {
    const { conversation } = await setup();
    api.configure({ refuseRunTools: true, runStreaming: streaming });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hi' });
    const result = await rig.finished(sent.streamId);
    expect(result.final).toMatchObject({ status: 'failed', error: { code: 'PARAMETER_REJECTED', message: 'gpt-4o does not accept tools on this server.', params: { parameter: 'tools' } } });
    expect(result.final.error?.hint).toMatch(/^Send without it/);
    const runPosts = () => server.requests.filter((r) => r.method === 'POST' && /\/threads\/[^/]+\/runs$/.test(r.path));
    expect(runPosts()).toHaveLength(streaming === 'reject' ? 2 : 1);

    const retried = await rig.call('chat:sendWithout', { conversationId: conversation.id, parameter: 'tools' });
    const again = await rig.finished(retried.streamId);
    expect(again.final.status).toBe('complete');
    expect(again.content).toBe('Assistant reply 1 in this thread: hi');
    expect(runPosts().at(-1)?.body).not.toHaveProperty('tools');
    // The thread kept one copy of the question (the refused turn was lined up, not doubled).
    expect(api.messagesOfThread(api.lastRun()?.threadId ?? '').filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['hi']);
  });
});

async function waitPending(streamId: string, index: number): Promise<string> {
  const { waitUntil } = await import('../support/chat-rig');
  const call = await waitUntil(() => roundsOf(rig.streamEvents(streamId))[0]?.calls[index], 15_000, 'a tool call');
  await callIn(rig, streamId, 'pending', call.id);
  return call.id;
}
