/**
 * History scale: 1,000 conversations of 50 messages and one of 10,000 messages, written to a data dir by
 * the real conversation store. Each run starts the app's main process afresh on that dir (its index and
 * caches cold; the OS file cache warm) and opens a new Chat window:
 *   - list: from the window sending `conversations:list` to the list of all 1,001 entries being shown (the
 *     sidebar is virtualised: its rows know the list's size, aria-setsize, and the rows in view are painted);
 *   - open: from the click on the 10,000-message conversation to its latest message being painted;
 *   - scroll: scrolling that conversation up quickly (400 px per frame for 3 s), long tasks counted; older
 *     pages of messages are loaded on the way up, as for a user.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createConsoleLogger } from '../electron/main/logger';
import { ConversationStore } from '../electron/main/conversations/conversation-store';
import type { Conversation, Message } from '../shared/models/conversation';
import { startAppSession, tempDir } from './app-session';
import { historyMessageText, seeded } from './markdown-reply';
import type { LongTask, PageProbe, WatchResult } from './page-probes';

export const HISTORY = { conversations: 1_000, messagesEach: 50, longMessages: 10_000 };
const LONG_TITLE = 'Long conversation (10,000 messages)';
const SCROLL = { pxPerFrame: 400, frames: 180 };

export interface HistoryFixture {
  dataDir: string;
  longId: string;
  lastLongText: string;
  seedMs: number;
  bytesOnDisk: number;
}

function conversationOf(id: string, title: string, count: number, rand: () => number, updated: Date): Conversation {
  const messages: Message[] = [];
  const start = updated.getTime() - count * 30_000;
  for (let i = 0; i < count; i++) {
    const role = i % 2 === 0 ? 'user' : 'assistant';
    messages.push({
      id: `${id}-m${i}`,
      role,
      content: historyMessageText(rand, role),
      status: 'complete',
      createdAt: new Date(start + i * 30_000).toISOString(),
      ...(role === 'assistant' ? { providerId: 'bench', model: 'gpt-4o-mini' } : {}),
    });
  }
  return {
    id,
    title,
    providerId: null,
    model: 'gpt-4o-mini',
    createdAt: new Date(start).toISOString(),
    updatedAt: updated.toISOString(),
    messages,
  };
}

/** Writes the history with the app's own conversation store (atomic files and its index). */
export async function seedHistory(): Promise<HistoryFixture> {
  const started = performance.now();
  const dataDir = tempDir('switchboard-bench-history-');
  const store = new ConversationStore({ dataDir, log: createConsoleLogger('error') });
  const rand = seeded(42);
  const now = Date.now();
  const ids = Array.from({ length: HISTORY.conversations }, (_, i) => `bench-conv-${String(i).padStart(4, '0')}`);
  let next = 0;
  // A few writers at a time, as fsync-bound writes overlap well.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const i = next++;
        const title = `Conversation ${i + 1}: ${historyMessageText(seeded(i), 'user').slice(0, 60)}`;
        // Newest first: conversation 0 is the most recent.
        await store.create(conversationOf(ids[i]!, title, HISTORY.messagesEach, seeded(1000 + i), new Date(now - i * 3_600_000)));
      }
    }),
  );
  // Third from the top of the list, so it is on screen without scrolling the sidebar.
  const long = conversationOf('bench-long-10000', LONG_TITLE, HISTORY.longMessages, rand, new Date(now - 2.5 * 3_600_000));
  const lastLongText = `Last message of the long conversation ${Math.floor(rand() * 1e9)}.`;
  long.messages[long.messages.length - 1]!.content = lastLongText;
  await store.create(long);
  await store.flush();
  let bytes = 0;
  for (const entry of await fs.readdir(store.dir, { withFileTypes: true })) {
    if (entry.isFile()) bytes += (await fs.stat(path.join(store.dir, entry.name))).size;
  }
  return { dataDir, longId: long.id, lastLongText, seedMs: performance.now() - started, bytesOnDisk: bytes };
}

/**
 * Marks when the sidebar first shows a list of `count` conversations with the rows in view rendered (the
 * last row rendered reaches the bottom of the sidebar, or every row is), and about when that was painted.
 */
function listWatchScript(count: number): string {
  return `(() => {
    const probe = window.__bench;
    probe.list = new Promise((resolve) => {
      const check = () => {
        const nav = document.querySelector('.conversation-nav');
        const rows = document.querySelectorAll('.conversation-item');
        if (!nav || rows.length === 0 || rows[0].getAttribute('aria-setsize') !== '${count}') return false;
        if (rows.length >= ${count}) return true;
        return rows[rows.length - 1].getBoundingClientRect().bottom >= nav.getBoundingClientRect().bottom;
      };
      const found = () => {
        const domAt = performance.timeOrigin + performance.now();
        requestAnimationFrame(() => {
          const c = new MessageChannel();
          c.port1.onmessage = () => resolve({ domAt, paintedAt: performance.timeOrigin + performance.now() });
          c.port2.postMessage(0);
        });
      };
      const start = () => {
        const observer = new MutationObserver(() => {
          if (!check()) return;
          observer.disconnect();
          found();
        });
        observer.observe(document, { subtree: true, childList: true });
      };
      start();
    });
  })();`;
}

type WithHistoryProbe = Window & { __bench: PageProbe & { list: Promise<WatchResult> } };

export interface HistoryRun {
  listMs: number;
  /** Call sent -> answer arrived in the window (main process + transport). */
  listAnsweredMs: number;
  /** Navigation start -> list painted (includes loading the window). */
  listFromNavigationMs: number;
  openMs: number;
  /** Click -> the conversation's messages arrived in the window. */
  openAnsweredMs: number;
  scrollLongTasks: number;
  scrollLongestTaskMs: number;
  scrollMaxFrameGapMs: number;
  scrolledMessages: number;
}

async function openLong(page: Page, fixture: HistoryFixture): Promise<WatchResult & { clickedAt: number }> {
  return page.evaluate(
    ({ title, marker }) =>
      new Promise<WatchResult & { clickedAt: number }>((resolve, reject) => {
        const button = [...document.querySelectorAll<HTMLButtonElement>('.conversation-open')].find(
          (b) => b.querySelector('.conversation-title')?.textContent === title,
        );
        if (!button) {
          reject(new Error('the long conversation is not in the list'));
          return;
        }
        let clickedAt = 0;
        const observer = new MutationObserver(() => {
          const scroll = document.querySelector('.message-scroll');
          if (!scroll || !(scroll.textContent ?? '').includes(marker)) return;
          observer.disconnect();
          const domAt = performance.timeOrigin + performance.now();
          requestAnimationFrame(() => {
            const c = new MessageChannel();
            c.port1.onmessage = () => resolve({ clickedAt, domAt, paintedAt: performance.timeOrigin + performance.now() });
            c.port2.postMessage(0);
          });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        clickedAt = performance.timeOrigin + performance.now();
        button.click();
      }),
    { title: LONG_TITLE, marker: fixture.lastLongText },
  );
}

async function scrollUp(page: Page): Promise<{ longTasks: LongTask[]; maxFrameGapMs: number; scrolledMessages: number }> {
  return page.evaluate(async ({ pxPerFrame, frames }) => {
    const probe = (window as unknown as WithHistoryProbe).__bench;
    const scroller = document.querySelector<HTMLElement>('.message-scroll');
    if (!scroller) throw new Error('no message list');
    // Positions in the whole conversation (aria-posinset): the loaded index shifts as older pages arrive.
    const indexAtTop = () => {
      const rows = [...scroller.querySelectorAll<HTMLElement>('.message-row')];
      const top = scroller.getBoundingClientRect().top;
      const visible = rows.filter((r) => r.getBoundingClientRect().bottom > top).map((r) => Number(r.getAttribute('aria-posinset')));
      return Math.min(...visible);
    };
    const firstIndex = indexAtTop();
    const before = probe.longTasks.length;
    const started = performance.timeOrigin + performance.now();
    let last = performance.now();
    let maxGap = 0;
    for (let i = 0; i < frames; i++) {
      scroller.scrollTop = Math.max(0, scroller.scrollTop - pxPerFrame);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }
    // Long-task entries are delivered after the task: give the observer a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const longTasks = probe.longTasks.slice(before).filter((t) => t.start >= started);
    return { longTasks, maxFrameGapMs: maxGap, scrolledMessages: firstIndex - indexAtTop() };
  }, SCROLL);
}

export async function historyRun(browser: Browser, rendererDir: string, fixture: HistoryFixture): Promise<HistoryRun> {
  const session = await startAppSession({ browser, rendererDir, dataDir: fixture.dataDir });
  try {
    await session.context.addInitScript({ content: listWatchScript(HISTORY.conversations + 1) });
    const page = await session.context.newPage();
    await page.goto(session.chatUrl);
    const list = await page.evaluate(() => (window as unknown as WithHistoryProbe).__bench.list);
    const calls = await page.evaluate(() => (window as unknown as WithHistoryProbe).__bench.calls);
    const listCall = calls.find((c) => c.channel === 'conversations:list');
    if (!listCall) throw new Error('the window never asked for the conversation list');
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    // The newest conversation opens by itself; let that settle before the measured click.
    await page.locator('.message-row').first().waitFor();
    const open = await openLong(page, fixture);
    const getCall = (await page.evaluate(() => (window as unknown as WithHistoryProbe).__bench.calls)).find(
      (c) => c.channel === 'conversations:get' && c.at >= open.clickedAt,
    );
    await page.waitForTimeout(500);
    const scroll = await scrollUp(page);
    await page.close();
    return {
      listMs: list.paintedAt - listCall.at,
      listAnsweredMs: (listCall.answeredAt ?? Number.NaN) - listCall.at,
      listFromNavigationMs: list.paintedAt - timeOrigin,
      openMs: open.paintedAt - open.clickedAt,
      openAnsweredMs: getCall?.answeredAt !== undefined ? getCall.answeredAt - open.clickedAt : Number.NaN,
      scrollLongTasks: scroll.longTasks.length,
      scrollLongestTaskMs: scroll.longTasks.reduce((m, t) => Math.max(m, t.duration), 0),
      scrollMaxFrameGapMs: scroll.maxFrameGapMs,
      scrolledMessages: scroll.scrolledMessages,
    };
  } finally {
    await session.close();
  }
}
