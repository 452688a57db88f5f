/**
 * Messages in pages through the IPC dispatcher: `conversations:get` answers the latest messages and how
 * many come before them, `conversations:messages` the ones before a given message, against a conversation
 * saved by the real store, including while a reply streams into it from the local OpenAI-compatible local.server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../electron/main/conversations/conversation-store';
import { createMemoryLogger } from '../../electron/main/logger';
import type { Message } from '../../shared/models/conversation';
import { errorOf, localServerAndRigs, waitUntil, type Rig } from '../support/chat-rig';

const KEY = 'sk-test-paging-0123456789abcdef';
const PROVIDER_ID = 'p-paging';
const COUNT = 250;
const local = localServerAndRigs({ apiKey: KEY }, { checkRequests: true });
/** The data dirs of the rigs, removed once every rig is closed. */
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function ids(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `m${from + i}`);
}

/** A conversation of COUNT messages saved by the app's own store, and the services started on it. */
async function setup(): Promise<{ rig: Rig; id: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-chat-paging-'));
  dataDirs.push(dataDir);
  const store = new ConversationStore({ dataDir, log: createMemoryLogger() });
  const start = Date.parse('2026-01-01T00:00:00Z');
  const messages: Message[] = Array.from({ length: COUNT }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `Message ${i}`,
    status: 'complete',
    createdAt: new Date(start + i * 1000).toISOString(),
  }));
  await store.create({
    id: 'long',
    title: 'Long',
    providerId: PROVIDER_ID,
    model: 'gpt-4o-mini',
    createdAt: messages[0]!.createdAt,
    updatedAt: messages.at(-1)!.createdAt,
    messages,
  });
  await store.flush();
  const rig = local.rig({ dataDir });
  rig.addProvider({ id: PROVIDER_ID, baseUrl: local.server.url, model: 'gpt-4o-mini' }, KEY);
  return { rig, id: 'long' };
}

describe('conversation pages', () => {
  it('opens with the latest 100 messages, then gives older pages in order down to the first message', async () => {
    const { rig, id } = await setup();
    const latest = await rig.call('conversations:get', { id });
    expect(latest).toMatchObject({ id, title: 'Long', providerId: PROVIDER_ID, olderCount: 150 });
    expect(latest.messages.map((m) => m.id)).toEqual(ids(150, 250));

    const seen = [...latest.messages];
    let olderCount = latest.olderCount;
    const counts: number[] = [];
    while (olderCount > 0) {
      const page = await rig.call('conversations:messages', { id, before: seen[0]!.id });
      seen.unshift(...page.messages);
      olderCount = page.olderCount;
      counts.push(page.messages.length);
    }
    expect(counts).toEqual([100, 50]);
    expect(seen.map((m) => m.id)).toEqual(ids(0, COUNT));
    expect(seen.map((m) => m.content)).toEqual(ids(0, COUNT).map((m) => `Message ${m.slice(1)}`));
  });

  it('keeps to the page size asked for, and refuses sizes out of bounds', async () => {
    const { rig, id } = await setup();
    expect((await rig.call('conversations:get', { id, limit: 10 })).messages.map((m) => m.id)).toEqual(ids(240, 250));
    expect(await rig.call('conversations:get', { id, limit: 0 })).toMatchObject({ messages: [], olderCount: COUNT });
    expect(await rig.call('conversations:get', { id, limit: 1000 })).toMatchObject({ olderCount: 0 });
    expect((await rig.call('conversations:messages', { id, before: 'm7', limit: 3 })).messages.map((m) => m.id)).toEqual(['m4', 'm5', 'm6']);
    expect((await rig.call('conversations:messages', { id, before: 'm2', limit: 1000 })).messages.map((m) => m.id)).toEqual(['m0', 'm1']);
    // Before the first message: nothing, and nothing more to load.
    expect(await rig.call('conversations:messages', { id, before: 'm0' })).toEqual({ messages: [], olderCount: 0 });

    expect(errorOf(await rig.raw('conversations:get', { id, limit: 1001 })).code).toBe('INVALID_INPUT');
    expect(errorOf(await rig.raw('conversations:messages', { id, before: 'm10', limit: 0 })).code).toBe('INVALID_INPUT');
    expect(errorOf(await rig.raw('conversations:messages', { id, before: 'm10', limit: 2.5 })).code).toBe('INVALID_INPUT');
    expect(errorOf(await rig.raw('conversations:messages', { id })).code).toBe('INVALID_INPUT');
    // A message that is not (or no longer) in the conversation, and a conversation that does not exist.
    expect(errorOf(await rig.raw('conversations:messages', { id, before: 'not-there' }))).toMatchObject({
      code: 'NOT_FOUND',
      params: { context: 'message' },
    });
    expect(errorOf(await rig.raw('conversations:messages', { id: 'missing', before: 'm1' })).code).toBe('NOT_FOUND');
    expect(errorOf(await rig.raw('conversations:get', { id: '../escape' })).code).toBe('NOT_FOUND');
  });

  it('pages while a reply streams: the latest page has the reply so far, older pages are unchanged', async () => {
    const { rig, id } = await setup();
    const before = await rig.call('conversations:messages', { id, before: 'm150' });
    const reply = Array.from({ length: 60 }, (_, i) => `word${i + 1}`).join(' ');
    local.server.setBehavior({ reply, chunkDelayMs: 20 });
    const sent = await rig.call('chat:send', { conversationId: id, text: 'One more question' });

    // Part of the reply has arrived: the latest page shows it as far as it has come, still streaming.
    await waitUntil(() => rig.streamEvents(sent.streamId).filter((e) => e.contentDelta).length >= 3, 10_000, 'a few deltas');
    const during = await rig.call('conversations:get', { id, limit: 3 });
    expect(during.olderCount).toBe(COUNT - 1);
    expect(during.messages.map((m) => m.id)).toEqual(['m249', sent.userMessage.id, sent.assistantMessage.id]);
    const live = during.messages[2]!;
    expect(live.status).toBe('streaming');
    expect(live.content.length).toBeGreaterThan(0);
    expect(reply.startsWith(live.content)).toBe(true);
    // Pages are addressed by message, not by position: the new messages do not shift them.
    expect(await rig.call('conversations:messages', { id, before: 'm150' })).toEqual(before);
    const justBefore = await rig.call('conversations:messages', { id, before: sent.userMessage.id, limit: 2 });
    expect(justBefore).toMatchObject({ olderCount: COUNT - 2 });
    expect(justBefore.messages.map((m) => m.id)).toEqual(['m248', 'm249']);
    // The page holding the streaming reply, asked from before it, has it too.
    const spanning = await rig.call('conversations:messages', { id, before: sent.assistantMessage.id, limit: 1 });
    expect(spanning.messages).toEqual([expect.objectContaining({ id: sent.userMessage.id, content: 'One more question' })]);

    expect((await rig.finished(sent.streamId)).content).toBe(reply);
    const after = await rig.call('conversations:get', { id, limit: 1 });
    expect(after).toMatchObject({ olderCount: COUNT + 1, messages: [{ id: sent.assistantMessage.id, status: 'complete', content: reply }] });
    // The turn that went to the server carried the whole history, not a page of it.
    const body = local.server.lastRequest('/chat/completions')?.body as { messages: unknown[] } | undefined;
    expect(body?.messages).toHaveLength(COUNT + 1);
  });
});
