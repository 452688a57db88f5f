/**
 * What the benchmark observes inside the Chat and Settings windows, without changing the app: a probe
 * installed before any page script counts `chat:event` messages on the host's WebSocket, timestamps the
 * calls the window makes, and records long tasks (PerformanceObserver 'longtask', > 50 ms). The DOM
 * watchers below detect "text is in the DOM" with a MutationObserver, which runs right after the DOM
 * change, before the frame is painted.
 */
import type { Page } from 'playwright-core';
import { nowMs } from './child-rpc';
import { estimateClockOffset, type ClockSample } from './stats';

export interface LongTask {
  /** Wall clock (timeOrigin + startTime). */
  start: number;
  duration: number;
}

export interface PageProbe {
  chatEvents: number;
  /** When each `chat:event` arrived (wall clock) and how long its message was. */
  chatEventLog: { at: number; bytes: number }[];
  longTasks: LongTask[];
  /** Calls the window sent to main: channel, wall-clock time sent, and when the answer arrived. */
  calls: { id: number; channel: string; at: number; answeredAt?: number }[];
  watch?: Promise<WatchResult>;
}

export interface WatchResult {
  /** When the text was first in the DOM (wall clock, page's view). */
  domAt: number;
  /** Just after the next frame (requestAnimationFrame, then a task): about when it was painted. */
  paintedAt: number;
}

/** Plain JavaScript, installed with addInitScript so it runs before the bridge and the app. */
export const PROBE_SCRIPT = `(() => {
  // tsx/esbuild keep function names with a helper that functions handed to page.evaluate refer to.
  globalThis.__name = globalThis.__name || ((f) => f);
  const probe = { chatEvents: 0, chatEventLog: [], longTasks: [], calls: [] };
  Object.defineProperty(window, '__bench', { value: probe });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (typeof data === 'string' && data.startsWith('{"type":"call"')) {
      const head = data.slice(0, 200);
      const id = /"id":(\\d+)/.exec(head);
      const channel = /"channel":"([^"]+)"/.exec(head);
      if (id && channel) probe.calls.push({ id: Number(id[1]), channel: channel[1], at: performance.timeOrigin + performance.now() });
    }
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        if (e.data.startsWith('{"type":"event","event":"chat:event"')) {
          probe.chatEvents++;
          if (probe.chatEventLog.length < 100000) probe.chatEventLog.push({ at: performance.timeOrigin + performance.now(), bytes: e.data.length });
        }
        else if (e.data.startsWith('{"type":"result","id":')) {
          const id = Number(/^{"type":"result","id":(\\d+)/.exec(e.data)?.[1]);
          const call = probe.calls.find((c) => c.id === id && c.answeredAt === undefined);
          if (call) call.answeredAt = performance.timeOrigin + performance.now();
        }
      });
    }
  };
})();`;

type WithProbe = Window & { __bench: PageProbe };

/** The page's clock minus ours (page = local + offset). */
export async function pageClockOffset(page: Page, samples = 12): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  const exchanges: ClockSample[] = [];
  for (let i = 0; i < samples; i++) {
    const sentAt = nowMs();
    const remoteAt = await page.evaluate(() => performance.timeOrigin + performance.now());
    exchanges.push({ sentAt, remoteAt, receivedAt: nowMs() });
  }
  return estimateClockOffset(exchanges);
}

/**
 * Arms a watcher: resolves when the last assistant message contains `text` (and, with `done`, is no
 * longer streaming). Collect it with `collectWatch`.
 */
export async function armReplyWatch(page: Page, text: string, done = false): Promise<void> {
  await page.evaluate(
    ({ text, done }) => {
      const probe = (window as unknown as WithProbe).__bench;
      probe.watch = new Promise<WatchResult>((resolve) => {
        const matches = (): boolean => {
          const all = document.querySelectorAll('.message-assistant');
          const last = all[all.length - 1];
          if (!last) return false;
          if (done && last.getAttribute('aria-busy') !== 'false') return false;
          return (last.textContent ?? '').includes(text);
        };
        const found = () => {
          const domAt = performance.timeOrigin + performance.now();
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve({ domAt, paintedAt: performance.timeOrigin + performance.now() });
            channel.port2.postMessage(0);
          });
        };
        if (matches()) {
          found();
          return;
        }
        const observer = new MutationObserver(() => {
          if (!matches()) return;
          observer.disconnect();
          found();
        });
        observer.observe(document.body, done ? { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] } : { subtree: true, childList: true, characterData: true });
      });
    },
    { text, done },
  );
}

/**
 * Waits until the last reply has no stand-in left: finished blocks still shown as their plain text, or code
 * not highlighted yet (the window formats what is out of view after a fast stream, in background slices).
 * Returns the wall-clock time (page's view) of the first frame without one.
 */
export async function waitForFormatted(page: Page, timeoutMs = 60_000): Promise<number> {
  return page.evaluate(async (timeout) => {
    const started = performance.now();
    for (;;) {
      const all = document.querySelectorAll('.message-assistant');
      const last = all[all.length - 1];
      if (!last || last.querySelector('.md-pending, .code-pending') === null) return performance.timeOrigin + performance.now();
      if (performance.now() - started > timeout) throw new Error('the reply was never fully formatted');
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }, timeoutMs);
}

export async function collectWatch(page: Page): Promise<WatchResult> {
  return page.evaluate(async () => {
    const probe = (window as unknown as WithProbe).__bench;
    if (!probe.watch) throw new Error('no watcher armed');
    const result = await probe.watch;
    delete probe.watch;
    return result;
  });
}

export async function readProbe(page: Page): Promise<Omit<PageProbe, 'watch'>> {
  return page.evaluate(() => {
    const { chatEvents, chatEventLog, longTasks, calls } = (window as unknown as WithProbe).__bench;
    return { chatEvents, chatEventLog: [...chatEventLog], longTasks: [...longTasks], calls: [...calls] };
  });
}

/** Waits (polling) until the last assistant message contains `text`. */
export async function waitForReplyText(page: Page, text: string, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction(
    (t) => {
      const all = document.querySelectorAll('.message-assistant');
      return (all[all.length - 1]?.textContent ?? '').includes(t);
    },
    text,
    { polling: 50, timeout: timeoutMs },
  );
}
