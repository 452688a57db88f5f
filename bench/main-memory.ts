/**
 * Main-process memory: the host (the app's main process) runs in its own Node process with
 * `--expose-gc`; after 10 streamed turns and after 200, once pending saves have settled, its retained
 * memory is read: the median of several samples, each after a last-resort GC that also shrinks the young
 * generation (see host-process.ts). Growth = RSS(200) - RSS(10), with the JS heap's growth beside it. The
 * same turns carry the first-token measurements (the first `measuredTurns` of them also run the SDK
 * baseline). The test server runs in the driver process, so what it records is never counted here.
 */
import type { Page } from 'playwright-core';
import type { AppSession } from './app-session';
import { newChat } from './app-session';
import type { Child } from './child-rpc';
import { streamedTurn, type Clocks, type TurnTiming } from './first-token';
import { pageClockOffset } from './page-probes';
import type { SdkMethods } from './sdk-process';
import type { TimedServer } from './timed-server';
import type { MemorySample } from './host-process';

export interface MemorySnapshot extends MemorySample {
  turns: number;
  /** The samples the RSS figure is the median of. */
  rssSamples: number[];
}

export interface TurnsResult {
  turns: TurnTiming[];
  memory: MemorySnapshot[];
  clockUncertaintyMs: number;
}

/** Conversations get this many turns before the next one starts (a user opens new chats). */
const TURNS_PER_CONVERSATION = 20;
/** Saves are batched (reply every 500 ms, index after 250 ms): let them land before measuring. */
const SETTLE_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runStreamedTurns(options: {
  session: AppSession;
  page: Page;
  server: TimedServer;
  sdk: Child<SdkMethods>;
  totalTurns: number;
  measuredTurns: number;
  memoryAt: readonly number[];
  onProgress?: (done: number) => void;
}): Promise<TurnsResult> {
  const { session, page, server, sdk } = options;
  const turns: TurnTiming[] = [];
  const memory: MemorySnapshot[] = [];
  let clocks: Clocks = { pageOffset: 0, sdkOffset: 0 };
  let uncertainty = 0;
  const calibrate = async () => {
    const pageClock = await pageClockOffset(page);
    const sdkClock = await sdk.clockOffset();
    clocks = { pageOffset: pageClock.offsetMs, sdkOffset: sdkClock.offsetMs };
    uncertainty = Math.max(uncertainty, pageClock.uncertaintyMs + sdkClock.uncertaintyMs);
  };
  for (let n = 1; n <= options.totalTurns; n++) {
    if (n > 1 && (n - 1) % TURNS_PER_CONVERSATION === 0) await newChat(page);
    if ((n - 1) % 10 === 0) await calibrate();
    turns.push(await streamedTurn(page, server, sdk, clocks, n, n <= options.measuredTurns));
    if (options.memoryAt.includes(n)) {
      await sleep(SETTLE_MS);
      const m = await session.host.call('memory', undefined);
      memory.push({ turns: n, ...m });
    }
    options.onProgress?.(n);
  }
  return { turns, memory, clockUncertaintyMs: uncertainty };
}
