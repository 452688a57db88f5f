/**
 * Failover gap: how long main takes from the failed answer of the first attempt (its response headers
 * reached the client) to the next attempt's request leaving (fetch called), for the next key of the pool
 * (429 on key A, key B asked) and for a fallback provider (500 on the primary server, the fallback asked).
 * Measured in-process on the real services (createServices) with a fetch that stamps both moments, against
 * two local test servers; nothing is waited on but the work main does in between (reading the error body,
 * mapping it, planning the next attempt, building the request).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConfStore } from '../electron/main/config/conf-store';
import { createDispatcher } from '../electron/main/ipc/dispatcher';
import { createRecordingEventSink } from '../electron/main/ipc/events';
import { createMemoryLogger } from '../electron/main/logger';
import { SessionSecretStore } from '../electron/main/secrets/key-vault';
import { createServices } from '../electron/main/services';
import type { ChatStreamEvent } from '../shared/models/chat-event';
import { faults, forKey, startOpenAIServer } from '../tests/fixtures/openai-server/index.js';

export interface FailoverGapRun {
  nextKeyMs: number[];
  nextProviderMs: number[];
}

interface Stamp {
  url: string;
  auth: string;
  calledAt: number;
  headersAt: number | null;
}

export async function failoverGapRun(turns: number): Promise<FailoverGapRun> {
  const keyA = 'sk-bench-pool-a-0000000000000001';
  const keyB = 'sk-bench-pool-b-0000000000000002';
  const primary = await startOpenAIServer({ apiKeys: [keyA, keyB] });
  const backup = await startOpenAIServer({ behavior: { reply: 'Backup.' } });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-failover-'));
  const stamps: Stamp[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const stamp: Stamp = { url: request.url, auth: request.headers.get('authorization') ?? '', calledAt: performance.now(), headersAt: null };
    stamps.push(stamp);
    const response = await globalThis.fetch(input, init);
    stamp.headersAt = performance.now();
    return response;
  };
  const events = createRecordingEventSink();
  const log = createMemoryLogger();
  const services = createServices({
    dataDir,
    fetch,
    secretStore: new SessionSecretStore(),
    createStore: createConfStore,
    events,
    shell: { openSettings() {}, openChat() {}, async openInBrowser() {}, windowReady() {} },
    info: { name: 'Switchboard', version: 'bench', platform: process.platform, systemLocale: 'en-US', runtime: 'browser' },
    log,
    chat: { persistIntervalMs: 50 },
  });
  const dispatcher = createDispatcher(services.handlers, log);
  const call = async (channel: Parameters<typeof dispatcher.dispatch>[0], input: unknown): Promise<unknown> => {
    const result = await dispatcher.dispatch(channel, input, { windowId: 1, windowKind: 'chat' });
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value;
  };
  const base = { type: 'openai-compatible', model: 'gpt-4o-mini', assistantId: '', customHeaders: [], apiKey: { action: 'keep' } };
  try {
    const fallback = (await call('providers:save', { ...base, name: 'Backup', baseUrl: backup.url })) as { id: string };
    const pool = (await call('providers:save', {
      ...base,
      name: 'Pool',
      baseUrl: primary.url,
      keys: [
        { label: 'a', value: keyA },
        { label: 'b', value: keyB },
      ],
      fallbacks: [{ providerId: fallback.id, model: '' }],
    })) as { id: string };

    const turn = async (prepare: () => void): Promise<number> => {
      prepare();
      stamps.length = 0;
      const conversation = (await call('conversations:create', { providerId: pool.id })) as { id: string };
      const sent = (await call('chat:send', { conversationId: conversation.id, text: 'hello' })) as { streamId: string };
      for (;;) {
        const done = events.sent.some((s) => s.event === 'chat:event' && (s.payload as ChatStreamEvent).streamId === sent.streamId && (s.payload as ChatStreamEvent).final);
        if (done) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const chat = stamps.filter((s) => s.url.endsWith('/chat/completions'));
      const [failed, next] = chat;
      if (!failed?.headersAt || !next) throw new Error(`expected two chat requests, saw ${chat.length}`);
      events.sent.length = 0;
      return next.calledAt - failed.headersAt;
    };

    const nextKeyMs: number[] = [];
    const nextProviderMs: number[] = [];
    for (let i = 0; i < turns; i++) {
      // Key A answers 429 with a wait of 0 s (so it is asked first again next time); key B answers.
      nextKeyMs.push(await turn(() => primary.nextResponses(faults.rateLimited({ ms: 0 }, forKey(keyA)))));
      primary.reset();
      // The primary server answers 500 whatever the key; the fallback answers.
      nextProviderMs.push(await turn(() => primary.nextResponses(faults.serverError())));
      primary.reset();
      backup.reset();
    }
    return { nextKeyMs, nextProviderMs };
  } finally {
    await services.dispose();
    await primary.close();
    await backup.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
