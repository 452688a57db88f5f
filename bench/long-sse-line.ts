/**
 * Main's memory while a server sends one 20 MB SSE line with no line end (a broken or hostile server).
 * The host (the app's main process) runs in its own Node process with `--expose-gc`; after three normal
 * turns (so every module and cache a turn needs is loaded) its retained RSS is read after last-resort GCs (the
 * baseline), the kernel's peak-RSS mark is reset (VmHWM, /proc/self/clear_refs), and a turn is sent to a
 * server that answers with `data: ` and 20 MB of text, then keeps the connection open. Once the reply has
 * ended (main stops at the event cap, sse-decoder.ts), the peak RSS since the reset is read: the figure is
 * peak minus baseline. The local test server runs in the driver process, so its 20 MB are not counted.
 */
import type { Conversation, ConversationPage } from '../shared/models/conversation';
import { MAX_EVENT_BYTES } from '../electron/main/providers/wire/sse-decoder';
import { startOpenAIServer } from '../tests/fixtures/openai-server/index';
import { BENCH_MODEL, tempDir } from './app-session';
import { startChild } from './child-rpc';
import { hostProcessEnv } from '../electron/launcher/host-process-env';
import type { HostMethods } from './host-process';

export const LONG_LINE_BYTES = 20 * 1024 * 1024;
/** The budget: the peak may grow by at most twice the event cap. */
export const LONG_LINE_BUDGET_BYTES = 2 * MAX_EVENT_BYTES;

export interface LongLineRun {
  baselineRss: number;
  peakRss: number;
  growthBytes: number;
  /** The same figure for a normal short turn just before. */
  normalTurnGrowthBytes: number;
  /** How the reply ended: the error code and its context (MALFORMED_STREAM / too_large when capped). */
  ending: string;
  durationMs: number;
}

/** Normal turns before the measured one. */
const WARM_UP_TURNS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function longLineRun(rendererDir: string): Promise<LongLineRun> {
  const apiKey = `sk-bench-${Math.random().toString(36).slice(2)}`;
  const server = await startOpenAIServer({ apiKey });
  const host = await startChild<HostMethods>('bench/host-process.ts', { nodeArgs: ['--expose-gc'], env: hostProcessEnv() });
  try {
    await host.call('start', { dataDir: tempDir('switchboard-bench-line-'), rendererDir });
    await host.call('call', {
      channel: 'providers:save',
      input: {
        type: 'openai-compatible',
        name: 'Local benchmark server',
        baseUrl: server.url,
        model: BENCH_MODEL,
        assistantId: '',
        customHeaders: [],
        apiKey: { action: 'set', value: apiKey },
      },
    });
    const conversation = (await host.call('call', { channel: 'conversations:create', input: undefined })) as Conversation;
    const turn = async (text: string) => {
      await host.call('call', { channel: 'chat:send', input: { conversationId: conversation.id, text } });
      for (;;) {
        const page = (await host.call('call', { channel: 'conversations:get', input: { id: conversation.id, limit: 1 } })) as ConversationPage;
        const reply = page.messages.at(-1);
        if (reply && reply.role === 'assistant' && reply.status !== 'streaming') return reply;
        await sleep(20);
      }
    };
    // The first turns load modules and grow caches (the second one still grew the peak by ~20 MB when
    // measured); the figure is about the long line, not about them.
    for (let i = 1; i <= WARM_UP_TURNS; i++) await turn(`warm up ${i}`);
    // The same measurement around a normal turn, for comparison.
    const normalBaseline = await host.call('memory', undefined);
    await host.call('resetPeakRss', undefined);
    await turn('a normal turn');
    const normalTurnGrowthBytes = (await host.call('peakRss', undefined)) - normalBaseline.rss;

    const line = `data: ${'a'.repeat(LONG_LINE_BYTES)}`;
    server.nextResponses({ kind: 'chat', steps: [{ type: 'raw', text: line }, { type: 'idle' }] });
    const baseline = await host.call('memory', undefined);
    await host.call('resetPeakRss', undefined);
    const started = performance.now();
    const reply = await turn('flood');
    const durationMs = performance.now() - started;
    const peakRss = await host.call('peakRss', undefined);
    return {
      normalTurnGrowthBytes,
      baselineRss: baseline.rss,
      peakRss,
      growthBytes: peakRss - baseline.rss,
      ending: [reply.error?.code ?? reply.status, reply.error?.params?.context].filter(Boolean).join(' / '),
      durationMs,
    };
  } finally {
    await host.call('close', undefined).catch(() => undefined);
    await host.close();
    await server.close();
  }
}
