/**
 * Search as the Chat window shows it, in Chromium against the browser host over the history fixture:
 *   - long tasks in the window while main builds the index from nothing (from the window showing its list
 *     until search:query stops answering `indexing`): the build must not reach the window;
 *   - query typed -> results painted: the dialog open (Ctrl+K) and empty, the query entered as one input
 *     event (as a paste or the last keystroke, set through the input's native setter so React sees it),
 *     timed on the page clock to the first frame after the hits are in the DOM (MutationObserver, then
 *     requestAnimationFrame and a task).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SEARCH_DIR } from '../electron/main/search/search-index';
import { startAppSession } from './app-session';
import type { HistoryFixture } from './history-scale';
import type { LongTask, PageProbe } from './page-probes';

/** Queries with hits (the empty list -> hits is what is timed), from common words to prefixes and CJK-free rare words. */
export const WINDOW_QUERIES = ['server', 'retry timeout', '"the server"', 'configur', 'reduce', 'model token value', 'conversation 17', 'the', 'con', 'last message of the long'];

export interface SearchWindowRun {
  /** Long tasks in the window from its list painted until the index was built. */
  buildLongTasks: LongTask[];
  buildMs: number;
  /** Input event -> hits painted, per query and round. */
  queryToPaintMs: number[];
}

type Probe = Window & { __bench: PageProbe };

async function typeAndWait(page: Page, query: string): Promise<number> {
  return page.evaluate(
    (q) =>
      new Promise<number>((resolve, reject) => {
        const input = document.querySelector<HTMLInputElement>('.search-input');
        const list = document.querySelector('.search-results');
        if (!input || !list) {
          reject(new Error('no search dialog'));
          return;
        }
        let typedAt = 0;
        const observer = new MutationObserver(() => {
          if (list.querySelectorAll('.search-hit').length === 0) return;
          observer.disconnect();
          requestAnimationFrame(() => {
            const c = new MessageChannel();
            c.port1.onmessage = () => resolve(performance.now() - typedAt);
            c.port2.postMessage(0);
          });
        });
        observer.observe(list, { subtree: true, childList: true, characterData: true });
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        typedAt = performance.now();
        setValue.call(input, q);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }),
    query,
  );
}

async function clear(page: Page): Promise<void> {
  await page.locator('.search-input').fill('');
  await page.waitForFunction(() => document.querySelectorAll('.search-results .search-hit').length === 0);
}

export async function searchWindowRun(browser: Browser, rendererDir: string, fixture: HistoryFixture, rounds: number): Promise<SearchWindowRun> {
  // From nothing: the host builds the index in the background after it starts.
  fs.rmSync(path.join(fixture.dataDir, SEARCH_DIR), { recursive: true, force: true });
  const session = await startAppSession({ browser, rendererDir, dataDir: fixture.dataDir });
  try {
    const page = await session.openChat();
    await page.locator('.conversation-item').first().waitFor();
    const from = await page.evaluate(() => performance.timeOrigin + performance.now());
    const started = performance.now();
    for (;;) {
      // The handler's own answer (SearchResults), as the dispatcher gets it.
      const answer = (await session.host.call('call', { channel: 'search:query', input: { query: 'server' } })) as { indexing: boolean };
      if (!answer.indexing) break;
      if (performance.now() - started > 120_000) throw new Error('the index was not built within 2 minutes');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const buildMs = performance.now() - started;
    // Long-task entries are delivered after the task: give the observer a moment.
    await page.waitForTimeout(300);
    const buildLongTasks = await page.evaluate((since) => (window as unknown as Probe).__bench.longTasks.filter((t) => t.start >= since), from);

    await page.keyboard.press('Control+k');
    await page.locator('.search-input').waitFor();
    const queryToPaintMs: number[] = [];
    // A warm-up query first (first render of the list, conversations read into the store's cache).
    await typeAndWait(page, 'server');
    for (let r = 0; r < rounds; r++) {
      for (const q of WINDOW_QUERIES) {
        await clear(page);
        queryToPaintMs.push(await typeAndWait(page, q));
      }
    }
    await page.close();
    return { buildLongTasks, buildMs, queryToPaintMs };
  } finally {
    await session.close();
  }
}
