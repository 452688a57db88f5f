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
import { tempDir } from './app-session';
import type { HistoryFixture } from './history-scale';

export interface SearchArchiveRun {
  buildMs: number;
  longestBusyMs: number;
  queryMs: number[];
  exportMs: Record<'markdown' | 'json' | 'html', number>;
  importMs: number;
  imported: number;
  indexFileMB: number;
}

const QUERIES = ['lorem', 'code', 'function return', '"the quick"', 'sys', 'syst', 'system', 'value list', 'data', 'x', 'zzzz', 'time of'];

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
  const { store, search, log } = wire(fixture.dataDir);
  await store.init();
  // How long main goes without yielding while the index is built: what a window's call could wait.
  let longestBusyMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestBusyMs = Math.max(longestBusyMs, now - last - 1);
    last = now;
  }, 1);
  const buildStart = performance.now();
  await search.init();
  const buildMs = performance.now() - buildStart;
  clearInterval(ticker);
  await search.flush();
  const indexFileMB = fs.statSync(path.join(fixture.dataDir, SEARCH_DIR, 'index.json')).size / 1024 / 1024;

  const queryMs: number[] = [];
  for (let r = 0; r < queryRounds; r++) {
    for (const q of QUERIES) {
      const t = performance.now();
      search.search(q, { sort: r % 2 === 0 ? 'relevance' : 'newest' });
      queryMs.push(performance.now() - t);
    }
  }

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
    return { buildMs, longestBusyMs, queryMs, exportMs, importMs, imported: summary.imported, indexFileMB };
  } finally {
    fs.rmSync(importDir, { recursive: true, force: true });
  }
}
