/**
 * A reply whose final save hits a full disk (injected ENOSPC) through the real services and the local
 * server: the reply is not lost. The windows are told it is not saved yet, a read of the conversation shows
 * it as it ended (not "streaming" with the words of the last good save), and once there is room again it is
 * saved (by the bounded retry, or by the next write that succeeds), so a restart shows the whole reply.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../shared/ipc/contract';
import { localServerAndRigs, waitUntil, type Rig } from '../support/chat-rig';
import { injectableDiskFull } from '../support/disk-faults';

const WORDS = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');

const local = localServerAndRigs({});

function saveStates(rig: Rig): EventPayloads['chat:saveState'][] {
  return rig.events.sent.filter((s) => s.event === 'chat:saveState').map((s) => s.payload as EventPayloads['chat:saveState']);
}

function savedReply(rig: Rig, conversationId: string): { content: string; status: string } {
  const file = JSON.parse(fs.readFileSync(path.join(rig.dataDir, 'conversations', `${conversationId}.json`), 'utf8')) as {
    messages: { content: string; status: string }[];
  };
  return file.messages[1]!;
}

/** Streams the 400-word reply and fills the disk once part of it has been shown (and saved). */
async function replyInterruptedByFullDisk(saveRetryDelaysMs: number[]) {
  const disk = await injectableDiskFull();
  const rig = local.rig({ createStore: disk.createStore, chat: { persistIntervalMs: 20, saveRetryDelaysMs } });
  rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' });
  local.server.setBehavior({ reply: WORDS, chunkDelayMs: 1 });
  const conversation = await rig.call('conversations:create', undefined);
  const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'write a lot' });
  await waitUntil(() => savedReply(rig, conversation.id).content.length > 60, 10_000, 'a first save of the growing reply');
  disk.full.on = true;
  const result = await rig.finished(sent.streamId);
  return { rig, disk, conversation, result };
}

describe('a reply interrupted by a full disk', () => {
  it('is kept, shown as not saved yet, and saved by the retry once there is room; a restart shows all of it', async () => {
    const { rig, disk, conversation, result } = await replyInterruptedByFullDisk([100, 100, 100, 100, 100, 100, 100, 100]);
    expect(result.final.status).toBe('complete');
    expect(result.content).toBe(WORDS);
    const messageId = result.events[0]!.messageId;
    await waitUntil(() => saveStates(rig).length > 0, 5000, 'the not-saved notice');
    expect(saveStates(rig)[0]).toEqual({ conversationId: conversation.id, messageId, saved: false, reason: 'disk-full' });

    // On disk: the last good save. Read through the app: the whole reply, finished, marked not saved.
    expect(savedReply(rig, conversation.id).content.length).toBeLessThan(WORDS.length);
    const page = await rig.call('conversations:get', { id: conversation.id });
    expect(page.messages[1]).toMatchObject({ id: messageId, content: WORDS, status: 'complete', unsaved: 'disk-full' });

    disk.full.on = false;
    await waitUntil(() => saveStates(rig).some((s) => s.saved), 10_000, 'the retried save');
    expect(saveStates(rig).at(-1)).toEqual({ conversationId: conversation.id, messageId, saved: true });
    expect(savedReply(rig, conversation.id)).toMatchObject({ content: WORDS, status: 'complete' });

    const restarted = await rig.restart();
    local.keep(restarted);
    const after = await restarted.call('conversations:get', { id: conversation.id });
    expect(after.messages[1]).toMatchObject({ content: WORDS, status: 'complete' });
    expect(after.messages[1]?.unsaved).toBeUndefined();
  });

  it('after the automatic retries gave up, the next write that succeeds saves it', async () => {
    const { rig, disk, conversation, result } = await replyInterruptedByFullDisk([]);
    expect(result.content).toBe(WORDS);
    await waitUntil(() => saveStates(rig).length > 0, 5000, 'the not-saved notice');
    disk.full.on = false;
    // Any successful write (here: a new conversation) means there is room again.
    await rig.call('conversations:create', undefined);
    await waitUntil(() => saveStates(rig).some((s) => s.saved), 10_000, 'the save after a successful write');
    expect(savedReply(rig, conversation.id)).toMatchObject({ content: WORDS, status: 'complete' });
  });

  it('a new message in the same conversation saves it along with the turn and sends all of it as history', async () => {
    const { rig, disk, conversation } = await replyInterruptedByFullDisk([]);
    await waitUntil(() => saveStates(rig).length > 0, 5000, 'the not-saved notice');
    disk.full.on = false;
    local.server.setBehavior({ reply: 'ok', chunkDelayMs: 0 });
    const next = await rig.call('chat:send', { conversationId: conversation.id, text: 'thanks' });
    expect((await rig.finished(next.streamId)).final.status).toBe('complete');
    expect(savedReply(rig, conversation.id)).toMatchObject({ content: WORDS, status: 'complete' });
    const history = (local.server.lastRequest('/chat/completions')?.body as { messages: { content: string }[] }).messages;
    expect(history[1]?.content).toBe(WORDS);
  });
});
