import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../../../electron/main/conversations/conversation-store';
import { createMemoryLogger } from '../../../../electron/main/logger';
import { EXACT_CHECKED, SEARCH_DIR, SEARCH_INDEX_FILE, SearchIndex, TopK } from '../../../../electron/main/search/search-index';
import type { Conversation, Message } from '../../../../shared/models/conversation';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function message(id: string, content: string, extra: Partial<Message> = {}): Message {
  return { id, role: 'user', content, status: 'complete', createdAt: '2025-01-01T00:00:00.000Z', ...extra };
}

function conversation(id: string, title: string, messages: Message[], updatedAt = '2025-01-02T00:00:00.000Z'): Conversation {
  return { id, title, providerId: null, model: 'm', createdAt: '2025-01-01T00:00:00.000Z', updatedAt, messages };
}

/** A store and an index wired as services.ts wires them. */
function open(dataDir: string) {
  const log = createMemoryLogger();
  const store = new ConversationStore({ dataDir, log, indexDelayMs: 5 });
  const search = new SearchIndex({ dataDir, store, log, saveDelayMs: 5 });
  store.onChanged((change) => {
    if (change.conversation) search.conversationWritten(change.conversation);
    else search.conversationDeleted(change.deletedId);
  });
  return { store, search, log };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-search-'));
  dirs.push(dir);
  return dir;
}

const ids = async (search: SearchIndex, query: string, options = {}) =>
  (await search.search(query, options)).hits.map((h) => h.messageId ?? `title:${h.conversationId}`);

describe('SearchIndex', () => {
  it('finds words in messages and titles, English and zh-TW, and says where', async () => {
    const { store, search } = open(tempDir());
    await store.create(
      conversation('c1', 'Trip planning 旅遊', [
        message('m1', 'We land in 台北市 on Monday.'),
        message('m2', 'Book the hotel near the station', { role: 'assistant', reasoning: 'The user likes trains.' }),
      ]),
    );
    await search.init();
    expect(await ids(search, '台北')).toEqual(['m1']);
    expect(await ids(search, '北')).toEqual(['m1']);
    expect(await ids(search, '台北市')).toEqual(['m1']);
    expect(await ids(search, '北台')).toEqual([]);
    expect(await ids(search, 'HOTEL')).toEqual(['m2']);
    expect(await ids(search, 'ｈｏｔｅｌ')).toEqual(['m2']);
    expect(await ids(search, 'hot')).toEqual(['m2']); // typing: prefix of the last word
    expect(await ids(search, '旅遊')).toEqual(['title:c1']);
    expect(await ids(search, 'trains')).toEqual([]);
    expect(await ids(search, 'trains', { includeReasoning: true })).toEqual(['m2']);
    const hit = (await search.search('station')).hits[0]!;
    expect(hit).toMatchObject({ conversationId: 'c1', conversationTitle: 'Trip planning 旅遊', role: 'assistant', position: 1, field: 'content' });
    expect(hit.snippet.highlights).toHaveLength(1);
  });

  it('requires quoted phrases verbatim and every word', async () => {
    const { store, search } = open(tempDir());
    await store.create(conversation('c1', 't', [message('a', 'the quick brown fox'), message('b', 'a brown quick fox')]));
    await search.init();
    expect(await ids(search, '"quick brown"')).toEqual(['a']);
    expect((await ids(search, 'quick fox')).sort()).toEqual(['a', 'b']);
    expect(await ids(search, 'quick cat')).toEqual([]);
  });

  it('ranks by relevance or by date', async () => {
    const { store, search } = open(tempDir());
    await store.create(
      conversation('c1', 't', [
        message('old', 'rust rust rust borrow checker', { createdAt: '2024-01-01T00:00:00.000Z' }),
        message('new', 'a long note that mentions rust once among many other words here', { createdAt: '2025-06-01T00:00:00.000Z' }),
      ]),
    );
    await search.init();
    expect(await ids(search, 'rust')).toEqual(['old', 'new']);
    expect(await ids(search, 'rust', { sort: 'newest' })).toEqual(['new', 'old']);
  });

  it('follows writes: new and edited messages, streaming replies once they end, removals and deletions', async () => {
    const { store, search } = open(tempDir());
    await store.create(conversation('c1', 'first', [message('m1', 'alpha')]));
    await search.init();
    await store.update('c1', (c) => c.messages.push(message('m2', 'bravo partial', { role: 'assistant', status: 'streaming' })));
    expect(await ids(search, 'bravo')).toEqual([]);
    await store.update('c1', (c) => {
      c.messages[1] = { ...c.messages[1]!, content: 'bravo charlie', status: 'complete' };
    });
    expect(await ids(search, 'charlie')).toEqual(['m2']);
    await store.update('c1', (c) => {
      c.messages[0] = { ...c.messages[0]!, content: 'delta' };
      c.title = 'renamed';
    });
    expect(await ids(search, 'alpha')).toEqual([]);
    expect(await ids(search, 'delta')).toEqual(['m1']);
    expect(await ids(search, 'renamed')).toEqual(['title:c1']);
    expect(await ids(search, 'first')).toEqual([]);
    await store.update('c1', (c) => c.messages.splice(1));
    expect(await ids(search, 'charlie')).toEqual([]);
    await store.delete('c1');
    expect((await search.search('delta')).total).toBe(0);
  });

  it('survives a restart, and catches up with what changed while it was not saved', async () => {
    const dir = tempDir();
    const first = open(dir);
    await first.store.create(conversation('c1', 't', [message('m1', 'persisted words')]));
    await first.search.init();
    await first.search.flush();
    await first.store.flush();
    expect(fs.existsSync(path.join(dir, SEARCH_DIR, SEARCH_INDEX_FILE))).toBe(true);
    // Changed by a run whose index was never saved (a crash).
    const crashed = new ConversationStore({ dataDir: dir, log: createMemoryLogger(), indexDelayMs: 5 });
    await crashed.update('c1', (c) => c.messages.push(message('m2', 'later words')));
    await crashed.create(conversation('c2', 'another', [message('m3', 'unseen words')]));
    await crashed.flush();

    const second = open(dir);
    await second.search.init();
    expect(await ids(second.search, 'persisted')).toEqual(['m1']);
    expect(await ids(second.search, 'later')).toEqual(['m2']);
    expect(await ids(second.search, 'unseen')).toEqual(['m3']);
  });

  it('rebuilds a corrupt or missing index from the conversations, answering meanwhile', async () => {
    const dir = tempDir();
    const first = open(dir);
    for (let i = 0; i < 30; i++) await first.store.create(conversation(`c${i}`, `chat ${i}`, [message(`m${i}`, `word${i} common`)]));
    await first.search.init();
    await first.search.flush();
    await first.store.flush();
    fs.writeFileSync(path.join(dir, SEARCH_DIR, SEARCH_INDEX_FILE), '{"version":1,"tok');

    const second = open(dir);
    const ready = second.search.init();
    expect((await second.search.search('common')).indexing).toBe(true);
    await ready;
    expect(await second.search.search('common')).toMatchObject({ total: 30, indexing: false });
    expect(second.log.lines.some((line) => /unreadable; rebuilding/.test(line))).toBe(true);
    // And it was saved again, readable.
    const third = open(dir);
    await third.search.init();
    expect((await third.search.search('word7')).hits[0]?.messageId).toBe('m7');

    fs.rmSync(path.join(dir, SEARCH_DIR), { recursive: true });
    const fourth = open(dir);
    await fourth.search.init();
    expect((await fourth.search.search('common')).total).toBe(30);
  });

  it('keeps changes that arrive before the saved index is read', async () => {
    const { store, search } = open(tempDir());
    await store.create(conversation('c1', 't', [message('m1', 'early bird')]));
    await search.init();
    expect(await ids(search, 'early')).toEqual(['m1']);
  });

  it('counts every match but builds only the page shown; phrases checked for the best candidates, the rest estimated', async () => {
    const { store, search } = open(tempDir());
    const n = EXACT_CHECKED * 3;
    // Every message has both words; every other one has them as a phrase.
    const messages = Array.from({ length: n }, (_, i) =>
      message(`m${i}`, i % 2 === 0 ? `alpha beta filler ${i}` : `beta filler alpha ${i}`, {
        createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      }),
    );
    await store.create(conversation('c1', 't', messages));
    await search.init();
    const loose = await search.search('alpha beta', { limit: 10 });
    expect(loose).toMatchObject({ total: n, approximate: false });
    expect(loose.hits).toHaveLength(10);
    const newest = await search.search('alpha', { sort: 'newest', limit: 3 });
    expect(newest.hits.map((h) => h.messageId)).toEqual([`m${n - 1}`, `m${n - 2}`, `m${n - 3}`]);
    const phrase = await search.search('"alpha beta"', { limit: 10 });
    expect(phrase.hits).toHaveLength(10);
    expect(phrase.hits.every((h) => Number(h.messageId!.slice(1)) % 2 === 0)).toBe(true);
    expect(phrase.approximate).toBe(true);
    // Half of those checked passed: about half of all.
    expect(Math.abs(phrase.total - n / 2)).toBeLessThanOrEqual(n / 10);
    // A phrase with few candidates is counted exactly.
    await store.create(conversation('c2', 't', [message('x', 'gamma delta'), message('y', 'delta gamma')]));
    expect(await search.search('"gamma delta"')).toMatchObject({ total: 1, approximate: false });
  });

  it('scores with the lengths of the index as it is now: messages added, edited and deleted after a query count', async () => {
    const { store, search } = open(tempDir());
    await store.create(conversation('c1', 't', [message('m1', 'alpha one')]));
    await search.init();
    expect(await ids(search, 'alpha')).toEqual(['m1']);
    // Added after the first query: found, and the shorter message ranks first (BM25 length normalisation).
    await store.create(conversation('c2', 't', [message('m2', 'alpha')]));
    expect(await ids(search, 'alpha')).toEqual(['m2', 'm1']);
    // m2 edited to a long text: its new length now ranks it below m1.
    await store.update('c2', (c) => {
      c.messages = [message('m2', `alpha ${'filler '.repeat(60)}`)];
    });
    expect(await ids(search, 'alpha')).toEqual(['m1', 'm2']);
    await store.delete('c1');
    expect(await search.search('alpha')).toMatchObject({ total: 1, hits: [{ messageId: 'm2' }] });
  });

  it('checks a phrase against enough candidates even when reading their conversations is slow', async () => {
    const dataDir = tempDir();
    const log = createMemoryLogger();
    const store = new ConversationStore({ dataDir, log, indexDelayMs: 5 });
    // Every read takes longer than the whole phrase-check budget (a cold, long conversation on a busy disk).
    const slow = { list: () => store.list(), snapshot: async (id: string) => { await new Promise((r) => setTimeout(r, 30)); return store.snapshot(id); } };
    const search = new SearchIndex({ dataDir, store: slow, log, saveDelayMs: 5 });
    store.onChanged((change) => {
      if (change.conversation) search.conversationWritten(change.conversation);
    });
    // The best-ranked candidate (shortest) has the words but not the phrase; the other 29 have it.
    await store.create(conversation('c00', 't', [message('m00', 'beta alpha')]));
    for (let i = 1; i < 30; i++) await store.create(conversation(`c${i}`, 't', [message(`m${i}`, `alpha beta and some more words ${i}`)]));
    await search.init();
    const phrase = await search.search('"alpha beta"', { limit: 10 });
    expect(phrase.hits).toHaveLength(10);
    expect(phrase.total).toBeGreaterThanOrEqual(10);
  });
});

describe('TopK', () => {
  it('keeps the best k by key, then tie, earlier offers first, like a stable sort of everything', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ id: i, key: (i * 7919) % 37, tie: (i * 31) % 5 }));
    const top = new TopK(20);
    for (const it of items) top.offer(it.id, it.key, it.tie);
    const expected = [...items].sort((a, b) => b.key - a.key || b.tie - a.tie).slice(0, 20).map((x) => x.id);
    expect(top.sorted()).toEqual(expected);
    const none = new TopK(0);
    none.offer(1, 1, 1);
    expect(none.sorted()).toEqual([]);
  });
});

describe('SearchIndex and attachments', () => {
  it('finds a message by the name of a file attached to it', async () => {
    const { store, search } = open(tempDir());
    await store.create(
      conversation('c1', 'Reports', [
        message('m1', 'Please summarise', {
          attachments: [{ id: 'a'.repeat(64), name: 'quarterly-budget.csv', mime: 'text/csv', size: 10, kind: 'text' }],
        }),
        message('m2', 'Nothing attached here'),
      ]),
    );
    await search.init();
    expect(await ids(search, 'quarterly budget')).toEqual(['m1']);
    expect(await ids(search, 'summarise')).toEqual(['m1']);
  });
});
