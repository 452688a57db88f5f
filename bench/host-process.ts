/**
 * The app's main process for the benchmark: the browser host (same services, same dispatcher as the
 * Electron app) in a Node process of its own, so its memory can be measured after a real GC
 * (`--expose-gc`) and its event loop is not shared with the benchmark driver. Keys live in the
 * session-only secret store: the benchmark must run without a D-Bus session or keychain.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { startBrowserHost, type BrowserHost } from '../electron/browser-host/host';
import { createConsoleLogger } from '../electron/main/logger';
import { SessionSecretStore } from '../electron/main/secrets/key-vault';
import { contract, type ChannelName } from '../shared/ipc/contract';
import type { Handler } from '../electron/main/ipc/dispatcher';
import { serveRpc } from './child-rpc';

let host: BrowserHost | null = null;

function running(): BrowserHost {
  if (!host) throw new Error('the host is not started');
  return host;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples per memory reading; the reading is their median. */
const MEMORY_SAMPLES = 5;
/** Between samples: lets finalizers, freed external buffers and the allocator's returns land. */
const SAMPLE_GAP_MS = 100;

type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'last-resort' };

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  newSpace: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const hostMethods = {
  async start(params: { dataDir: string; rendererDir: string }) {
    host = await startBrowserHost({
      port: 0,
      dataDir: params.dataDir,
      rendererDir: params.rendererDir,
      fetch: globalThis.fetch,
      secretStore: new SessionSecretStore(),
      // Errors only: a logger that keeps lines would itself grow with every turn.
      log: createConsoleLogger('error'),
      systemLocale: 'en-US',
    });
    return { url: host.url, origin: host.origin, chatUrl: host.chatUrl, settingsUrl: host.settingsUrl };
  },

  /** Calls a main-side handler the way the dispatcher would (input parsed by the contract's schema). */
  async call(params: { channel: ChannelName; input: unknown }) {
    const handler = running().services.handlers[params.channel] as Handler<ChannelName> | undefined;
    if (!handler) throw new Error(`no handler for ${params.channel}`);
    const input = contract[params.channel].input.parse(params.input) as Parameters<Handler<ChannelName>>[0];
    return handler(input, { windowId: -1, windowKind: 'chat' });
  },

  /**
   * Retained memory: the median of several samples, each after a last-resort garbage collection (needs
   * --expose-gc). A plain gc() leaves V8's young generation at whatever size the allocation rate grew it to
   * (26 MB, then 52 MB after a burst of streaming), which RSS then carries although nothing in it is
   * alive; the last-resort flavour also shrinks it, as V8's memory reducer does in an idle app. So RSS
   * growth here is memory the process keeps, not how busy it was just before.
   */
  async memory() {
    const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc;
    if (!gc) throw new Error('start the host with --expose-gc');
    const samples: MemorySample[] = [];
    for (let i = 0; i < MEMORY_SAMPLES; i++) {
      gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      await sleep(SAMPLE_GAP_MS);
      gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      const m = process.memoryUsage();
      const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
      samples.push({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, newSpace });
    }
    const of = (key: keyof MemorySample) => median(samples.map((s) => s[key]));
    return {
      rss: of('rss'),
      heapUsed: of('heapUsed'),
      heapTotal: of('heapTotal'),
      external: of('external'),
      arrayBuffers: of('arrayBuffers'),
      newSpace: of('newSpace'),
      rssSamples: samples.map((s) => s.rss),
    };
  },

  /**
   * Resets the kernel's peak-RSS mark of this process (VmHWM) to its current RSS (Linux: writing 5 to
   * /proc/self/clear_refs), so `peakRss` afterwards is the highest RSS since this call, whatever the event
   * loop was doing; sampling from a timer would miss a peak reached inside one synchronous parse.
   */
  async resetPeakRss() {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  },

  /** The peak RSS (VmHWM) since the last `resetPeakRss`, in bytes. */
  async peakRss() {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (!match) throw new Error('VmHWM is missing from /proc/self/status');
    return Number(match[1]) * 1024;
  },

  async close() {
    await host?.close();
    host = null;
  },
};

export type HostMethods = typeof hostMethods;

serveRpc(hostMethods);
