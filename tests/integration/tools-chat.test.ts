/**
 * Tools end to end in main: real MCP servers written with the SDK (a stdio process, an HTTP server in this
 * process) → supervisor → chat service → tool loop → Chat Completions against the local OpenAI-compatible
 * server, which streams tool_call deltas validated against the official spec.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/models/conversation';
import { faults } from '../fixtures/openai-server/index.js';
import type { ChatRequestInfo } from '../fixtures/openai-server/types.js';
import { SETTINGS_WINDOW_ID, errorOf, localServerAndRigs, waitUntil, type Rig, type RigOptions } from '../support/chat-rig';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp/http-server';
import { callIn, decideInTurn, httpDraft, roundsOf, saveServer, serverIn, stdioDraft } from '../support/mcp/mcp-rig';

const KEY = 'sk-test-tools-0123456789abcdef';
const local = localServerAndRigs({ apiKey: KEY }, { checkRequests: true });
let http: McpHttpServer;
beforeAll(async () => {
  http = await startMcpHttpServer();
});
afterAll(async () => {
  await http.close();
});

/** The model's second answer: what the last tool message(s) said. */
function toldByTools(info: ChatRequestInfo): string {
  const messages = (info.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'tool');
  return `Tools said: ${messages.map((m) => m.content).join(' | ')}`;
}

async function setup(options: RigOptions = {}, draft = stdioDraft()) {
  const rig = local.rig({ mcp: { startTimeoutMs: 10_000, restartDelaysMs: [50, 50], ...options.mcp }, ...options });
  rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' }, KEY);
  const server = await saveServer(rig, draft);
  await serverIn(rig, server.id, 'ready');
  const conversation: Conversation = await rig.call('conversations:create', undefined);
  await rig.call('conversations:setTools', { id: conversation.id, serverIds: [server.id] });
  local.server.setBehavior({ reply: toldByTools });
  return { rig, server, conversation };
}

function readFile(rig: Rig, id: string): Conversation {
  return JSON.parse(fs.readFileSync(path.join(rig.dataDir, 'conversations', `${id}.json`), 'utf8')) as Conversation;
}

const callEcho = (text: string, id = 'call_echo') =>
  faults.chat([{ type: 'content', text: 'Let me check. ' }, { type: 'tool_calls', calls: [{ id, name: 'echo', arguments: JSON.stringify({ text }) }] }, { type: 'finish', reason: 'tool_calls' }]);

describe('tools: a stdio MCP server and Chat Completions', () => {
  it('offers the tools, shows the call, runs it once allowed, and the model answers with its result', async () => {
    const { rig, server, conversation } = await setup();
    expect((await serverIn(rig, server.id, 'ready')).status.tools.map((t) => t.name)).toEqual(['echo', 'add', 'slow', 'fail', 'huge', 'crash']);
    local.server.nextResponses(callEcho('hello'));
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'Echo hello' });
    const pending = await callIn(rig, sent.streamId, 'pending', 'call_echo');
    expect(pending).toMatchObject({ id: 'call_echo', name: 'echo', tool: 'echo', serverName: 'Test tools', arguments: '{"text":"hello"}' });

    await rig.call('chat:decideTool', { conversationId: conversation.id, callId: 'call_echo', decision: 'once' });
    const result = await rig.finished(sent.streamId);
    expect(result.final).toEqual({ status: 'complete', finishReason: 'stop' });
    expect(result.content).toBe('Let me check. Tools said: echo: hello');
    expect(roundsOf(result.events)).toEqual([{ contentLength: 14, calls: [expect.objectContaining({ state: 'done', result: 'echo: hello' })] }]);

    const [first, second] = local.server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect((first?.body as { tools: unknown[] }).tools).toContainEqual({
      type: 'function',
      function: { name: 'echo', description: 'Repeats the text it is given.', parameters: expect.objectContaining({ type: 'object' }) },
    });
    expect((second?.body as { messages: unknown[] }).messages.slice(-3)).toEqual([
      { role: 'user', content: 'Echo hello' },
      { role: 'assistant', content: 'Let me check. ', tool_calls: [{ id: 'call_echo', type: 'function', function: { name: 'echo', arguments: '{"text":"hello"}' } }] },
      { role: 'tool', tool_call_id: 'call_echo', content: 'echo: hello' },
    ]);

    // Saved with the reply, and sent back the same way in the next turn (after a restart too).
    const saved = await waitUntil(() => readFile(rig, conversation.id).messages.find((m) => m.status === 'complete' && m.toolRounds));
    expect(saved?.toolRounds?.[0]?.calls[0]).toMatchObject({ state: 'done', result: 'echo: hello' });
    const again = local.keep(await rig.restart());
    await serverIn(again, server.id, 'ready');
    // The list (read from the index after a restart) still says which servers the conversation offers.
    expect((await again.call('conversations:list', undefined)).find((c) => c.id === conversation.id)?.tools).toEqual({ serverIds: [server.id] });
    const next = await again.call('chat:send', { conversationId: conversation.id, text: 'Thanks' });
    await again.finished(next.streamId);
    const history = (local.server.lastRequest('/chat/completions')?.body as { messages: { role: string }[] }).messages.map((m) => m.role);
    expect(history).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
  });

  it('says in the reply which chosen servers were not running, and answers with the tools of the others', async () => {
    const { rig, server, conversation } = await setup();
    const broken = await saveServer(rig, stdioDraft({ name: 'Broken' }, ['--exit']));
    await serverIn(rig, broken.id, 'error');
    await rig.call('conversations:setTools', { id: conversation.id, serverIds: [server.id, broken.id] });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hi' });
    const result = await rig.finished(sent.streamId);
    expect(result.events.find((e) => e.toolNotice)?.toolNotice).toBe(
      'The tools of “Broken” were not offered: the server is not running (see Settings › MCP servers).',
    );
    expect((local.server.lastRequest('/chat/completions')?.body as { tools?: unknown[] }).tools).toHaveLength(6);
    await waitUntil(() => readFile(rig, conversation.id).messages.at(-1)?.toolNotice);
  });

  it('leaves out the tools the conversation turned off', async () => {
    const { rig, server, conversation } = await setup();
    const saved = await rig.call('conversations:setTools', { id: conversation.id, serverIds: [server.id, 'gone'], disabledTools: [`${server.id}/crash`, `${server.id}/huge`, 'gone/x'] });
    expect(saved).toEqual({ serverIds: [server.id], disabledTools: [`${server.id}/crash`, `${server.id}/huge`] });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hi' });
    await rig.finished(sent.streamId);
    const names = (local.server.lastRequest('/chat/completions')?.body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
    expect(names).toEqual(['echo', 'add', 'slow', 'fail']);
  });

  it('assembles parallel calls whose arguments arrive interleaved in small pieces', async () => {
    const { rig, conversation } = await setup();
    local.server.nextResponses(
      faults.chat([
        {
          type: 'tool_calls',
          interleave: true,
          chunkSize: 3,
          calls: [
            { id: 'c1', name: 'add', arguments: '{"a": 2, "b": 40}' },
            { id: 'c2', name: 'echo', arguments: '{"text": "parallel 漢字"}' },
          ],
        },
        { type: 'finish', reason: 'tool_calls' },
      ]),
    );
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'Both' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['c1', 'once'], ['c2', 'once']]);
    const result = await rig.finished(sent.streamId);
    expect(result.content).toBe('Tools said: 42 | echo: parallel 漢字');
  });

  it('reads the calls of a server that ignores stream: true and answers one JSON completion', async () => {
    const { rig, conversation } = await setup();
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'j1', type: 'function', function: { name: 'echo', arguments: '{"text":"json"}' } }] } }],
    };
    local.server.nextResponses({ kind: 'raw', status: 200, contentType: 'application/json', body: JSON.stringify(completion) });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'json' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['j1', 'once']]);
    expect((await rig.finished(sent.streamId)).content).toBe('Tools said: echo: json');
  });

  it('tells the model a denied call was denied, and says which calls failed and why', async () => {
    const { rig, conversation } = await setup();
    local.server.nextResponses(
      faults.chat([
        {
          type: 'tool_calls',
          calls: [
            { id: 'd1', name: 'echo', arguments: '{"text":"secret"}' },
            { id: 'd2', name: 'weather', arguments: '{}' },
            { id: 'd3', name: 'add', arguments: '{"a":"two"}' },
            { id: 'd4', name: 'add', arguments: '{"a":1,' },
            { id: 'd5', name: 'fail', arguments: '{}' },
          ],
        },
        { type: 'finish', reason: 'tool_calls' },
      ]),
    );
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'Go' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['d1', 'deny'], ['d5', 'once']]);
    const result = await rig.finished(sent.streamId);
    const calls = roundsOf(result.events)[0]?.calls ?? [];
    expect(calls.map((c) => c.state)).toEqual(['denied', 'error', 'error', 'error', 'error']);
    expect(calls[1]?.message).toMatch(/no tool named “weather”/);
    expect(calls[2]?.message).toMatch(/do not match the tool's schema: missing required property “b”; a must be number\./);
    expect(calls[3]?.message).toMatch(/not valid JSON/);
    expect(calls[4]).toMatchObject({ result: 'disk not mounted', message: 'The tool reported an error.' });
    const tools = (local.server.lastRequest('/chat/completions')?.body as { messages: { role: string; content: string }[] }).messages.filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.content)).toEqual([
      'The user denied this tool call.',
      expect.stringMatching(/no tool named/),
      expect.stringMatching(/schema/),
      expect.stringMatching(/not valid JSON/),
      'Error: disk not mounted',
    ]);
    expect(result.final.status).toBe('complete');
  });

  it('remembers "Always allow" for the conversation and everywhere, and Settings can revoke it', async () => {
    const { rig, server, conversation } = await setup();
    local.server.nextResponses(callEcho('one', 'a1'));
    const first = await rig.call('chat:send', { conversationId: conversation.id, text: 'one' });
    await callIn(rig, first.streamId, 'pending', 'a1');
    await rig.call('chat:decideTool', { conversationId: conversation.id, callId: 'a1', decision: 'always-conversation' });
    await rig.finished(first.streamId);
    await waitUntil(() => readFile(rig, conversation.id).toolApprovals);
    expect(readFile(rig, conversation.id).toolApprovals).toEqual([`${server.id}/echo`]);

    // Runs at once now: no pending card.
    local.server.nextResponses(callEcho('two', 'a2'));
    const second = await rig.call('chat:send', { conversationId: conversation.id, text: 'two' });
    const done = await rig.finished(second.streamId);
    expect(done.events.some((e) => e.toolRounds?.some((r) => r.calls.some((c) => c.state === 'pending')))).toBe(false);
    expect(done.content).toContain('echo: two');
    expect((await rig.call('conversations:list', undefined)).find((c) => c.id === conversation.id)?.toolApprovals).toEqual([`${server.id}/echo`]);

    // Revoked in the conversation's Tools dialog: the next call asks again (and setTools never adds one).
    await rig.call('conversations:setTools', { id: conversation.id, serverIds: [server.id], toolApprovals: [`${server.id}/add`] });
    await waitUntil(() => readFile(rig, conversation.id).toolApprovals === undefined);
    local.server.nextResponses(callEcho('again', 'a2b'));
    const asked = await rig.call('chat:send', { conversationId: conversation.id, text: 'again' });
    await callIn(rig, asked.streamId, 'pending', 'a2b');
    await rig.call('chat:decideTool', { conversationId: conversation.id, callId: 'a2b', decision: 'once' });
    await rig.finished(asked.streamId);

    // Globally, in another conversation; then revoked.
    const other: Conversation = await rig.call('conversations:create', undefined);
    await rig.call('conversations:setTools', { id: other.id, serverIds: [server.id] });
    local.server.nextResponses(callEcho('three', 'a3'));
    const third = await rig.call('chat:send', { conversationId: other.id, text: 'three' });
    await callIn(rig, third.streamId, 'pending', 'a3');
    await rig.call('chat:decideTool', { conversationId: other.id, callId: 'a3', decision: 'always-global' });
    await rig.finished(third.streamId);
    expect((await rig.call('mcp:list', undefined)).alwaysAllowed).toEqual([`${server.id}/echo`]);
    const revoked = await rig.call('mcp:setAllowed', { key: `${server.id}/echo`, allowed: false });
    expect(revoked.alwaysAllowed).toEqual([]);
    local.server.nextResponses(callEcho('four', 'a4'));
    const fourth = await rig.call('chat:send', { conversationId: other.id, text: 'four' });
    await callIn(rig, fourth.streamId, 'pending', 'a4');
    await rig.call('chat:stop', { conversationId: other.id });
  });

  it('Stop while a call waits or runs cancels it and the turn; the conversation keeps what was written', async () => {
    const { rig, conversation } = await setup();
    local.server.nextResponses(faults.chat([{ type: 'content', text: 'Waiting. ' }, { type: 'tool_calls', calls: [{ id: 's1', name: 'slow', arguments: '{"ms": 5000}' }] }, { type: 'finish', reason: 'tool_calls' }]));
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'slow' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['s1', 'once']]);
    await callIn(rig, sent.streamId, 'running', 's1');
    await rig.call('chat:stop', { conversationId: conversation.id });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('stopped');
    expect(roundsOf(result.events)[0]?.calls[0]).toMatchObject({ state: 'cancelled' });
    const saved = await waitUntil(() => readFile(rig, conversation.id).messages.find((m) => m.status === 'stopped'));
    expect(saved).toMatchObject({ status: 'stopped', content: 'Waiting. ', toolRounds: [{ calls: [{ state: 'cancelled' }] }] });
    // A decision for the stopped call is refused in words.
    expect(errorOf(await rig.raw('chat:decideTool', { conversationId: conversation.id, callId: 's1', decision: 'once' })).message).toMatch(/no longer waiting/);
  });

  it('a tool that times out, and a huge result kept whole for the user but cut for the model', async () => {
    const { rig, conversation } = await setup({ mcp: { callTimeoutMs: 300 } });
    local.server.nextResponses(
      faults.chat([
        { type: 'tool_calls', calls: [{ id: 't1', name: 'slow', arguments: '{"ms": 3000}' }, { id: 't2', name: 'huge', arguments: '{"size": 50000}' }] },
        { type: 'finish', reason: 'tool_calls' },
      ]),
    );
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'x' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['t1', 'once'], ['t2', 'once']]);
    const result = await rig.finished(sent.streamId);
    const [slow, huge] = roundsOf(result.events)[0]?.calls ?? [];
    expect(slow).toMatchObject({ state: 'error', message: 'The tool did not answer within 0 s.' });
    expect(huge?.result).toHaveLength(50_000);
    const told = (local.server.lastRequest('/chat/completions')?.body as { messages: { role: string; content: string }[] }).messages.filter((m) => m.role === 'tool');
    expect(told[1]?.content.length).toBeLessThan(21_000);
    expect(told[1]?.content).toMatch(/The result was 50000 characters long/);
  });

  it('stops after the allowed number of tool rounds with a sentence', async () => {
    const { rig, server, conversation } = await setup({ mcp: { maxRounds: 2 } });
    expect(errorOf(await rig.raw('mcp:setAllowed', { key: `${server.id}/echo`, allowed: true })).code).toBe('UNTRUSTED_SENDER');
    await rig.call('mcp:setAllowed', { key: `${server.id}/echo`, allowed: true }, SETTINGS_WINDOW_ID);
    local.server.alwaysRespond(callEcho('again'));
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'loop' });
    const result = await rig.finished(sent.streamId);
    local.server.clearFaults();
    expect(result.final).toMatchObject({ status: 'failed', error: { code: 'TOOL_ROUNDS_EXCEEDED' } });
    expect(roundsOf(result.events)).toHaveLength(2);
  });

  it('a server that refuses tools gets one sentence; "Send without it" answers without tools', async () => {
    const { rig, conversation } = await setup();
    local.server.nextResponses({ kind: 'error', status: 400, message: 'registry.ollama.ai/library/gemma:2b does not support tools', type: 'api_error' });
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hi' });
    const result = await rig.finished(sent.streamId);
    expect(result.final).toMatchObject({ status: 'failed', error: { code: 'PARAMETER_REJECTED', params: { parameter: 'tools' } } });
    local.server.setBehavior({ reply: 'Plain answer.' });
    const retried = await rig.call('chat:sendWithout', { conversationId: conversation.id, parameter: 'tools' });
    expect((await rig.finished(retried.streamId)).content).toBe('Plain answer.');
    expect(local.server.lastRequest('/chat/completions')?.body).not.toHaveProperty('tools');
  });
});

describe('tools: a Streamable HTTP MCP server', () => {
  it('calls a tool over HTTP, and names colliding tools apart with a sentence', async () => {
    const { rig, server: stdio, conversation } = await setup();
    const remote = await saveServer(rig, httpDraft(http.url));
    await serverIn(rig, remote.id, 'ready');
    await rig.call('conversations:setTools', { id: conversation.id, serverIds: [stdio.id, remote.id] });
    expect((await rig.call('mcp:list', undefined)).collisions).toEqual([
      'Several servers have a tool named “echo”; the model sees them as “Test_tools__echo” and “HTTP_tools__echo”.',
    ]);
    local.server.nextResponses(
      faults.chat([{ type: 'tool_calls', calls: [{ id: 'h1', name: 'lookup', arguments: '{"key":"capital"}' }, { id: 'h2', name: 'HTTP_tools__echo', arguments: '{"text":"hi"}' }] }, { type: 'finish', reason: 'tool_calls' }]),
    );
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'capital?' });
    await decideInTurn(rig, conversation.id, sent.streamId, [['h1', 'once'], ['h2', 'once']]);
    const result = await rig.finished(sent.streamId);
    expect(result.content).toBe('Tools said: Taipei | http echo: hi');
    const names = ((local.server.requests.find((r) => r.path.endsWith('/chat/completions'))?.body as { tools: { function: { name: string } }[] }).tools).map((t) => t.function.name);
    expect(names.sort()).toEqual(['HTTP_tools__echo', 'Test_tools__echo', 'add', 'crash', 'fail', 'huge', 'lookup', 'slow']);
  });
});
