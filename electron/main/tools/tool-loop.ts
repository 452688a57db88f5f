/**
 * The tool loop of one reply: the model's reply streams as usual; when it asks for function calls, each
 * call is checked (known tool, JSON arguments valid against the tool's schema), shown to the user as a card
 * and waits for the user's decision (Allow once, Always allow, Deny; a tool always allowed runs at once),
 * runs with a time limit, and its result goes back to the model, which continues. A bounded number of
 * rounds per turn; Stop (the request's signal) cancels a waiting or running call and the turn.
 *
 * It wraps a chat adapter and yields the same event batches, plus `tool-rounds` with the whole tool state
 * whenever it changes, so the chat service saves and shows it like any other part of the reply.
 */
import type { ChatEvent, ModelToolCall } from '../../../shared/models/chat-event';
import type { ToolCallRecord, ToolDecision, ToolRound } from '../../../shared/models/tools';
import { appError } from '../../../shared/result';
import { replyBatches, type ChatAdapter, type ChatRequest } from '../providers/provider-kind';
import type { ToolCallOutcome } from './mcp-connection';
import { checkArguments } from './tool-arguments';
import { toolMessageFor } from './tool-result';
import type { OfferedTool } from './tool-catalog';

export interface ToolLoopDeps {
  tools: readonly OfferedTool[];
  /** Whether the user always allows this tool (in this conversation or everywhere). */
  isAllowed(tool: OfferedTool): boolean;
  /** Waits for the user's decision on a call shown as pending; rejects when the signal aborts. */
  decide(call: ToolCallRecord, signal: AbortSignal): Promise<ToolDecision>;
  /** Remembers an "Always allow" decision. */
  remember(tool: OfferedTool, decision: Extract<ToolDecision, 'always-conversation' | 'always-global'>): Promise<void>;
  /** Runs the tool on its server; rejects with a sentence when the server is gone or the call fails. */
  call(tool: OfferedTool, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolCallOutcome>;
  maxRounds: number;
}

export const DENIED_MESSAGE = 'The user denied this tool call.';

/** The sentence for a call that asks for a tool not offered. */
export function unknownToolMessage(name: string): string {
  return `There is no tool named “${name}” here; only the tools listed may be called.`;
}

export async function* toolLoop(adapter: ChatAdapter, request: ChatRequest, deps: ToolLoopDeps): AsyncGenerator<ChatEvent[], void, undefined> {
  const rounds: ToolRound[] = [];
  let content = '';
  let round = 0;
  const snapshot = (): ChatEvent => ({ type: 'tool-rounds', rounds: structuredClone(rounds) });
  const tooMany = (): ChatEvent[] => [
    {
      type: 'error',
      error: appError('TOOL_ROUNDS_EXCEEDED', `The model asked for tools more than ${deps.maxRounds} times in one reply, so Switchboard stopped it.`, {
        hint: 'Ask again, or ask for fewer steps at a time.',
        params: { rounds: deps.maxRounds },
      }),
    },
  ];
  const toolAnswers: { outputs: Map<string, string> | null } = { outputs: null };
  for (; ; round++) {
    const history = rounds.length === 0 ? request.history : [...request.history, { role: 'assistant' as const, content, toolRounds: structuredClone(rounds) }];
    let asked: ModelToolCall[] | null = null;
    for await (const batch of replyBatches(adapter, { ...request, history, toolAnswers })) {
      const passed: ChatEvent[] = [];
      for (const event of batch) {
        if (event.type === 'tool-calls' && event.inline) {
          // The run waits for the outputs (Assistants): answer now, then let the adapter go on.
          if (passed.length > 0) yield passed.splice(0);
          if (round >= deps.maxRounds) {
            toolAnswers.outputs = null;
            yield tooMany();
            return;
          }
          round += 1;
          const answered = yield* answerRound(event.calls, content.length, rounds, snapshot, request, deps);
          toolAnswers.outputs = answered ? new Map(answered.calls.map((c) => [c.id, toolMessageFor(c)])) : null;
          if (!answered) return;
        } else if (event.type === 'tool-calls') asked = event.calls;
        // The reply is not done while calls are answered; only the last round's `done` ends it.
        else if (event.type === 'done' && asked) continue;
        else {
          if (event.type === 'delta') content += event.text;
          if (event.type === 'reset') content = '';
          passed.push(event);
        }
      }
      if (passed.length > 0) yield passed;
    }
    if (!asked || asked.length === 0 || request.signal.aborted) return;
    if (round >= deps.maxRounds) {
      yield tooMany();
      return;
    }
    if (!(yield* answerRound(asked, content.length, rounds, snapshot, request, deps))) return;
    if (request.signal.aborted) return;
  }
}

/** Checks the calls of one round, waits for the user's decisions, runs them; null when the turn was stopped. */
async function* answerRound(
  asked: ModelToolCall[],
  contentLength: number,
  rounds: ToolRound[],
  snapshot: () => ChatEvent,
  request: ChatRequest,
  deps: ToolLoopDeps,
): AsyncGenerator<ChatEvent[], ToolRound | null, undefined> {
  const current: ToolRound = { contentLength, calls: asked.map((call) => recordFor(call, deps.tools)) };
  rounds.push(current);
  // Every call is checked and put up for a decision at once, so the user may answer the cards in any
  // order; they then run one after another, in the model's order.
  const offeredFor = current.calls.map((_, i) => deps.tools.find((t) => t.name === asked?.[i]?.name));
  const decisions = current.calls.map((call, i): Promise<ToolDecision> | null => {
    const offered = offeredFor[i];
    if (call.state !== 'pending' || !offered) return null;
    const checked = checkArguments(call.arguments, offered.tool.inputSchema);
    if (!checked.ok) {
      call.state = 'error';
      call.message = checked.message;
      return null;
    }
    if (deps.isAllowed(offered)) return Promise.resolve('once');
    const waiting = deps.decide(structuredClone(call), request.signal);
    waiting.catch(() => undefined);
    return waiting;
  });
  yield [snapshot()];
  for (const [i, call] of current.calls.entries()) {
    const offered = offeredFor[i];
    const decided = decisions[i];
    if (!offered || !decided) continue;
    let decision: ToolDecision;
    try {
      decision = await decided;
    } catch {
      cancelRest(current);
      yield [snapshot()];
      return null;
    }
    if (decision === 'deny') {
      call.state = 'denied';
      call.message = DENIED_MESSAGE;
      yield [snapshot()];
      continue;
    }
    if (decision !== 'once') await deps.remember(offered, decision);
    const checked = checkArguments(call.arguments, offered.tool.inputSchema);
    if (!checked.ok) continue;
    call.state = 'running';
    yield [snapshot()];
    try {
      const outcome = await deps.call(offered, checked.value, request.signal);
      call.state = outcome.isError ? 'error' : 'done';
      call.result = outcome.text;
      if (outcome.isError) call.message = 'The tool reported an error.';
    } catch (error) {
      if (request.signal.aborted) {
        cancelRest(current);
        yield [snapshot()];
        return null;
      }
      call.state = 'error';
      call.message = error instanceof Error && error.message ? error.message : 'The tool call failed.';
    }
    yield [snapshot()];
  }
  return current;
}

function recordFor(call: ModelToolCall, tools: readonly OfferedTool[]): ToolCallRecord {
  const offered = tools.find((t) => t.name === call.name);
  if (!offered) {
    return { id: call.id, name: call.name, serverId: '', serverName: '', tool: call.name, arguments: call.arguments, state: 'error', message: unknownToolMessage(call.name) };
  }
  return { id: call.id, name: call.name, serverId: offered.serverId, serverName: offered.serverName, tool: offered.tool.name, arguments: call.arguments, state: 'pending' };
}

function cancelRest(round: ToolRound): void {
  for (const call of round.calls) {
    if (call.state === 'pending' || call.state === 'running') {
      call.state = 'cancelled';
      call.message = 'Stopped before the tool call finished.';
    }
  }
}

/**
 * The adapter for a turn: with the tool loop around it when the conversation offers tools, and first a
 * sentence when tools it chose cannot be offered (their server is not running).
 */
export function withTools(adapter: ChatAdapter, tools: { loop: ToolLoopDeps | null; notice: string | null } | null): ChatAdapter {
  if (!tools) return adapter;
  const { loop, notice } = tools;
  async function* batches(request: ChatRequest): AsyncGenerator<ChatEvent[], void, undefined> {
    if (notice) yield [{ type: 'tool-notice', text: notice }];
    if (loop) {
      yield* toolLoop(adapter, request, loop);
      return;
    }
    for await (const batch of replyBatches(adapter, request)) yield [...batch];
  }
  return {
    async *streamChat(request) {
      for await (const batch of batches(request)) yield* batch;
    },
    streamChatBatches: batches,
  };
}

/** A reply that ended (stopped, failed, crashed) with calls still open: they did not finish. */
export function closeOpenCalls(rounds: ToolRound[] | undefined): void {
  for (const round of rounds ?? []) cancelRest(round);
}
