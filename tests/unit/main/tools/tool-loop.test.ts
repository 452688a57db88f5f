import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../../shared/models/chat-event';
import type { ToolDecision, ToolRound } from '../../../../shared/models/tools';
import type { ChatAdapter, ChatRequest } from '../../../../electron/main/providers/provider-kind';
import type { OfferedTool } from '../../../../electron/main/tools/tool-catalog';
import { toolLoop, type ToolLoopDeps } from '../../../../electron/main/tools/tool-loop';
import { APIError } from 'openai';
import { toolsRejected } from '../../../../electron/main/providers/errors/tools-rejected';

const echo: OfferedTool = {
  name: 'echo',
  serverId: 's1',
  serverName: 'Server',
  tool: { name: 'echo', description: '', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
};

/** An adapter that answers each request from a script and records the histories it was given. */
function scripted(replies: ChatEvent[][]): ChatAdapter & { histories: ChatRequest['history'][] } {
  const histories: ChatRequest['history'][] = [];
  return {
    histories,
    async *streamChat(request) {
      histories.push(structuredClone(request.history));
      for (const event of replies.shift() ?? [{ type: 'done', finishReason: 'stop' }]) yield event;
    },
  };
}

function request(signal = new AbortController().signal): ChatRequest {
  return {
    provider: { config: {} as ChatRequest['provider']['config'], apiKey: null, quirks: {} },
    model: 'm',
    history: [{ role: 'user', content: 'q' }],
    conversation: { id: 'c' },
    signal,
  };
}

function deps(decide: (id: string) => Promise<ToolDecision> | ToolDecision, overrides: Partial<ToolLoopDeps> = {}): ToolLoopDeps & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    tools: [echo],
    isAllowed: () => false,
    decide: async (call) => decide(call.id),
    remember: async () => undefined,
    call: async (_tool, args) => {
      calls.push(args);
      return { text: `echo: ${(args as { text: string }).text}`, isError: false };
    },
    maxRounds: 3,
    ...overrides,
  };
}

async function collect(gen: AsyncGenerator<ChatEvent[]>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const batch of gen) out.push(...batch);
  return out;
}

const lastRounds = (events: ChatEvent[]): ToolRound[] => (events.filter((e) => e.type === 'tool-rounds').at(-1) as { rounds: ToolRound[] } | undefined)?.rounds ?? [];
const ask = (...calls: [string, string, string][]): ChatEvent[] => [
  { type: 'delta', text: 'Let me see. ' },
  { type: 'tool-calls', calls: calls.map(([id, name, args]) => ({ id, name, arguments: args })) },
  { type: 'done', finishReason: 'tool_calls' },
];

describe('toolLoop', () => {
  it('passes a reply without calls through unchanged', async () => {
    const adapter = scripted([[{ type: 'delta', text: 'Hi' }, { type: 'done', finishReason: 'stop' }]]);
    expect(await collect(toolLoop(adapter, request(), deps(() => 'once')))).toEqual([{ type: 'delta', text: 'Hi' }, { type: 'done', finishReason: 'stop' }]);
  });

  it('runs an allowed call, answers an unknown tool and bad arguments with sentences, and continues with the history of the round', async () => {
    const adapter = scripted([ask(['a', 'echo', '{"text":"x"}'], ['b', 'nope', '{}'], ['c', 'echo', '{}']), [{ type: 'delta', text: 'Done.' }, { type: 'done', finishReason: 'stop' }]]);
    const d = deps(() => 'once');
    const events = await collect(toolLoop(adapter, request(), d));
    expect(d.calls).toEqual([{ text: 'x' }]);
    const [round] = lastRounds(events);
    expect(round?.contentLength).toBe('Let me see. '.length);
    expect(round?.calls.map((c) => [c.state, c.message ?? c.result])).toEqual([
      ['done', 'echo: x'],
      ['error', 'There is no tool named “nope” here; only the tools listed may be called.'],
      ['error', 'The arguments do not match the tool\'s schema: missing required property “text”.'],
    ]);
    // Only the last round's `done` ends the reply.
    expect(events.filter((e) => e.type === 'done')).toEqual([{ type: 'done', finishReason: 'stop' }]);
    expect(adapter.histories[1]?.at(-1)).toMatchObject({ role: 'assistant', content: 'Let me see. ', toolRounds: [{ calls: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }] });
  });

  it('never runs a denied call and says so', async () => {
    const d = deps(() => 'deny');
    const events = await collect(toolLoop(scripted([ask(['a', 'echo', '{"text":"x"}'])]), request(), d));
    expect(d.calls).toEqual([]);
    expect(lastRounds(events)[0]?.calls[0]).toMatchObject({ state: 'denied', message: 'The user denied this tool call.' });
  });

  it('skips the question for a tool always allowed, and remembers an "always" decision', async () => {
    const remembered: string[] = [];
    const asked: string[] = [];
    const d = deps(
      (id) => {
        asked.push(id);
        return 'always-global';
      },
      { remember: async (_t, decision) => void remembered.push(decision) },
    );
    await collect(toolLoop(scripted([ask(['a', 'echo', '{"text":"x"}'])]), request(), d));
    expect([asked, remembered]).toEqual([['a'], ['always-global']]);
    const quiet = deps(() => Promise.reject(new Error('must not ask')), { isAllowed: () => true });
    await collect(toolLoop(scripted([ask(['b', 'echo', '{"text":"y"}'])]), request(), quiet));
    expect(quiet.calls).toEqual([{ text: 'y' }]);
  });

  it('stops after maxRounds rounds with TOOL_ROUNDS_EXCEEDED', async () => {
    const again = () => ask(['a', 'echo', '{"text":"x"}']);
    const events = await collect(toolLoop(scripted([again(), again(), again()]), request(), deps(() => 'once', { maxRounds: 2 })));
    expect(lastRounds(events)).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'TOOL_ROUNDS_EXCEEDED', params: { rounds: 2 } } });
  });

  it('Stop while a call waits cancels it and ends the reply without another request', async () => {
    const controller = new AbortController();
    const adapter = scripted([ask(['a', 'echo', '{"text":"x"}'])]);
    const d = deps(() => new Promise<ToolDecision>(() => undefined), {
      decide: (_call, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    });
    const run = collect(toolLoop(adapter, request(controller.signal), d));
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const events = await run;
    expect(lastRounds(events)[0]?.calls[0]?.state).toBe('cancelled');
    expect(adapter.histories).toHaveLength(1);
  });

  it('answers inline calls (a run that waits for outputs) while the adapter is paused, through the request slot', async () => {
    let seen: Map<string, string> | null | undefined;
    const adapter: ChatAdapter = {
      async *streamChat(req) {
        yield { type: 'tool-calls', calls: [{ id: 'i1', name: 'echo', arguments: '{"text":"in"}' }], inline: true };
        seen = req.toolAnswers?.outputs;
        yield { type: 'delta', text: 'after' };
        yield { type: 'done', finishReason: 'stop' };
      },
    };
    const events = await collect(toolLoop(adapter, request(), deps(() => 'once')));
    expect([...(seen ?? new Map())]).toEqual([['i1', 'echo: in']]);
    expect(events.filter((e) => e.type === 'delta')).toEqual([{ type: 'delta', text: 'after' }]);
  });
});

describe('toolsRejected', () => {
  const apiError = (status: number, message: string, param: string | null = null) =>
    new APIError(status, { message, type: 'invalid_request_error', param, code: null }, message, new Headers());
  it('recognises servers and models that refuse tools, and nothing else', () => {
    expect(toolsRejected(apiError(400, 'registry.ollama.ai/library/gemma:2b does not support tools'))).toBe(true);
    expect(toolsRejected(apiError(400, "Unrecognized request argument supplied: tools"))).toBe(true);
    expect(toolsRejected(apiError(400, 'Invalid value', 'tools'))).toBe(true);
    expect(toolsRejected(apiError(400, 'Unsupported parameter: max_tokens', 'max_tokens'))).toBe(false);
    expect(toolsRejected(apiError(401, 'does not support tools'))).toBe(false);
  });
});
