/** Helpers for tests with MCP servers: the stdio test server's command, and waiting for a server's status. */
import path from 'node:path';
import type { McpServerDraft, McpServerView } from '../../../shared/models/tools';
import type { ChatStreamEvent } from '../../../shared/models/chat-event';
import type { ToolRound } from '../../../shared/models/tools';
import type { Result } from '../../../shared/result';
import { SETTINGS_WINDOW_ID, waitUntil, type Rig } from '../chat-rig';

/** Saves a server as the Settings window does (the only window allowed to). */
export function saveServer(rig: Rig, draft: McpServerDraft & { id?: string }): Promise<McpServerView> {
  return rig.call('mcp:save', draft, SETTINGS_WINDOW_ID);
}

export function saveServerRaw(rig: Rig, draft: McpServerDraft & { id?: string }): Promise<Result<unknown>> {
  return rig.raw('mcp:save', draft, SETTINGS_WINDOW_ID);
}

export const STDIO_SERVER = path.resolve(import.meta.dirname, 'stdio-server.mjs');

export function stdioDraft(overrides: Partial<McpServerDraft> = {}, flags: string[] = []): McpServerDraft {
  return {
    name: 'Test tools',
    enabled: true,
    transport: 'stdio',
    command: process.execPath,
    args: [STDIO_SERVER, ...flags],
    cwd: '',
    env: [],
    url: '',
    headers: [],
    ...overrides,
  };
}

export function httpDraft(url: string, overrides: Partial<McpServerDraft> = {}): McpServerDraft {
  return { name: 'HTTP tools', enabled: true, transport: 'http', command: '', args: [], cwd: '', env: [], url, headers: [], ...overrides };
}

/** Waits until the server's status is `state` (ready, error …) and returns its view. */
export async function serverIn(rig: Rig, id: string, state: string, timeoutMs = 15_000): Promise<McpServerView> {
  const start = Date.now();
  for (;;) {
    const list = await rig.call('mcp:list', undefined);
    const view = list.servers.find((s) => s.id === id);
    if (view?.status.state === state) return view;
    if (Date.now() - start > timeoutMs) throw new Error(`server ${id} is ${view?.status.state} (${view?.status.message ?? ''}), not ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The latest tool rounds a stream sent. */
export function roundsOf(events: ChatStreamEvent[]): ToolRound[] {
  let rounds: ToolRound[] = [];
  for (const e of events) if (e.toolRounds) rounds = e.toolRounds;
  return rounds;
}

/** Answers the stream's approval prompts in order: waits for each call to be pending, then decides it. */
export async function decideInTurn(
  rig: Rig,
  conversationId: string,
  streamId: string,
  decisions: readonly [callId: string, decision: 'once' | 'deny' | 'always'][],
): Promise<void> {
  for (const [callId, decision] of decisions) {
    await callIn(rig, streamId, 'pending', callId);
    await rig.call('chat:decideTool', { conversationId, callId, decision });
  }
}

/** Waits for the call `id` in the stream to reach `state` and returns it. */
export async function callIn(rig: Rig, streamId: string, state: string, id: string) {
  return waitUntil(
    () => roundsOf(rig.streamEvents(streamId)).flatMap((r) => r.calls).find((c) => c.id === id && c.state === state),
    15_000,
    `tool call ${id} to be ${state}`,
  );
}
