/**
 * Profiles the search index build and the saved index's read over the history fixture (or FIXTURE_DIR):
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-search-build.ts
 * Prints each phase's time and main's stalls over 30 ms; STALL_WINDOWS=file writes their spans.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seedHistory } from './history-scale';
import { ConversationStore } from '../electron/main/conversations/conversation-store';
import { SearchIndex, SEARCH_DIR } from '../electron/main/search/search-index';
import { createConsoleLogger } from '../electron/main/logger';

const windows: [number, number][] = [];
// The stalls' spans on the CPU profile's clock (µs, monotonic), to attribute samples to them.
if (process.env.STALL_WINDOWS) process.on('exit', () => fs.writeFileSync(process.env.STALL_WINDOWS!, JSON.stringify(windows)));
async function stalls<T>(work: () => Promise<T>) {
  let longest = 0;
  let last = performance.now();
  const gaps: number[] = [];
  const t = setInterval(() => {
    const now = performance.now();
    const gap = now - last - 1;
    if (gap > 30) {
      gaps.push(Math.round(gap));
      const end = Number(process.hrtime.bigint() / 1000n);
      windows.push([end - Math.round(gap * 1000), end]);
    }
    longest = Math.max(longest, gap);
    last = now;
  }, 1);
  const start = performance.now();
  await work();
  clearInterval(t);
  return { ms: Math.round(performance.now() - start), longest: Math.round(longest), gaps };
}

const dir = process.env.FIXTURE_DIR;
const fixture = dir ? { dataDir: dir } : await seedHistory();
console.log('fixture', fixture.dataDir, dir ? '(kept)' : '(removed at the end)');
fs.rmSync(path.join(fixture.dataDir, SEARCH_DIR), { recursive: true, force: true });
const log = createConsoleLogger('error');
const store = new ConversationStore({ dataDir: fixture.dataDir, log });
await store.init();
const search = new SearchIndex({ dataDir: fixture.dataDir, store, log, saveDelayMs: 60_000 });
console.log('build', await stalls(() => search.init()));
const store2 = new ConversationStore({ dataDir: fixture.dataDir, log });
await store2.init();
const again = new SearchIndex({ dataDir: fixture.dataDir, store: store2, log, saveDelayMs: 60_000 });
console.log('load', await stalls(() => again.init()));
// A fixture seeded here is removed (one given in FIXTURE_DIR is kept, with its search index).
if (!dir) fs.rmSync(fixture.dataDir, { recursive: true, force: true });
