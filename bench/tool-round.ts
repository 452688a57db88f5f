/**
 * The cost of one tool round in main, beyond the tool's own time. The real services run in this process
 * with an in-memory keychain, the local test server as the model and the SDK's stdio test server as the MCP
 * server (the tool `echo`, always allowed, so no one waits for a click). Each turn: the model streams one
 * tool call; main assembles it, checks its arguments, saves and sends the card state, calls the tool, saves
 * the result, rebuilds the history and sends the second request. The figure is the time from the end of
 * the first response ([DONE] read) to the second request leaving, minus the tool call itself (MCP request
 * to the server process and back, as measured around the SDK's callTool).
 */
import { createDispatcher } from '../electron/main/ipc/dispatcher';
import { createRecordingEventSink } from '../electron/main/ipc/events';
import { createMemoryLogger } from '../electron/main/logger';
import { createConfStore } from '../electron/main/config/conf-store';
import { createServices } from '../electron/main/services';
import { sdkConnector } from '../electron/main/tools/mcp-connection';
import type { Conversation } from '../shared/models/conversation';
import type { McpServerView } from '../shared/models/tools';
import { faults, startOpenAIServer } from '../tests/fixtures/openai-server/index';
import { memorySecretStore } from '../tests/support/chat-rig';
import { stdioDraft } from '../tests/support/mcp/mcp-rig';
import { BENCH_MODEL, tempDir } from './app-session';

export interface ToolRoundRun {
  /** Per measured turn: main's time for the round beyond the tool call. */
  overheadMs: number[];
  /** Per measured turn: the tool call itself (SDK callTool round trip to the server process). */
  toolMs: number[];
}

export async function toolRoundRun(turns: number, warmup: number): Promise<ToolRoundRun> {
  const server = await startOpenAIServer({});
  const doneTimes: number[] = [];
  const requestStarts: number[] = [];
  // Timestamps on the wire: when a chat request leaves, and when the response's [DONE] has been read.
  const timedFetch: typeof fetch = async (input, init) => {
    requestStarts.push(performance.now());
    const response = await fetch(input, init);
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (Buffer.from(chunk).includes('[DONE]')) doneTimes.push(performance.now());
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const toolTimes: number[] = [];
  const services = createServices({
    dataDir: tempDir('switchboard-bench-tools-'),
    fetch: timedFetch,
    secretStore: memorySecretStore(),
    createStore: createConfStore,
    events: createRecordingEventSink(),
    shell: { openSettings() {}, openChat() {}, async openInBrowser() {}, windowReady() {} },
    info: { name: 'Switchboard', version: 'bench', platform: process.platform, systemLocale: 'en-US', runtime: 'browser' },
    log: createMemoryLogger(),
    mcp: {
      connect: async (config, options) => {
        const connection = await sdkConnector(config, options);
        return {
          tools: connection.tools,
          onClosed: (listener) => connection.onClosed(listener),
          close: () => connection.close(),
          async callTool(name, args, callOptions) {
            const start = performance.now();
            try {
              return await connection.callTool(name, args, callOptions);
            } finally {
              toolTimes.push(performance.now() - start);
            }
          },
        };
      },
    },
  });
  const dispatcher = createDispatcher(services.handlers, createMemoryLogger());
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    // Servers and approvals are set from the Settings window (the only one allowed to); chat calls from a Chat window.
    const result = await dispatcher.dispatch(channel, input, channel.startsWith('mcp:') ? { windowId: 2, windowKind: 'settings' } : { windowId: 1, windowKind: 'chat' });
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  };
  try {
    await call('providers:save', {
      type: 'openai-compatible',
      name: 'Local benchmark server',
      baseUrl: server.url,
      model: BENCH_MODEL,
      assistantId: '',
      customHeaders: [],
      apiKey: { action: 'keep' },
    });
    const mcp = await call<McpServerView>('mcp:save', stdioDraft({ name: 'Bench tools' }));
    for (let i = 0; ; i++) {
      const list = await call<{ servers: McpServerView[] }>('mcp:list', undefined);
      const state = list.servers.find((s) => s.id === mcp.id)?.status;
      if (state?.state === 'ready') break;
      if (state?.state === 'error' || i > 500) throw new Error(`the MCP server did not start: ${state?.message ?? 'timeout'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await call('mcp:setAllowed', { key: `${mcp.id}/echo`, allowed: true });
    server.setBehavior({ reply: 'Done.' });

    const overheadMs: number[] = [];
    const toolMs: number[] = [];
    for (let turn = 0; turn < warmup + turns; turn++) {
      const conversation = await call<Conversation>('conversations:create', undefined);
      await call('conversations:setTools', { id: conversation.id, serverIds: [mcp.id] });
      server.nextResponses(
        faults.chat([{ type: 'tool_calls', calls: [{ id: `b${turn}`, name: 'echo', arguments: '{"text":"benchmark"}' }], chunkSize: 5 }, { type: 'finish', reason: 'tool_calls' }]),
      );
      requestStarts.length = 0;
      doneTimes.length = 0;
      toolTimes.length = 0;
      await call('chat:send', { conversationId: conversation.id, text: 'Run the tool' });
      for (;;) {
        const page = await call<{ messages: { status: string }[] }>('conversations:get', { id: conversation.id, limit: 1 });
        if (page.messages.at(-1)?.status !== 'streaming') break;
        await new Promise((r) => setImmediate(r));
      }
      if (requestStarts.length !== 2 || toolTimes.length !== 1) throw new Error(`turn ${turn}: ${requestStarts.length} requests, ${toolTimes.length} tool calls`);
      if (turn < warmup) continue;
      const tool = toolTimes[0]!;
      overheadMs.push(requestStarts[1]! - doneTimes[0]! - tool);
      toolMs.push(tool);
    }
    return { overheadMs, toolMs };
  } finally {
    await services.dispose();
    await server.close();
  }
}
