/**
 * Cost growth: the Chat window's work per delta while the reply is ~1,000 tokens long vs ~20,000 tokens
 * long (Markdown with code blocks). One reply streams 1,000 tokens fast, then a paced stretch (one token
 * every 40 ms, so each token is its own `chat:event`), then 18,000+ tokens fast, then the same paced
 * stretch again. Around each paced stretch the renderer's main-thread work is read from Chrome's
 * Performance domain (TaskDuration: script, style, layout, paint) and divided by the `chat:event`s the
 * window received in it. Ratio = late / early; a renderer that re-parses the whole reply per delta grows
 * with the length, an incremental one stays flat.
 *
 * The server pauses before and after each paced stretch, and each reading is taken once the window has
 * gone quiet inside the pause, so a stretch's figure holds the work its own deltas caused: not the
 * formatting that follows a fast burst (the window formats the blocks it showed plain), nor the start of
 * the next burst, nor the formatting of the whole reply once it has ended. The driver checks on the
 * server's clock that both readings fell inside the pauses.
 */
import { randomBytes } from 'node:crypto';
import type { CDPSession, Page } from 'playwright-core';
import { faults } from '../tests/fixtures/openai-server/index.js';
import type { StreamStep } from '../tests/fixtures/openai-server/index.js';
import { newChat, sendMessage } from './app-session';
import { nowMs } from './child-rpc';
import { countTokens, markdownReply } from './markdown-reply';
import { armReplyWatch, collectWatch, readProbe, waitForReplyText } from './page-probes';
import { rawReplySteps } from './stream-throughput';
import type { TimedServer } from './timed-server';

const EARLY_TOKENS = 1_000;
const LATE_TOKENS = 20_000;
const PACE_MS = 40;
/** Quiet time after a fast stretch: the window catches up before the paced stretch is measured. */
const CATCH_UP_MS = { early: 1_500, late: 5_000 };
/** Quiet time after a paced stretch, before the next burst (or the end of the reply). */
const AFTER_MS = 1_000;
/** The window counts as quiet when its main thread worked less than this in one poll interval. */
const QUIET = { pollMs: 100, workMs: 3 };

export interface CostGrowthRun {
  earlyMsPerDelta: number;
  lateMsPerDelta: number;
  earlyScriptMsPerDelta: number;
  lateScriptMsPerDelta: number;
  earlyLayoutMsPerDelta: number;
  lateLayoutMsPerDelta: number;
  earlyStyleMsPerDelta: number;
  lateStyleMsPerDelta: number;
  earlyDeltas: number;
  lateDeltas: number;
  ratio: number;
}

/** The paced stretch: a paragraph and a code block, the same shape both times. */
function pacedText(begin: string, done: string): string {
  return [
    `\n\n${begin} The paced part of the reply streams one token at a time so that every token is its own update of the window.`,
    '```ts\nconst response = await client.chat.completions.create({ model, messages, stream: true });\nfor await (const chunk of response) render(chunk.choices[0]?.delta?.content ?? "");\n```',
    `${done}`,
  ].join('\n\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reading {
  task: number;
  script: number;
  layout: number;
  style: number;
  events: number;
}

/** Chrome's Performance metrics of the window, in ms (durations are reported in seconds). */
async function performanceMs(cdp: CDPSession): Promise<(name: string) => number> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return (name) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
}

/** Resolves once the window's main thread did (almost) nothing for one poll interval. */
async function untilQuiet(cdp: CDPSession, deadlineMs: number): Promise<void> {
  let last = (await performanceMs(cdp))('TaskDuration');
  const until = nowMs() + deadlineMs;
  while (nowMs() < until) {
    await sleep(QUIET.pollMs);
    const now = (await performanceMs(cdp))('TaskDuration');
    if (now - last < QUIET.workMs) return;
    last = now;
  }
}

async function metrics(cdp: CDPSession, page: Page): Promise<Reading> {
  const ms = await performanceMs(cdp);
  const probe = await readProbe(page);
  return {
    task: ms('TaskDuration'),
    script: ms('ScriptDuration'),
    layout: ms('LayoutDuration'),
    style: ms('RecalcStyleDuration'),
    events: probe.chatEvents,
  };
}

export async function costGrowthRun(page: Page, server: TimedServer, run: number): Promise<CostGrowthRun> {
  const tag = randomBytes(3).toString('hex');
  const m = (name: string) => `${name}x${run}q${tag}`;
  const early = markdownReply(EARLY_TOKENS, m('EarlyReady'), 200 + run);
  const paceEarly = pacedText(m('EarlyGo'), m('EarlyDone'));
  const lateTokens = LATE_TOKENS - countTokens(early) - 2 * countTokens(paceEarly);
  const late = `\n\n${m('LateBegin')} ${markdownReply(lateTokens, m('LateReady'), 300 + run)}`;
  const paceLate = pacedText(m('LateGo'), m('LateDone'));
  const [role, ...earlyChunks] = rawReplySteps(early);
  const lateChunks = rawReplySteps(late).slice(1);
  const steps: StreamStep[] = [
    role!,
    ...earlyChunks,
    { type: 'pause', ms: CATCH_UP_MS.early },
    { type: 'content', text: paceEarly, chunkSize: 'word', delayMs: PACE_MS },
    { type: 'pause', ms: AFTER_MS },
    ...lateChunks,
    { type: 'pause', ms: CATCH_UP_MS.late },
    { type: 'content', text: paceLate, chunkSize: 'word', delayMs: PACE_MS },
    { type: 'pause', ms: AFTER_MS },
  ];

  await newChat(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const writes = {
    earlyGo: server.waitForWrite(m('EarlyGo')),
    lateBegin: server.waitForWrite(m('LateBegin')),
    lateGo: server.waitForWrite(m('LateGo')),
  };
  const userText = `Cost growth run ${run} (${tag}): a long answer with code.`;
  server.server.nextResponses(faults.chat(steps, { roleChunk: false }));
  await armReplyWatch(page, m('LateDone'), true);
  await sendMessage(page, userText);
  const replyEnded = server.waitForResponse(userText).then((t) => t.endedAt ?? Number.POSITIVE_INFINITY);

  const measure = async (ready: string, done: string, go: Promise<number>, next: Promise<number>, catchUpMs: number) => {
    await waitForReplyText(page, ready);
    await untilQuiet(cdp, catchUpMs);
    const readAt = nowMs();
    const start = await metrics(cdp, page);
    const goAt = await go;
    // The paced stretch must not have begun before the first reading: else the window had not caught up.
    if (goAt < readAt) throw new Error(`the window had not caught up before "${ready}" was measured`);
    await waitForReplyText(page, done);
    await untilQuiet(cdp, AFTER_MS);
    const endAt = nowMs();
    const end = await metrics(cdp, page);
    // Nor may what follows the stretch (the next burst, the end of the reply) have begun before the second.
    const nextAt = await Promise.race([next, sleep(AFTER_MS).then(() => Number.POSITIVE_INFINITY)]);
    if (nextAt < endAt) throw new Error(`the window had not settled after "${done}" before the stream went on`);
    const deltas = end.events - start.events;
    if (deltas < 10) throw new Error(`only ${deltas} updates reached the window in the paced stretch`);
    return {
      perDelta: (end.task - start.task) / deltas,
      scriptPerDelta: (end.script - start.script) / deltas,
      layoutPerDelta: (end.layout - start.layout) / deltas,
      stylePerDelta: (end.style - start.style) / deltas,
      deltas,
    };
  };
  const a = await measure(m('EarlyReady'), m('EarlyDone'), writes.earlyGo, writes.lateBegin, CATCH_UP_MS.early);
  const b = await measure(m('LateReady'), m('LateDone'), writes.lateGo, replyEnded, CATCH_UP_MS.late);
  await collectWatch(page);
  await cdp.detach();
  return {
    earlyMsPerDelta: a.perDelta,
    lateMsPerDelta: b.perDelta,
    earlyScriptMsPerDelta: a.scriptPerDelta,
    lateScriptMsPerDelta: b.scriptPerDelta,
    earlyLayoutMsPerDelta: a.layoutPerDelta,
    lateLayoutMsPerDelta: b.layoutPerDelta,
    earlyStyleMsPerDelta: a.stylePerDelta,
    lateStyleMsPerDelta: b.stylePerDelta,
    earlyDeltas: a.deltas,
    lateDeltas: b.deltas,
    ratio: b.perDelta / a.perDelta,
  };
}
