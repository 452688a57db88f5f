/**
 * First-token overhead, one turn: the server writes the first content chunk at S (timed at the socket);
 * the Chat window has that text in its DOM at D; the openai SDK in plain Node, asked the same thing,
 * receives the same chunk at B after the server wrote it at S'. Overhead = (D - S) - (B - S').
 *
 * All timestamps are wall-clock milliseconds at high resolution (performance.timeOrigin + now()) from
 * four processes; instead of trusting that their time origins agree, each process's clock is placed on
 * ours by round-trip probes (the offset of the quickest exchanges, error at most half a round trip:
 * well under a millisecond for the Node child, about a millisecond for the page). The uncertainty is
 * reported with the figure.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Child } from './child-rpc';
import { BENCH_MODEL, sendMessage } from './app-session';
import { markdownReply } from './markdown-reply';
import { armReplyWatch, collectWatch } from './page-probes';
import type { SdkMethods } from './sdk-process';
import type { TimedServer } from './timed-server';

export interface Clocks {
  /** page = local + pageOffset */
  pageOffset: number;
  sdkOffset: number;
}

export interface TurnTiming {
  /** Server first content write -> text in the Chat window's DOM. */
  appMs: number;
  /** ... -> painted (next frame), for information. */
  appPaintedMs: number;
  /** Server first content write -> the SDK in plain Node has it. */
  sdkMs: number | null;
  overheadMs: number | null;
}

/** One streamed turn through the Chat window; with `baseline`, the SDK asks the same and the overhead is computed. */
export async function streamedTurn(
  page: Page,
  server: TimedServer,
  sdk: Child<SdkMethods>,
  clocks: Clocks,
  n: number,
  baseline: boolean,
): Promise<TurnTiming> {
  const tag = randomBytes(3).toString('hex');
  const marker = `Fx${n}q${tag}`;
  const end = `Zx${n}q${tag}`;
  // A realistic reply (~120 tokens of Markdown with code) whose first token is the marker.
  server.server.setBehavior({ reply: `${marker} ${markdownReply(120, end, n)}` });
  const text = `Benchmark turn ${n} (${tag}): explain the streaming client.`;

  await armReplyWatch(page, marker);
  await sendMessage(page, text);
  const first = await collectWatch(page);
  await armReplyWatch(page, end, true);
  await collectWatch(page);
  const appTiming = await server.waitForResponse(text);
  if (appTiming.firstContentAt === null) throw new Error(`turn ${n}: the server wrote no content`);
  const appMs = first.domAt - clocks.pageOffset - appTiming.firstContentAt;
  const appPaintedMs = first.paintedAt - clocks.pageOffset - appTiming.firstContentAt;
  if (!baseline) return { appMs, appPaintedMs, sdkMs: null, overheadMs: null };

  const sdkText = `${text} [baseline]`;
  const got = await sdk.call('stream', { baseURL: server.url, apiKey: server.apiKey, model: BENCH_MODEL, userText: sdkText });
  const sdkTiming = await server.waitForResponse(sdkText);
  if (sdkTiming.firstContentAt === null) throw new Error(`turn ${n}: the server wrote no content to the SDK`);
  const sdkMs = got.firstContentAt - clocks.sdkOffset - sdkTiming.firstContentAt;
  return { appMs, appPaintedMs, sdkMs, overheadMs: appMs - sdkMs };
}
