/**
 * Search, export and import at history scale, timed inside one main process (the real conversation
 * store, search index and archive service on the history fixture: 1,000 conversations × 50 messages plus
 * one of 10,000):
 *   - index build: the saved index removed, `init()` rebuilds it from the conversation files (the time to
 *     the last conversation indexed, and the longest stretch main was busy without yielding);
 *   - query: `search:query`'s work for words drawn from the fixture's text (one, two and three words, a
 *     phrase, prefixes as typed), each timed alone;
 *   - export: the 10,000-message conversation as Markdown, JSON and HTML, from `conversations:get` to bytes;
 *   - import: 1,000 ChatGPT conversations (the test generator: branches, tool and null nodes) into an
 *     empty data dir, parse to last file written, the search index following.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ArchiveService } from '../electron/main/archive/archive-service';
import { exportConversation } from '../electron/main/archive/export-formats';
import { ConversationStore } from '../electron/main/conversations/conversation-store';
import { createRecordingEventSink } from '../electron/main/ipc/events';
import { createConsoleLogger } from '../electron/main/logger';
import { SEARCH_DIR, SearchIndex } from '../electron/main/search/search-index';
import { chatGptExport } from '../tests/support/chatgpt-export';
import type { Conversation, Message } from '../shared/models/conversation';
import { tempDir } from './app-session';
import { seeded } from './markdown-reply';
import type { HistoryFixture } from './history-scale';

export interface SearchArchiveRun {
  buildMs: number;
  /** Longest gap between ticks of a 1 ms timer in main while the index was built: how long a call could wait. */
  longestBusyMs: number;
  queryMs: number[];
  /** The slowest query of the list, median over the rounds, and its matches. */
  slowest: { query: string; medianMs: number; total: number }[];
  /** A fresh index reading the saved file and catching up (nothing changed): time, and main's longest stall meanwhile. */
  loadMs: number;
  loadLongestBusyMs: number;
  exportMs: Record<'markdown' | 'json' | 'html', number>;
  importMs: number;
  imported: number;
  indexFileMB: number;
}

/**
 * Drawn from the generated text (bench/markdown-reply.ts and ZH_WORDS below), so that the median does not
 * flatter: words in most assistant messages ('server', 'the'; ~30k matches), two and three of them, phrases
 * that occur ('"the server"') and do not, prefixes as typed, rare words (only in code lines, or in one
 * message), one and two CJK characters, a CJK run checked verbatim, and nothing found.
 */
const QUERIES = [
  'server', 'the', 'value', 'retry timeout', 'model token value', 'the server', '"the server"', '"stream client"',
  'co', 'con', 'conf', 'configur', 'reduce', 'retryafter', 'chatmessage', 'last message of the long', 'conversation 17',
  '台', '伺服', '記憶體', '索引 檔案', '"重試逾時"', 'zzzz', 'ser',
];

/** zh-TW words for a few conversations of text without spaces, so CJK queries have something to find. */
const ZH_WORDS = '伺服器 請求 回應 模型 連線 逾時 錯誤 重試 訊息 對話 歷史 設定 參數 函式 緩衝 事件 處理 佇列 記憶體 索引 檔案 台北 今天 我們 應該 因為 所以 但是 只是 快速'.split(' ');
export const ZH_CONVERSATIONS = 100;

function zhConversation(i: number, rand: () => number, now: number): Conversation {
  const messages: Message[] = [];
  for (let m = 0; m < 50; m++) {
    let text = '';
    const sentences = 1 + Math.floor(rand() * 4);
    for (let s = 0; s < sentences; s++) {
      const n = 4 + Math.floor(rand() * 10);
      for (let w = 0; w < n; w++) text += ZH_WORDS[Math.floor(rand() * ZH_WORDS.length)]! + (w === n - 1 ? '。' : rand() < 0.2 ? '，' : '');
    }
    messages.push({ id: `zh-${i}-m${m}`, role: m % 2 ? 'assistant' : 'user', content: text, status: 'complete', createdAt: new Date(now - i * 3_600_000 - (50 - m) * 30_000).toISOString() });
  }
  return { id: `bench-zh-${String(i).padStart(3, '0')}`, title: `對話 ${i}`, providerId: null, model: 'm', createdAt: messages[0]!.createdAt, updatedAt: messages[49]!.createdAt, messages };
}

/** The longest gap between ticks of a 1 ms timer while `work` runs: how long main went without yielding. */
async function withStallMonitor<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; longestMs: number }> {
  let longestMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestMs = Math.max(longestMs, now - last - 1);
    last = now;
  }, 1);
  const start = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - start;
    // The stretch since the last tick counts too.
    longestMs = Math.max(longestMs, performance.now() - last - 1);
    return { result, ms, longestMs };
  } finally {
    clearInterval(ticker);
  }
}

function wire(dataDir: string) {
  const log = createConsoleLogger('error');
  const store = new ConversationStore({ dataDir, log });
  const search = new SearchIndex({ dataDir, store, log, saveDelayMs: 60_000 });
  store.onChanged((change) => {
    if (change.conversation) search.conversationWritten(change.conversation);
    else search.conversationDeleted(change.deletedId);
  });
  return { store, search, log };
}

export async function searchArchiveRun(fixture: HistoryFixture, queryRounds: number): Promise<SearchArchiveRun> {
  fs.rmSync(path.join(fixture.dataDir, SEARCH_DIR), { recursive: true, force: true });
  const seedStore = new ConversationStore({ dataDir: fixture.dataDir, log: createConsoleLogger('error') });
  await seedStore.init();
  const rand = seeded(7);
  const now = Date.now();
  for (let i = 0; i < ZH_CONVERSATIONS; i++) await seedStore.create(zhConversation(i, rand, now));
  await seedStore.flush();
  const { store, search, log } = wire(fixture.dataDir);
  await store.init();
  const build = await withStallMonitor(() => search.init());
  const buildMs = build.ms;
  const longestBusyMs = build.longestMs;
  await search.flush();
  const indexFileMB = fs.statSync(path.join(fixture.dataDir, SEARCH_DIR, 'index.json')).size / 1024 / 1024;

  const queryMs: number[] = [];
  const byQuery = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (let r = 0; r < queryRounds; r++) {
    for (const q of QUERIES) {
      const t = performance.now();
      const results = await search.search(q, { sort: r % 2 === 0 ? 'relevance' : 'newest' });
      const ms = performance.now() - t;
      queryMs.push(ms);
      byQuery.set(q, [...(byQuery.get(q) ?? []), ms]);
      totals.set(q, results.total);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const slowest = [...byQuery]
    .map(([query, ms]) => ({ query, medianMs: Math.round(median(ms) * 10) / 10, total: totals.get(query) ?? 0 }))
    .sort((a, b) => b.medianMs - a.medianMs);

  // Start-up: a fresh index (as after a restart) reads the saved file; nothing changed meanwhile.
  const reopened = wire(fixture.dataDir);
  await reopened.store.init();
  const load = await withStallMonitor(() => reopened.search.init());

  const exportMs = { markdown: 0, json: 0, html: 0 };
  for (const format of ['markdown', 'json', 'html'] as const) {
    const t = performance.now();
    const conversation = await store.get(fixture.longId);
    Buffer.byteLength(exportConversation(conversation, format, 'en', new Date()));
    exportMs[format] = performance.now() - t;
  }

  const importDir = tempDir('switchboard-bench-import-');
  try {
    const target = wire(importDir);
    const service = new ArchiveService({
      store: target.store,
      events: createRecordingEventSink(),
      shell: { openSettings() {}, openChat() {}, openInBrowser: async () => {}, windowReady() {} },
      log,
    });
    const bytes = new TextEncoder().encode(JSON.stringify(chatGptExport(1000, 5)));
    const t = performance.now();
    const summary = await service.import(1, 'conversations.json', bytes);
    const importMs = performance.now() - t;
    await target.store.flush();
    return {
      buildMs,
      longestBusyMs,
      queryMs,
      slowest,
      loadMs: load.ms,
      loadLongestBusyMs: load.longestMs,
      exportMs,
      importMs,
      imported: summary.imported,
      indexFileMB,
    };
  } finally {
    fs.rmSync(importDir, { recursive: true, force: true });
    for (let i = 0; i < ZH_CONVERSATIONS; i++) await seedStore.delete(`bench-zh-${String(i).padStart(3, '0')}`).catch(() => undefined);
    await seedStore.flush();
    fs.rmSync(path.join(fixture.dataDir, SEARCH_DIR), { recursive: true, force: true });
  }
}
