/**
 * Stream throughput and smoothness: a 20,000-token Markdown reply (sections with code blocks) written
 * as fast as the client reads it. For the Chat window: from the server writing the first content chunk
 * to the whole reply being in the DOM (the message no longer streaming); for the openai SDK in plain
 * Node: from the server writing the first content chunk to the end of the stream. Ratio = app / SDK,
 * measured back to back in the same run. Long tasks (> 50 ms) in the Chat window during the reply are
 * the smoothness figure, per 10,000 tokens. Beside them: when the last block out of view was formatted
 * (the window shows finished blocks it has no time for as plain text first), and the long tasks until then.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { faults, validateSpec } from '../tests/fixtures/openai-server/index.js';
import type { StreamStep } from '../tests/fixtures/openai-server/index.js';
import { BENCH_MODEL, newChat, sendMessage } from './app-session';
import type { Child } from './child-rpc';
import { markdownReply, sseChunks } from './markdown-reply';
import { armReplyWatch, collectWatch, pageClockOffset, readProbe, waitForFormatted } from './page-probes';
import type { SdkMethods } from './sdk-process';
import type { TimedServer } from './timed-server';

export const THROUGHPUT_TOKENS = 20_000;

export interface ThroughputRun {
  appMs: number;
  sdkMs: number;
  ratio: number;
  longTasks: number;
  longTasksPer10k: number;
  longestTaskMs: number;
  chatEvents: number;
  /** When the server wrote its last content chunk, relative to its first (ms). */
  serverWriteMs: number;
  /** When the window received its first and last `chat:event`, relative to the server's first content write. */
  firstEventMs: number;
  lastEventMs: number;
  /** The largest `chat:event` message (bytes). */
  largestEventBytes: number;
  /**
   * Server's first content write -> no block of the reply left as a plain-text stand-in (formatting out of
   * view finishes after the text is complete), and the long tasks between the two.
   */
  formattedMs: number;
  longTasksWhileFormatting: number;
}

/** Script steps: the role chunk, then one raw `data:` line per token (as fast as the socket takes them). */
export function rawReplySteps(text: string): StreamStep[] {
  const { role, chunks, first } = sseChunks(text, { model: BENCH_MODEL, includeUsageNull: true });
  // The chunks skip the server's per-chunk validation; check their shape once here instead.
  const check = validateSpec('CreateChatCompletionStreamResponse', first);
  if (!check.valid) throw new Error(`benchmark chunks do not match the spec: ${check.errors.join('; ')}`);
  return [{ type: 'raw', text: role }, ...chunks.map((c): StreamStep => ({ type: 'raw', text: c }))];
}

export async function throughputRun(page: Page, server: TimedServer, sdk: Child<SdkMethods>, run: number): Promise<ThroughputRun> {
  const tag = randomBytes(3).toString('hex');
  const end = `Endx${run}q${tag}`;
  const steps = rawReplySteps(markdownReply(THROUGHPUT_TOKENS, end, 100 + run));
  const fault = faults.chat(steps, { roleChunk: false });

  await newChat(page);
  const pageClock = await pageClockOffset(page);
  const sdkClock = await sdk.clockOffset();
  const before = await readProbe(page);
  const text = `Throughput run ${run} (${tag}): write a long guide.`;
  server.server.nextResponses(fault);
  await armReplyWatch(page, end, true);
  await sendMessage(page, text);
  const done = await collectWatch(page);
  const formattedAt = await waitForFormatted(page);
  const timing = await server.waitForResponse(text);
  if (timing.firstContentAt === null) throw new Error('the server wrote no content');
  const after = await readProbe(page);
  const startPage = timing.firstContentAt + pageClock.offsetMs;
  const newTasks = after.longTasks.slice(before.longTasks.length);
  const tasks = newTasks.filter((t) => t.start + t.duration >= startPage && t.start <= done.domAt);
  const formattingTasks = newTasks.filter((t) => t.start > done.domAt && t.start <= formattedAt);
  const appMs = done.domAt - pageClock.offsetMs - timing.firstContentAt;
  const events = after.chatEventLog.slice(before.chatEventLog.length);

  const sdkText = `${text} [baseline]`;
  server.server.nextResponses(fault);
  const got = await sdk.call('stream', { baseURL: server.url, apiKey: server.apiKey, model: BENCH_MODEL, userText: sdkText });
  const sdkTiming = await server.waitForResponse(sdkText);
  if (sdkTiming.firstContentAt === null) throw new Error('the server wrote no content to the SDK');
  if (got.chunks !== THROUGHPUT_TOKENS) throw new Error(`the SDK read ${got.chunks} content chunks, expected ${THROUGHPUT_TOKENS}`);
  const sdkMs = got.endedAt - sdkClock.offsetMs - sdkTiming.firstContentAt;
  return {
    appMs,
    sdkMs,
    ratio: appMs / sdkMs,
    longTasks: tasks.length,
    longTasksPer10k: (tasks.length * 10_000) / THROUGHPUT_TOKENS,
    longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    chatEvents: after.chatEvents - before.chatEvents,
    serverWriteMs: (timing.lastContentAt ?? timing.firstContentAt) - timing.firstContentAt,
    firstEventMs: (events[0]?.at ?? Number.NaN) - startPage,
    lastEventMs: (events.at(-1)?.at ?? Number.NaN) - startPage,
    largestEventBytes: events.reduce((m, e) => Math.max(m, e.bytes), 0),
    formattedMs: formattedAt - pageClock.offsetMs - timing.firstContentAt,
    longTasksWhileFormatting: formattingTasks.length,
  };
}
