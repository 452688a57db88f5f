import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic } from '../../../../electron/main/conversations/atomic-file';
import { serializeConversation } from '../../../../electron/main/conversations/conversation-file';
import { ConversationStore, INDEX_FILE } from '../../../../electron/main/conversations/conversation-store';
import { createMemoryLogger } from '../../../../electron/main/logger';
import type { Conversation, Message } from '../../../../shared/models/conversation';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function conversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    id,
    title: `Chat ${id}`,
    providerId: 'p1',
    model: 'm',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    messages: [],
    ...overrides,
  };
}

function open(dataDir: string, log = createMemoryLogger()) {
  return new ConversationStore({ dataDir, log, indexDelayMs: 5 });
}

describe('writeFileAtomic', () => {
  it('replaces the whole file and leaves no temp file behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('leaves the old content in place and cleans up when the write fails', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, 'old');
    // A directory in place of the target makes the final rename fail after the temp file was written.
    const blocked = path.join(dir, 'blocked');
    fs.mkdirSync(path.join(blocked, 'x'), { recursive: true });
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.json', 'blocked']);
  });

  it('names temp files in the same directory (so the rename never crosses file systems)', () => {
    const temp = tempPathFor('/some/dir/c.json');
    expect(path.dirname(temp)).toBe('/some/dir');
    expect(temp.endsWith('.tmp')).toBe(true);
  });
});

describe('ConversationStore', () => {
  it('creates, reads, updates, lists and deletes, and survives a reopen', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a'));
    await store.create(conversation('b', { title: 'Second' }));
    await store.update('a', (c) => {
      c.messages.push({ id: 'm1', role: 'user', content: 'hi', status: 'complete', createdAt: 'x' });
    });
    const list = await store.list();
    expect(list.map((s) => s.id)).toEqual(['a', 'b']);
    expect(list[0]).toMatchObject({ messageCount: 1 });
    expect(await store.delete('b')).toBe(true);
    expect(await store.delete('b')).toBe(false);
    await store.flush();

    const reopened = open(dataDir);
    expect((await reopened.list()).map((s) => s.id)).toEqual(['a']);
    expect((await reopened.get('a')).messages[0]?.content).toBe('hi');
  });

  it('hands out copies: changing a returned conversation does not change the store', async () => {
    const store = open(tempDir());
    await store.create(conversation('a'));
    const copy = await store.get('a');
    copy.title = 'mutated';
    expect((await store.get('a')).title).toBe('Chat a');
  });

  it('shares a read-only snapshot without copying, which a later change leaves as it was', async () => {
    const store = open(tempDir());
    const msg = (id: string, content: string): Message => ({ id, role: 'user', content, status: 'complete', createdAt: '2025-01-01T00:00:00.000Z' });
    await store.create(conversation('a', { messages: [msg('m1', 'one')] }));
    const before = await store.snapshot('a');
    expect(await store.snapshot('a')).toBe(before);
    expect(Object.isFrozen(before.messages[0])).toBe(true);
    await store.update('a', (c) => {
      c.title = 'Renamed';
      c.messages.push(msg('m2', 'two'));
    });
    expect(before.title).toBe('Chat a');
    expect(before.messages.map((m) => m.id)).toEqual(['m1']);
    const after = await store.snapshot('a');
    expect(after).not.toBe(before);
    expect(after.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    // The message both share is the same frozen object: nothing was copied.
    expect(after.messages[0]).toBe(before.messages[0]);
    await expect(store.snapshot('missing')).rejects.toMatchObject({ appError: { code: 'NOT_FOUND' } });
  });

  it('sorts by last activity and searches titles case-insensitively', async () => {
    let clock = Date.parse('2025-02-01T00:00:00Z');
    const store = new ConversationStore({ dataDir: tempDir(), log: createMemoryLogger(), now: () => new Date(clock) });
    await store.create(conversation('a', { title: 'Rust lifetimes' }));
    await store.create(conversation('b', { title: 'Pasta recipe' }));
    await store.create(conversation('c', { title: 'rusty bike' }));
    clock += 1000;
    await store.update('b', (c) => void (c.model = 'other'));
    clock += 1000;
    await store.update('a', (c) => void (c.model = 'other'));
    expect((await store.list()).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect((await store.list('RUST')).map((s) => s.id)).toEqual(['a', 'c']);
    expect(await store.list('nothing like this')).toEqual([]);
  });

  it('never turns an id from outside into a path', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'secret.json'), '{}');
    const store = open(dataDir);
    await expect(store.get('../secret')).rejects.toMatchObject({ appError: { code: 'NOT_FOUND' } });
    await expect(store.update('../secret', () => undefined)).rejects.toMatchObject({ appError: { code: 'NOT_FOUND' } });
    expect(await store.delete('../secret')).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'secret.json'))).toBe(true);
  });

  it('serialises concurrent updates of one conversation (no lost update)', async () => {
    const store = open(tempDir());
    await store.create(conversation('a'));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.update('a', (c) => {
          c.messages.push({ id: `m${i}`, role: 'user', content: String(i), status: 'complete', createdAt: 'x' });
        }),
      ),
    );
    const got = await store.get('a');
    expect(got.messages.map((m) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });

  it('loads a reply left streaming by a crash as stopped', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(
      conversation('a', {
        messages: [{ id: 'm1', role: 'assistant', content: 'partial', status: 'streaming', createdAt: 'x' }],
      }),
    );
    await store.flush();
    const reopened = open(dataDir);
    expect((await reopened.get('a')).messages[0]).toMatchObject({ status: 'stopped', content: 'partial' });
  });

  it('rebuilds a missing or corrupt index from the files', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a'));
    await store.create(conversation('b'));
    await store.flush();
    const indexPath = path.join(dataDir, 'conversations', INDEX_FILE);

    fs.rmSync(indexPath);
    expect((await open(dataDir).list()).map((s) => s.id).sort()).toEqual(['a', 'b']);

    fs.writeFileSync(indexPath, '{"version":1,"entries":[{"summ');
    const healed = open(dataDir);
    expect((await healed.list()).map((s) => s.id).sort()).toEqual(['a', 'b']);
    await healed.flush();
    expect(JSON.parse(fs.readFileSync(indexPath, 'utf8')).entries).toHaveLength(2);
  });

  it('notices a file that changed behind a stale index (crash between file and index write)', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a', { title: 'Before' }));
    await store.flush();
    const indexBefore = fs.readFileSync(path.join(dataDir, 'conversations', INDEX_FILE), 'utf8');
    await store.update('a', (c) => void (c.title = 'After, and longer'));
    await store.create(conversation('new'));
    await store.flush();
    // Put the old index back, as if the process died before writing the new one.
    fs.writeFileSync(path.join(dataDir, 'conversations', INDEX_FILE), indexBefore);
    const list = await open(dataDir).list();
    expect(list.map((s) => [s.id, s.title]).sort()).toEqual([
      ['a', 'After, and longer'],
      ['new', 'Chat new'],
    ]);
  });

  it('drops index entries whose file is gone', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a'));
    await store.create(conversation('b'));
    await store.flush();
    fs.rmSync(path.join(dataDir, 'conversations', 'b.json'));
    expect((await open(dataDir).list()).map((s) => s.id)).toEqual(['a']);
  });

  it('moves a corrupt file aside, reports it, and still lists the others', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('good'));
    await store.flush();
    const dir = path.join(dataDir, 'conversations');
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"id":"bad","title":"cut off');
    fs.writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ id: 'wrong', messages: 'not a list' }));
    const log = createMemoryLogger();
    const reopened = open(dataDir, log);
    expect((await reopened.list()).map((s) => s.id)).toEqual(['good']);
    expect(reopened.notices().map((n) => n.code)).toEqual(['CONVERSATION_CORRUPT_MOVED', 'CONVERSATION_CORRUPT_MOVED']);
    const aside = fs.readdirSync(path.join(dir, 'corrupt'));
    expect(aside).toHaveLength(2);
    expect(fs.existsSync(path.join(dir, 'bad.json'))).toBe(false);
    expect(log.lines.some((l) => l.includes('moved'))).toBe(true);
  });

  it('moves aside a file that went bad after the index was built, answering NOT_FOUND with the path', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a'));
    await store.flush();
    const reopened = open(dataDir);
    await reopened.list();
    fs.writeFileSync(path.join(dataDir, 'conversations', 'a.json'), 'garbage');
    await expect(reopened.get('a')).rejects.toMatchObject({ appError: { code: 'NOT_FOUND' } });
    expect(await reopened.list()).toEqual([]);
    expect(reopened.notices()).toHaveLength(1);
  });

  it('removes temp files a crash left behind and keeps the last complete version', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a', { title: 'Complete' }));
    await store.flush();
    const dir = path.join(dataDir, 'conversations');
    fs.writeFileSync(tempPathFor(path.join(dir, 'a.json')), '{"id":"a","tit');
    const reopened = open(dataDir);
    expect((await reopened.get('a')).title).toBe('Complete');
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('lists 1,000 conversations from the index without reading their files', async () => {
    const dataDir = tempDir();
    const dir = path.join(dataDir, 'conversations');
    fs.mkdirSync(dir, { recursive: true });
    // Plain writes (no fsync) keep the set-up quick; the first open reads them all and builds the index.
    for (let i = 0; i < 1000; i++) {
      const id = `c${String(i).padStart(4, '0')}`;
      fs.writeFileSync(path.join(dir, `${id}.json`), serializeConversation(conversation(id, { updatedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() })));
    }
    const first = open(dataDir);
    expect(await first.list()).toHaveLength(1000);
    await first.flush();

    // Make every conversation file unreadable as JSON but keep its size and mtime: if the list read any of
    // them, it would find them corrupt and move them aside.
    for (const name of fs.readdirSync(dir)) {
      if (!/^c\d{4}\.json$/.test(name)) continue;
      const file = path.join(dir, name);
      const stat = fs.statSync(file);
      fs.writeFileSync(file, 'x'.repeat(stat.size));
      fs.utimesSync(file, stat.atime, stat.mtime);
    }
    const reopened = open(dataDir);
    const list = await reopened.list();
    expect(list).toHaveLength(1000);
    expect(list[0]?.id).toBe('c0999');
    expect(list[999]?.id).toBe('c0000');
    expect(reopened.notices()).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'corrupt'))).toBe(false);
  });

  it('keeps the list sorted between changes and re-sorts after an update, a create and a delete', async () => {
    let clock = Date.parse('2025-03-01T00:00:00Z');
    const store = new ConversationStore({ dataDir: tempDir(), log: createMemoryLogger(), now: () => new Date(clock) });
    for (const id of ['a', 'b', 'c']) await store.create(conversation(id, { updatedAt: new Date(clock++).toISOString() }));
    expect((await store.list()).map((s) => s.id)).toEqual(['c', 'b', 'a']);
    // The same answer twice is the same summaries (shared, frozen), not copies made per call.
    const [first] = await store.list();
    expect((await store.list())[0]).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    clock += 1000;
    await store.update('a', (c) => void (c.title = 'Touched'));
    expect((await store.list()).map((s) => s.id)).toEqual(['a', 'c', 'b']);
    expect((await store.list())[0]).toMatchObject({ id: 'a', title: 'Touched' });
    await store.create(conversation('d', { updatedAt: '2024-01-01T00:00:00.000Z' }));
    expect((await store.list()).map((s) => s.id)).toEqual(['a', 'c', 'b', 'd']);
    await store.delete('c');
    expect((await store.list()).map((s) => s.id)).toEqual(['a', 'b', 'd']);
    expect(store.summary('c')).toBeUndefined();
  });

  it('pages messages: the latest first, then older pages before a message, with how many come before', async () => {
    const store = open(tempDir());
    const messages = numbered(250);
    await store.create(conversation('a', { messages }));

    const latest = await store.latest('a', 100);
    expect(latest.messages.map((m) => m.id)).toEqual(ids(150, 250));
    expect(latest.olderCount).toBe(150);
    expect(latest).toMatchObject({ id: 'a', title: 'Chat a', providerId: 'p1' });

    const second = await store.older('a', 'm150', 100);
    expect(second.messages.map((m) => m.id)).toEqual(ids(50, 150));
    expect(second.olderCount).toBe(50);
    const third = await store.older('a', 'm50', 100);
    expect(third.messages.map((m) => m.id)).toEqual(ids(0, 50));
    expect(third.olderCount).toBe(0);
    // Before the first message there is nothing.
    expect(await store.older('a', 'm0', 100)).toEqual({ messages: [], olderCount: 0 });

    // Boundaries: a page larger than the conversation, none at all, exactly all of it.
    expect((await store.latest('a', 1000)).messages).toHaveLength(250);
    expect((await store.latest('a', 1000)).olderCount).toBe(0);
    expect(await store.latest('a', 0)).toMatchObject({ messages: [], olderCount: 250 });
    expect((await store.latest('a', 250)).olderCount).toBe(0);
    expect((await store.older('a', 'm1', 100)).messages.map((m) => m.id)).toEqual(['m0']);

    // A message that is not there (an edit removed it) is NOT_FOUND, saying it is the message.
    await expect(store.older('a', 'nope', 100)).rejects.toMatchObject({ appError: { code: 'NOT_FOUND', params: { context: 'message' } } });
    await expect(store.latest('missing', 100)).rejects.toMatchObject({ appError: { code: 'NOT_FOUND' } });
  });

  it('hands out page copies, and an update neither copies every message nor changes the store when it fails', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a', { messages: numbered(3) }));
    const page = await store.latest('a', 10);
    page.messages[0]!.content = 'mutated';
    page.title = 'mutated';
    expect((await store.latest('a', 10)).messages[0]!.content).toBe('text 0');

    // Messages are shared with the stored conversation and frozen: replace them, never edit them in place.
    const updated = await store.update('a', (c) => {
      c.messages[2] = { ...c.messages[2]!, content: 'replaced' };
    });
    expect(updated.messages[2]!.content).toBe('replaced');
    expect(Object.isFrozen(updated.messages[0])).toBe(true);
    await expect(
      store.update('a', (c) => {
        c.messages.push(message(99));
        c.messages[0]!.content = 'edited in place';
      }),
    ).rejects.toThrow(TypeError);
    // The failed update left nothing behind: not in memory, not on disk.
    expect((await store.get('a')).messages.map((m) => m.content)).toEqual(['text 0', 'text 1', 'replaced']);
    await store.flush();
    expect((await open(dataDir).get('a')).messages.map((m) => m.content)).toEqual(['text 0', 'text 1', 'replaced']);
  });

  it('lists which provider owns the remote thread or conversation', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await store.create(conversation('a'));
    await store.update('a', (c) => {
      c.threadId = 'conv_1';
      c.threadProviderId = 'p-responses';
    });
    expect(store.summary('a')).toMatchObject({ threadId: 'conv_1', threadProviderId: 'p-responses' });
    await store.flush();
    expect((await open(dataDir).list())[0]).toMatchObject({ threadId: 'conv_1', threadProviderId: 'p-responses' });
  });
});

function message(i: number): Message {
  return { id: `m${i}`, role: i % 2 === 0 ? 'user' : 'assistant', content: `text ${i}`, status: 'complete', createdAt: 'x' };
}

function numbered(count: number): Message[] {
  return Array.from({ length: count }, (_, i) => message(i));
}

function ids(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `m${from + i}`);
}
