/**
 * The "a damaged file was moved aside" notice when start-up reading is slow: 2,000 conversations with no
 * usable index and one damaged file, so the store is still reading when the window first asks for the
 * notices. That first answer may come too early; the notice must still reach every window, pushed as
 * `app:noticesChanged` when it arises, and every later ask includes it until it is dismissed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppNotice } from '../../shared/models/preferences';
import { serializeConversation } from '../../electron/main/conversations/conversation-file';
import { startRig, waitUntil, type Rig } from '../support/chat-rig';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
});

/** A data dir as a crash can leave it: many conversation files, an index that no longer matches, one damaged file. */
function seedSlowStartUp(count: number): { dataDir: string; damagedId: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-notices-'));
  const dir = path.join(dataDir, 'conversations');
  fs.mkdirSync(dir, { recursive: true });
  const at = '2026-01-01T00:00:00.000Z';
  for (let i = 0; i < count; i++) {
    const id = `conv-${String(i).padStart(5, '0')}`;
    const conversation = {
      id,
      title: `Conversation ${i}`,
      providerId: null,
      model: '',
      createdAt: at,
      updatedAt: at,
      messages: [{ id: `m-${i}`, role: 'user' as const, content: `Message ${i}`, status: 'complete' as const, createdAt: at }],
    };
    fs.writeFileSync(path.join(dir, `${id}.json`), serializeConversation(conversation));
  }
  const damagedId = 'conv-zz-damaged';
  fs.writeFileSync(path.join(dir, `${damagedId}.json`), '{"id": "conv-zz-damaged", "title": ');
  // A stale index: it names none of the files, so every one of them is read at start-up.
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ version: 1, entries: [] }));
  return { dataDir, damagedId };
}

function pushedNotices(rig: Rig, windowId: number | 'all' = 'all'): AppNotice[][] {
  return rig.events.sent.filter((s) => s.event === 'app:noticesChanged' && s.windowId === windowId).map((s) => s.payload as AppNotice[]);
}

describe('notices that arise while start-up reading is still going on', () => {
  it('are pushed to every window when they arise, and included in every later ask', async () => {
    const { dataDir, damagedId } = seedSlowStartUp(2000);
    const rig = startRig({ dataDir });
    rigs.push(rig);
    // Two windows ask at once, as they open: the store is still reading, so the answer may not have it yet.
    const [first, second] = await Promise.all([rig.call('app:notices', undefined, 1), rig.call('app:notices', undefined, 2)]);
    expect(first).toEqual(second);
    const isDamaged = (n: AppNotice) => n.code === 'CONVERSATION_CORRUPT_MOVED' && n.params?.id === damagedId;
    if (!first.some(isDamaged)) {
      // It arrives as a broadcast (every window) once it arises.
      const pushed = await waitUntil(() => pushedNotices(rig).find((list) => list.some(isDamaged)), 20_000, 'the pushed notice');
      expect(pushed.filter(isDamaged)).toHaveLength(1);
    }
    // Reading is over now: the list has all 2,000, and any window that asks gets the notice.
    expect(await rig.call('conversations:list', undefined)).toHaveLength(2000);
    const later = await rig.call('app:notices', undefined, 3);
    expect(later.filter(isDamaged)).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, 'conversations', 'corrupt'))).toHaveLength(1);
  });

  it('the first ask comes before the reading is done (the case this guards)', async () => {
    const { dataDir, damagedId } = seedSlowStartUp(2000);
    const rig = startRig({ dataDir });
    rigs.push(rig);
    const first = await rig.call('app:notices', undefined, 1);
    expect(first.some((n) => n.params?.id === damagedId)).toBe(false);
    await waitUntil(() => pushedNotices(rig).some((list) => list.some((n) => n.params?.id === damagedId)), 20_000, 'the pushed notice');
  });

  it('a dismissed notice stays dismissed', async () => {
    const { dataDir, damagedId } = seedSlowStartUp(50);
    const rig = startRig({ dataDir });
    rigs.push(rig);
    await rig.call('conversations:list', undefined);
    const notice = (await rig.call('app:notices', undefined)).find((n) => n.params?.id === damagedId)!;
    await rig.call('app:dismissNotice', { id: notice.id });
    expect(await rig.call('app:notices', undefined)).toEqual([]);
  });
});
