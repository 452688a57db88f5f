/**
 * The app's main process for the benchmark: the browser host (same services, same dispatcher as the
 * Electron app) in a Node process of its own, so its memory can be measured after a real GC
 * (`--expose-gc`) and its event loop is not shared with the benchmark driver. Keys live in the
 * session-only secret store: the benchmark must run without a D-Bus session or keychain.
 */
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

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
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

  /** Memory after full garbage collections (needs --expose-gc). */
  async memory() {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('start the host with --expose-gc');
    for (let i = 0; i < 4; i++) {
      gc();
      await settle();
    }
    const m = process.memoryUsage();
    const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, newSpace };
  },

  async close() {
    await host?.close();
    host = null;
  },
};

export type HostMethods = typeof hostMethods;

serveRpc(hostMethods);
