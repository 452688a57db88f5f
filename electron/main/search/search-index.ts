/**
 * The search index over every message and title, kept in main beside the conversation store.
 *
 * MiniSearch (pure JS, BM25 ranking, prefix matching, incremental add/discard, serialisable) holds the
 * terms. The text is not kept, in memory or in the file: snippets and phrase checks read the few
 * conversations they need through the store. Pure JS because SQLite's FTS would need `node:sqlite`, which Electron's Node may not ship, or better-sqlite3, built against V8's ABI.
 *
 * It follows the store: every write of a conversation reaches `apply`, which re-indexes only what changed
 * (messages are frozen and shared by the store, so an unchanged message is the same object), skips replies
 * still streaming (they are indexed when their final save lands), and drops what was removed.
 *
 * It is saved to `<dataDir>/search/index.json` (atomic write), at most every `saveDelayMs` while it
 * changes and on quit; at start-up it is read back and brought up to date with the conversations that
 * changed since (their `updatedAt` and message count). A missing, corrupt or outdated file is rebuilt from
 * the conversations in the background, in slices that leave main free to answer the window; queries
 * answer meanwhile with what is indexed so far and say so (`indexing`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Conversation, ConversationSummary, Message } from '../../../shared/models/conversation';
import type { ConversationSnapshot } from '../conversations/conversation-store';
import {
  SEARCH_LIMIT_DEFAULT,
  type SearchHit,
  type SearchResults,
  type SearchSort,
} from '../../../shared/models/search';
import { writeFileAtomic } from '../conversations/atomic-file';
import type { Logger } from '../logger';
import { containsExact, fold, indexTerms, parseQuery, snippetOf, TOKENIZER_VERSION, type QueryPart } from './search-text';

export const SEARCH_DIR = 'search';
export const SEARCH_INDEX_FILE = 'index.json';
const FILE_VERSION = 4;

/** What the index needs from the conversation store. */
export interface IndexedStore {
  list(): Promise<ConversationSummary[]>;
  /** The stored conversation, read-only (the index only looks at it). */
  snapshot(id: string): Promise<ConversationSnapshot>;
}

interface DocMeta {
  conversationId: string;
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  date: string;
  position: number;
}

interface MessageRecord {
  docId: number;
  /** The stored (frozen) message last indexed, or after a restart its signature. */
  seen: Message | string;
}

interface ConversationRecord {
  title: string;
  titleDocId: number;
  /** '' when a reply was streaming at the time: indexed again at the next start-up. */
  updatedAt: string;
  messageCount: number;
  messages: Map<string, MessageRecord>;
  /** Bumped by each indexing of the conversation: an older one paused in slices stops. */
  version: number;
}

/** The index file: a header line, then lines `[kind, batch]` (see `serialize`). */
interface FileHeader {
  version: number;
  tokenizer: number;
  nextId: number;
  /** MiniSearch's `toJSON` without its maps, which follow in batches. */
  mini: Record<string, unknown>;
}
/**
 * c: conversations, d: documents, i/l: MiniSearch's ids and field lengths; x: its postings, as items
 * `[term, fieldId, [shortId, tf, shortId, tf, …]]` (a common term's postings are split over several items
 * and lines, so that no line is long: each is parsed within a slice).
 */
type LineKind = 'c' | 'd' | 'i' | 'l' | 'x';
/** About how many numbers a line of the file holds at most (~0.3 MB, parsed in a few ms). */
const LINE_WEIGHT = 40_000;
interface FileConversation {
  id: string;
  title: string;
  titleDocId: number;
  updatedAt: string;
  messageCount: number;
  messages: [string, number, string][];
}
type FileDoc = [number, string, string | null, 'user' | 'assistant' | null, string, number];

export interface SearchIndexOptions {
  dataDir: string;
  store: IndexedStore;
  log: Logger;
  /** How long changes wait before the index file is written again. */
  saveDelayMs?: number;
  /** How long a background slice may run before it yields to other work. */
  sliceMs?: number;
}

const FIELDS = ['title', 'content', 'reasoning'] as const;

function miniSearchOptions() {
  return {
    idField: 'id',
    fields: [...FIELDS],
    storeFields: [],
    tokenize: (text: string) => indexTerms(text),
    // Terms are folded by `indexTerms` already.
    processTerm: (term: string) => term,
    searchOptions: { tokenize: (text: string) => [text], processTerm: (term: string) => term },
    autoVacuum: { minDirtCount: 1000, minDirtFactor: 0.2, batchSize: 2000, batchWait: 20 },
  };
}

function signature(message: Message): string {
  // Attachments only add to the signature where there are any, so indexes written before them stay valid.
  const attached = message.attachments?.length ? `|a${message.attachments.map((a) => a.id.slice(0, 8)).join(',')}` : '';
  return `${message.status}|${message.content.length}|${message.reasoning?.length ?? 0}|${message.createdAt}${attached}`;
}

/** What a message is found by: its text and the names of its attachments. */
function searchableContent(message: Message): string {
  const names = message.attachments?.map((a) => a.name) ?? [];
  return names.length > 0 ? `${message.content}\n${names.join('\n')}` : message.content;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SearchIndex {
  private mini = new MiniSearch(miniSearchOptions());
  private docs = new Map<number, DocMeta>();
  /** Each document's date (ms), by id: what "newest first" ranks by, read per candidate. */
  private dates: number[] = [];
  private readonly conversations = new Map<string, ConversationRecord>();
  private nextId = 1;
  /** Documents added or dropped so far: a save written in slices gives up when this moves under it. */
  private mutations = 0;
  private lengthCache: { mini: MiniInternals; mutations: number; count: number; size: number; byField: Int32Array[] } | null = null;
  private ready: Promise<void> | null = null;
  private loaded = false;
  private busy = false;
  /** Changes that arrived before the saved index was read: applied once it is. */
  private readonly pending = new Map<string, Conversation | null>();
  private dirty = false;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly file: string;
  private readonly saveDelayMs: number;
  private readonly sliceMs: number;

  constructor(private readonly options: SearchIndexOptions) {
    this.file = path.join(options.dataDir, SEARCH_DIR, SEARCH_INDEX_FILE);
    this.saveDelayMs = options.saveDelayMs ?? 30_000;
    this.sliceMs = options.sliceMs ?? 8;
  }

  /** Reads the saved index (or starts rebuilding it) and brings it up to date; resolves once it is. */
  init(): Promise<void> {
    this.ready ??= this.load().catch((error: unknown) => {
      this.busy = false;
      this.options.log.error('search', 'the search index could not be prepared', error);
    });
    return this.ready;
  }

  /** True while the index is read, rebuilt or brought up to date. */
  get indexing(): boolean {
    return !this.loaded || this.busy;
  }

  /** A conversation was written (created, changed, imported). */
  conversationWritten(conversation: Conversation): void {
    if (!this.loaded) {
      this.pending.set(conversation.id, conversation);
      return;
    }
    this.index(conversation);
  }

  conversationDeleted(id: string): void {
    if (!this.loaded) {
      this.pending.set(id, null);
      return;
    }
    this.remove(id);
  }

  /**
   * Answers a query with its best `limit` hits and how many there are, in time bounded by the postings of
   * the query's rarest term, whatever the number of matches:
   *   - candidates are scored straight from MiniSearch's postings (BM25 as MiniSearch computes it, title
   *     boosted ×2, prefix expansions weighted as MiniSearch weighs them) into plain number arrays, without
   *     a result object per match, and only the best `limit` are kept (a bounded heap, by score or by date:
   *     dates are kept in an array by document id);
   *   - the text is not kept in memory nor in the index file: snippets of the hits shown are cut from the
   *     conversations, read through the store (which caches them); phrases and long CJK runs are checked
   *     against the text the same way, for the best candidates only (at most `EXACT_CHECKED`), and the total
   *     is then estimated from the share that passed (`approximate`).
   */
  async search(query: string, options: { sort?: SearchSort; includeReasoning?: boolean; limit?: number } = {}): Promise<SearchResults> {
    void this.init();
    const limit = options.limit ?? SEARCH_LIMIT_DEFAULT;
    const parts = parseQuery(query);
    const empty: SearchResults = { hits: [], total: 0, approximate: false, indexing: this.indexing };
    if (parts.length === 0 || parts.some((p) => p.terms.length === 0)) return empty;
    const fields = options.includeReasoning ? [...FIELDS] : ['title', 'content'];
    const mini = this.mini as unknown as MiniInternals;
    const fieldIds = fields.map((f) => mini._fieldIds[f]!);
    const boosts = fields.map((f) => (f === 'title' ? 2 : 1));
    // One scored set per query term (a typed prefix: the word and the words it starts).
    const termSets: { postings: TermPostings[]; weights: number[] }[] = parts.flatMap((part) =>
      part.terms.map((term, i) => {
        const postings: TermPostings[] = [];
        const weights: number[] = [];
        const exact = mini._index.get(term);
        if (exact) {
          postings.push(exact);
          weights.push(1);
        }
        // A prefix of one or two letters would expand to thousands of words; wait for the third.
        if (part.prefix && i === part.terms.length - 1 && term.length >= 3) {
          for (const [word, data] of mini._index.atPrefix(term)) {
            const distance = word.length - term.length;
            if (!distance) continue;
            postings.push(data);
            weights.push((PREFIX_WEIGHT * word.length) / (word.length + 0.3 * distance));
          }
        }
        return { postings, weights };
      }),
    );
    if (termSets.some((t) => t.postings.length === 0)) return empty;
    // AND, rarest term first: a document stays a candidate only if every earlier term matched it. Scores
    // add up in a typed array by short id (no object, no Map entry per match).
    const size = (t: (typeof termSets)[number]) => t.postings.reduce((n, p) => n + (p.get(fieldIds[1]!)?.size ?? 0), 0);
    termSets.sort((a, b) => size(a) - size(b));
    const acc = new Float64Array(mini._nextId + 1);
    const stamp = new Uint16Array(mini._nextId + 1);
    const matched: number[] = [];
    const last = termSets.length - 1;
    termSets.forEach((set, t) => this.scoreTerm(mini, set.postings, set.weights, fieldIds, boosts, acc, stamp, t, t === last ? matched : null));
    const quality = termSets.length;
    const newest = options.sort === 'newest';
    const exact = parts.some((p) => p.exact);
    const keep = exact ? Math.max(limit, EXACT_CHECKED) : limit;
    const top = new TopK(keep);
    const candidates = matched.length;
    for (const shortId of matched) {
      const score = acc[shortId]! * quality;
      top.offer(shortId, newest ? (this.dates[mini._documentIds.get(shortId)!] ?? 0) : score, newest ? score : 0);
    }
    const ranked = top.sorted();
    const contentPostings = termSets.flatMap((t) => t.postings);
    const contentField = mini._fieldIds.content!;
    const texts = new Map<string, Promise<ConversationSnapshot | null>>();
    const conversationOf = (id: string) => {
      let found = texts.get(id);
      if (!found) {
        found = this.options.store.snapshot(id).catch(() => null);
        texts.set(id, found);
      }
      return found;
    };
    // Read the conversations of the next hits (or candidates to check) ahead, a page at a time.
    let requested = 0;
    const readAhead = (upTo: number) => {
      for (; requested < Math.min(upTo, ranked.length); requested++) {
        const meta = this.docs.get(mini._documentIds.get(ranked[requested]!)!);
        if (meta && meta.messageId !== null) void conversationOf(meta.conversationId);
      }
    };
    const started = performance.now();
    const hits: SearchHit[] = [];
    let checked = 0;
    let passed = 0;
    for (const [i, shortId] of ranked.entries()) {
      if (hits.length >= limit) break;
      // Checking phrases reads conversations: within a budget, then the rest is estimated.
      // At least EXACT_MIN_CHECKED first: one slow read (a cold, long conversation) must not end the check
      // after a single candidate, whose failure would then estimate the total at 0.
      if (exact && checked >= EXACT_MIN_CHECKED && performance.now() - started > EXACT_BUDGET_MS) break;
      readAhead(i + limit);
      const meta = this.docs.get(mini._documentIds.get(shortId)!);
      if (!meta) continue;
      let field: SearchHit['field'] = 'title';
      let text = this.conversations.get(meta.conversationId)?.title ?? '';
      if (meta.messageId !== null) {
        const inContent = contentPostings.some((p) => p.get(contentField)?.has(shortId) ?? false);
        field = inContent || !options.includeReasoning ? 'content' : 'reasoning';
        const conversation = await conversationOf(meta.conversationId);
        const message = conversation?.messages[meta.position]?.id === meta.messageId
          ? conversation.messages[meta.position]
          : conversation?.messages.find((m) => m.id === meta.messageId);
        if (!message) continue;
        text = field === 'reasoning' ? (message.reasoning ?? '') : searchableContent(message);
      }
      if (exact) {
        checked++;
        if (!containsExact(fold(text), parts)) continue;
        passed++;
      }
      hits.push(this.hitOf(meta, field, text, parts));
    }
    let total = candidates;
    let approximate = false;
    if (exact) {
      if (checked >= candidates) total = passed;
      else {
        // Not every candidate was checked against its text: estimate from the share that passed.
        total = Math.max(hits.length, Math.round((passed / Math.max(1, checked)) * candidates));
        approximate = true;
      }
    }
    return { hits, total, approximate, indexing: this.indexing };
  }

  /**
   * Every document's length in each field, by short id (-1: discarded or never added), as typed arrays:
   * scoring a common prefix ("con": 130,000 postings) spent most of its time in MiniSearch's Map of
   * lengths. Built again only when the index changed since the last query, so typing does not rebuild it.
   */
  private fieldLengths(mini: MiniInternals): Int32Array[] {
    const cached = this.lengthCache;
    const size = mini._nextId + 1;
    if (cached && cached.mini === mini && cached.mutations === this.mutations && cached.count === mini._fieldLength.size && cached.size === size) {
      return cached.byField;
    }
    const fieldCount = Object.keys(mini._fieldIds).length;
    const byField = Array.from({ length: fieldCount }, () => new Int32Array(size).fill(-1));
    for (const [shortId, lengths] of mini._fieldLength) {
      for (let f = 0; f < fieldCount; f++) byField[f]![shortId] = lengths[f] ?? 0;
    }
    this.lengthCache = { mini, mutations: this.mutations, count: mini._fieldLength.size, size, byField };
    return byField;
  }

  /**
   * Adds the BM25 of one query term (and its prefix expansions, weighted as MiniSearch weighs them) to
   * `acc` for the documents every earlier term matched (`stamp` = t), marking them as matched by this one
   * (t + 1); the last term lists them in `matched`.
   */
  private scoreTerm(
    mini: MiniInternals,
    postings: TermPostings[],
    weights: number[],
    fieldIds: number[],
    boosts: number[],
    acc: Float64Array,
    stamp: Uint16Array,
    t: number,
    matched: number[] | null,
  ): void {
    const total = mini._documentCount;
    const lengths = this.fieldLengths(mini);
    for (let p = 0; p < postings.length; p++) {
      const data = postings[p]!;
      const weight = weights[p]!;
      for (let f = 0; f < fieldIds.length; f++) {
        const fieldId = fieldIds[f]!;
        const freqs = data.get(fieldId);
        if (!freqs) continue;
        const matching = freqs.size;
        const avg = mini._avgFieldLength[fieldId]!;
        const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
        const factor = weight * boosts[f]!;
        const fieldLengths = lengths[fieldId]!;
        for (const [shortId, tf] of freqs) {
          const s = stamp[shortId]!;
          if (s < t) continue;
          // Discarded documents lose their lengths at once; MiniSearch drops their postings lazily.
          const len = fieldLengths[shortId]!;
          if (!(len >= 0)) continue;
          acc[shortId] = acc[shortId]! + factor * idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * len) / avg)));
          if (s === t) {
            stamp[shortId] = t + 1;
            matched?.push(shortId);
          }
        }
      }
    }
  }

  /**
   * Writes the index file now if it changed (before quit, and in tests). Not while it is still being read
   * or rebuilt: quitting does not wait for that, and the next start-up picks up where it is.
   */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (!this.loaded || this.busy) return;
    if (this.dirty) await this.save();
    else await this.saving;
  }

  // ---- internals ----

  private hitOf(meta: DocMeta, field: SearchHit['field'], text: string, parts: readonly QueryPart[]): SearchHit {
    const record = this.conversations.get(meta.conversationId);
    return {
      conversationId: meta.conversationId,
      conversationTitle: record?.title ?? '',
      messageId: meta.messageId,
      role: meta.role,
      field,
      date: meta.date,
      position: meta.position,
      snippet: snippetOf(text, parts),
    };
  }

  private addDoc(meta: DocMeta, content: string, reasoning: string): number {
    this.mutations++;
    const id = this.nextId++;
    this.setMeta(id, meta);
    if (meta.messageId === null) this.mini.add({ id, title: content });
    else this.mini.add({ id, content, reasoning });
    return id;
  }

  private setMeta(id: number, meta: DocMeta): void {
    this.docs.set(id, meta);
    this.dates[id] = Date.parse(meta.date) || 0;
  }

  private dropDoc(id: number): void {
    if (!this.docs.delete(id)) return;
    this.mutations++;
    this.mini.discard(id);
  }

  private index(conversation: Conversation): void {
    for (const _ of this.indexSteps(conversation));
  }

  /**
   * Indexes a conversation in slices of at most `sliceMs` (the build at start-up: a 10,000-message
   * conversation takes most of a second). A write of the same conversation meanwhile indexes all of it at
   * once and this one stops (its copy is older).
   */
  private async indexInSlices(conversation: ConversationSnapshot, clock: { start: number }): Promise<void> {
    for (const _ of this.indexSteps(conversation)) {
      if (performance.now() - clock.start > this.sliceMs) {
        await yieldToOthers();
        clock.start = performance.now();
      }
    }
  }

  /** Indexes a conversation, pausing after each message it adds (see `indexInSlices`). */
  private *indexSteps(conversation: ConversationSnapshot): Generator<void, void, void> {
    let record = this.conversations.get(conversation.id);
    if (!record) {
      record = { title: '', titleDocId: 0, updatedAt: '', messageCount: 0, messages: new Map(), version: 0 };
      this.conversations.set(conversation.id, record);
    }
    const version = ++record.version;
    const current = () => this.conversations.get(conversation.id) === record && record.version === version;
    if (record.titleDocId === 0 || record.title !== conversation.title) {
      if (record.titleDocId) this.dropDoc(record.titleDocId);
      record.title = conversation.title;
      record.titleDocId = this.addDoc({
        conversationId: conversation.id,
        messageId: null,
        role: null,
        date: conversation.updatedAt,
        position: 0,
      }, conversation.title, '');
    } else {
      const meta = this.docs.get(record.titleDocId);
      if (meta) this.setMeta(record.titleDocId, { ...meta, date: conversation.updatedAt });
    }
    const seen = new Set<string>();
    let streaming = false;
    for (const [position, message] of conversation.messages.entries()) {
      if (message.status === 'streaming') {
        streaming = true;
        continue;
      }
      seen.add(message.id);
      const known = record.messages.get(message.id);
      if (known && (known.seen === message || known.seen === signature(message))) {
        known.seen = message;
        const meta = this.docs.get(known.docId);
        if (meta) meta.position = position;
        continue;
      }
      if (known) this.dropDoc(known.docId);
      const docId = this.addDoc({
        conversationId: conversation.id,
        messageId: message.id,
        role: message.role,
        date: message.createdAt,
        position,
      }, searchableContent(message), message.reasoning ?? '');
      record.messages.set(message.id, { docId, seen: message });
      yield;
      if (!current()) return;
    }
    for (const [id, known] of record.messages) {
      if (seen.has(id)) continue;
      // A reply still streaming keeps what it had; anything else no longer in the conversation goes.
      if (conversation.messages.some((m) => m.id === id)) continue;
      this.dropDoc(known.docId);
      record.messages.delete(id);
    }
    record.updatedAt = streaming ? '' : conversation.updatedAt;
    record.messageCount = conversation.messages.length;
    this.changed();
  }

  private remove(id: string): void {
    const record = this.conversations.get(id);
    if (!record) return;
    this.dropDoc(record.titleDocId);
    for (const known of record.messages.values()) this.dropDoc(known.docId);
    this.conversations.delete(id);
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    if (this.saveTimer || !this.loaded || this.busy) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.save().catch((error: unknown) => this.options.log.warn('search', 'could not save the search index', error));
    }, this.saveDelayMs);
    this.saveTimer.unref?.();
  }

  private save(): Promise<void> {
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        const lines = await this.serialize();
        if (!lines) {
          // Changed while it was written out: again later.
          this.changed();
          return;
        }
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        try {
          await writeFileAtomic(this.file, lines);
        } catch (error) {
          this.dirty = true;
          throw error;
        }
      });
    return this.saving;
  }

  /**
   * The index file as lines of JSON, built in slices of at most `sliceMs` (one `JSON.stringify` of the
   * whole would hold main for a few hundred ms), so that it can also be read back in slices: a header,
   * then batches of conversations, documents and MiniSearch's own state (ids, field lengths, postings),
   * each line at most ~LINE_WEIGHT numbers: a batch of 500 terms used to hold common terms' postings whole
   * (tens of thousands of pairs), a 0.25-0.35 s stall to build and as much to parse back (profiled).
   * Null when the index changed meanwhile.
   */
  private async serialize(): Promise<string[] | null> {
    const mini = this.mini as unknown as MiniInternals;
    const mutations = this.mutations;
    const lines: string[] = [];
    let start = performance.now();
    const tick = async () => {
      if (performance.now() - start <= this.sliceMs) return true;
      await yieldToOthers();
      start = performance.now();
      return this.mutations === mutations;
    };
    const header: FileHeader = {
      version: FILE_VERSION,
      tokenizer: TOKENIZER_VERSION,
      nextId: this.nextId,
      mini: {
        documentCount: mini._documentCount,
        nextId: mini._nextId,
        fieldIds: mini._fieldIds,
        averageFieldLength: mini._avgFieldLength,
        dirtCount: mini._dirtCount,
        serializationVersion: 2,
      },
    };
    lines.push(JSON.stringify(header));
    /** Items in lines of at most ~LINE_WEIGHT numbers (`weight` of an item), yielding between lines. */
    const batches = async <T>(kind: LineKind, items: Iterable<T>, weight: (item: T) => number, map: (item: T) => unknown) => {
      let batch: unknown[] = [];
      let total = 0;
      for (const item of items) {
        batch.push(map(item));
        total += weight(item);
        if (total < LINE_WEIGHT) continue;
        lines.push(JSON.stringify([kind, batch]));
        batch = [];
        total = 0;
        if (!(await tick())) return false;
      }
      if (batch.length) lines.push(JSON.stringify([kind, batch]));
      return true;
    };
    /** A term's postings, cut in items of at most LINE_WEIGHT numbers. */
    function* postingItems(): Generator<[string, number, number[]]> {
      for (const [term, data] of mini._index as unknown as Iterable<[string, TermPostings]>) {
        for (const [fieldId, freqs] of data) {
          let flat: number[] = [];
          for (const [shortId, tf] of freqs) {
            flat.push(shortId, tf);
            if (flat.length >= LINE_WEIGHT) {
              yield [term, fieldId, flat];
              flat = [];
            }
          }
          if (flat.length) yield [term, fieldId, flat];
        }
      }
    }
    const ok =
      (await batches('c', this.conversations, ([, r]) => 4 + 3 * r.messages.size, ([id, r]) => ({
        id,
        title: r.title,
        titleDocId: r.titleDocId,
        updatedAt: r.updatedAt,
        messageCount: r.messageCount,
        messages: [...r.messages].map(([messageId, m]) => [messageId, m.docId, typeof m.seen === 'string' ? m.seen : signature(m.seen)]),
      }))) &&
      (await batches('d', this.docs, () => 6, ([id, d]) => [id, d.conversationId, d.messageId, d.role, d.date, d.position])) &&
      (await batches('i', mini._documentIds, () => 2, (entry) => entry)) &&
      (await batches('l', mini._fieldLength, (entry) => 1 + entry[1].length, (entry) => entry)) &&
      (await batches('x', postingItems(), (item) => 2 + item[2].length, (item) => item));
    return ok && this.mutations === mutations ? lines.map((line) => `${line}\n`) : null;
  }

  private async load(): Promise<void> {
    this.busy = true;
    const restored = await this.readFile();
    this.loaded = true;
    for (const [id, change] of this.pending) {
      if (change) this.index(change);
      else this.remove(id);
    }
    this.pending.clear();
    // Bring it up to date: conversations changed, added or removed since it was saved (or all of them).
    const summaries = await this.options.store.list();
    const live = new Set(summaries.map((s) => s.id));
    for (const id of [...this.conversations.keys()]) if (!live.has(id)) this.remove(id);
    const clock = { start: performance.now() };
    const uncache = cacheTermLeaves(this.mini);
    try {
      await this.catchUp(summaries, clock);
    } finally {
      uncache();
    }
    this.busy = false;
    if (this.dirty || !restored) {
      this.dirty = true;
      await this.save().catch((error: unknown) => this.options.log.warn('search', 'could not save the search index', error));
    }
  }

  /** Indexes the conversations whose `updatedAt` or message count differ from what the index knows. */
  private async catchUp(summaries: ConversationSummary[], clock: { start: number }): Promise<void> {
    for (const summary of summaries) {
      const record = this.conversations.get(summary.id);
      if (record && record.updatedAt === summary.updatedAt && record.messageCount === summary.messageCount) continue;
      try {
        await this.indexInSlices(await this.options.store.snapshot(summary.id), clock);
      } catch (error) {
        // Gone meanwhile, or unreadable (the store moved it aside and reports it).
        this.options.log.warn('search', `could not index conversation ${summary.id}`, error);
      }
      if (performance.now() - clock.start > this.sliceMs) {
        await yieldToOthers();
        clock.start = performance.now();
      }
    }
  }

  /**
   * Restores the saved index, reading its lines in slices of at most `sliceMs`; false (start from nothing)
   * when it is missing, unreadable or outdated.
   */
  private async readFile(): Promise<boolean> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log.warn('search', 'could not read the search index; rebuilding it', error);
      return false;
    }
    try {
      let pos = 0;
      const nextLine = (): unknown => {
        if (pos >= bytes.length) return undefined;
        let end = bytes.indexOf(10, pos);
        if (end < 0) end = bytes.length;
        const line = bytes.toString('utf8', pos, end);
        pos = end + 1;
        return JSON.parse(line) as unknown;
      };
      const header = nextLine() as FileHeader | undefined;
      if (!header || header.version !== FILE_VERSION || header.tokenizer !== TOKENIZER_VERSION) {
        this.options.log.info('search', 'the search index was built by another version; rebuilding it');
        return false;
      }
      if (header.mini.serializationVersion !== 2) throw new Error('unknown MiniSearch state');
      const docs = new Map<number, DocMeta>();
      const dates: number[] = [];
      const conversations = new Map<string, ConversationRecord>();
      // MiniSearch's state rebuilt here, line by line within slices (its loadJS/loadJSAsync build every map
      // in one go: a ~0.5 s stall for 66,000 messages), the same fields its `loadJS` sets.
      const mini = new MiniSearch(miniSearchOptions());
      const state = mini as unknown as MiniInternals;
      const documentIds = new Map<number, number>();
      const idToShortId = new Map<number, number>();
      const fieldLength = new Map<number, number[]>();
      const index = state._index;
      let term = '';
      let termData: TermPostings | undefined;
      let start = performance.now();
      for (let line = nextLine(); line !== undefined; line = nextLine()) {
        const [kind, batch] = line as [LineKind, unknown[]];
        for (const item of batch) {
          if (kind === 'c') {
            const c = item as FileConversation;
            conversations.set(c.id, {
              title: c.title,
              titleDocId: c.titleDocId,
              updatedAt: c.updatedAt,
              messageCount: c.messageCount,
              messages: new Map(c.messages.map(([messageId, docId, seen]) => [messageId, { docId, seen }])),
              version: 0,
            });
          } else if (kind === 'd') {
            const [id, conversationId, messageId, role, date, position] = item as FileDoc;
            docs.set(id, { conversationId, messageId, role, date, position });
            dates[id] = Date.parse(date) || 0;
          } else if (kind === 'i') {
            const [k, v] = item as [number, number];
            documentIds.set(k, v);
            idToShortId.set(v, k);
          } else if (kind === 'l') {
            const [k, v] = item as [number, number[]];
            fieldLength.set(k, v);
          } else if (kind === 'x') {
            const [t, fieldId, flat] = item as [string, number, number[]];
            if (t !== term || !termData) {
              term = t;
              termData = index.get(t);
              if (!termData) {
                termData = new Map();
                index.set(t, termData);
              }
            }
            let freqs = termData.get(fieldId);
            if (!freqs) {
              freqs = new Map();
              termData.set(fieldId, freqs);
            }
            for (let i = 0; i + 1 < flat.length; i += 2) freqs.set(flat[i]!, flat[i + 1]!);
          } else throw new Error(`unknown line kind ${String(kind)}`);
        }
        if (performance.now() - start > this.sliceMs) {
          await yieldToOthers();
          start = performance.now();
        }
      }
      const m = header.mini as { documentCount: number; nextId: number; fieldIds: Record<string, number>; averageFieldLength: number[]; dirtCount?: number };
      Object.assign(state, {
        _documentCount: m.documentCount,
        _nextId: m.nextId,
        _fieldIds: m.fieldIds,
        _avgFieldLength: m.averageFieldLength,
        _dirtCount: m.dirtCount ?? 0,
        _documentIds: documentIds,
        _idToShortId: idToShortId,
        _fieldLength: fieldLength,
        _storedFields: new Map(),
      });
      if (!Number.isInteger(header.nextId) || mini.documentCount !== docs.size || documentIds.size !== docs.size) {
        throw new Error('the index and its documents disagree');
      }
      this.mini = mini;
      this.docs = docs;
      this.dates = dates;
      for (const [id, record] of conversations) this.conversations.set(id, record);
      this.nextId = header.nextId;
      return true;
    } catch (error) {
      this.options.log.warn('search', 'the search index was unreadable; rebuilding it from the conversations', error);
      return false;
    }
  }

}


/**
 * For a bulk build: each term's postings object in MiniSearch's radix tree, kept in a hash map, so adding
 * another occurrence of a known term is one lookup instead of a walk down the tree, which scans a node's
 * children one by one (thousands at the root once CJK text has been indexed: every character is a child).
 * That walk was most of the build's time (profiled: 2.1 s of 5.4 s for 66,000 messages). An entry stays right
 * while its term stays in the tree (splitting a node keeps the leaf's object), so deleting or replacing a
 * term drops it. Returns the function that removes the cache; only the build uses it (its memory is one
 * entry per distinct term).
 */
export function cacheTermLeaves(mini: MiniSearch): () => void {
  // The instance's own properties shadow the class's methods (`own`) until removed.
  const index = (mini as unknown as MiniInternals)._index as unknown as Partial<SearchableMapMethods>;
  const own = Object.getPrototypeOf(index) as SearchableMapMethods;
  const cache = new Map<string, TermPostings>();
  index.fetch = (term: string, initial: () => TermPostings) => {
    let postings = cache.get(term);
    if (postings === undefined) {
      postings = own.fetch.call(index, term, initial);
      cache.set(term, postings);
    }
    return postings;
  };
  index.delete = (term: string) => {
    cache.delete(term);
    own.delete.call(index, term);
  };
  index.set = (term: string, postings: TermPostings) => {
    cache.delete(term);
    return own.set.call(index, term, postings);
  };
  return () => {
    delete index.fetch;
    delete index.delete;
    delete index.set;
    cache.clear();
  };
}

/** The SearchableMap methods that change which object a term's postings are. */
interface SearchableMapMethods {
  fetch(term: string, initial: () => TermPostings): TermPostings;
  delete(term: string): void;
  set(term: string, postings: TermPostings): unknown;
}

/** MiniSearch's postings of a term: field id -> document short id -> term frequency. */
export type TermPostings = Map<number, Map<number, number>>;

/**
 * The parts of MiniSearch 7's private state read directly: by the query (scoring without a result object
 * per match), the index file's writer and its reader (which rebuilds them in slices instead of loadJS).
 * They are not MiniSearch's API, so `minisearch` is pinned to an exact version in package.json (7.2.0);
 * tests/unit/main/search/minisearch-internals.test.ts fails if an upgrade renames or reshapes them.
 */
export interface MiniInternals {
  _index: {
    get(term: string): TermPostings | undefined;
    set(term: string, data: TermPostings): unknown;
    atPrefix(prefix: string): Iterable<[string, TermPostings]>;
  };
  _documentIds: Map<number, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _idToShortId: Map<number, number>;
  _storedFields: Map<number, unknown>;
  _dirtCount: number;
}

/** MiniSearch's defaults, as its own `search` scores. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
/** Phrases and long CJK runs are checked against the text for at most this many of the best candidates. */
export const EXACT_CHECKED = 200;
/** ...and for as long as this (ms) reading their conversations, after which the total is estimated. */
const EXACT_BUDGET_MS = 20;
/** ...but never fewer candidates than this (when there are as many). */
const EXACT_MIN_CHECKED = 20;

/**
 * The best `k` of a stream of (id, key, tie) by key then tie, highest first: a min-heap of size k, so
 * offering n candidates costs O(n log k) and no more than k are kept.
 */
export class TopK {
  private readonly ids: number[] = [];
  private readonly keys: number[] = [];
  private readonly ties: number[] = [];
  private order = 0;
  private readonly seq: number[] = [];

  constructor(private readonly k: number) {}

  /** a ranks below b (worse). Earlier offers win ties, as a stable sort would keep them. */
  private worse(a: number, b: number): boolean {
    const { keys, ties, seq } = this;
    if (keys[a] !== keys[b]) return keys[a]! < keys[b]!;
    if (ties[a] !== ties[b]) return ties[a]! < ties[b]!;
    return seq[a]! > seq[b]!;
  }

  private swap(a: number, b: number): void {
    for (const arr of [this.ids, this.keys, this.ties, this.seq]) {
      const t = arr[a]!;
      arr[a] = arr[b]!;
      arr[b] = t;
    }
  }

  offer(id: number, key: number, tie: number): void {
    const n = this.ids.length;
    const seq = this.order++;
    if (n < this.k) {
      this.ids.push(id);
      this.keys.push(key);
      this.ties.push(tie);
      this.seq.push(seq);
      let i = n;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    if (this.k === 0) return;
    // Not better than the worst kept: drop it.
    const root = this.keys[0]!;
    if (key < root || (key === root && (tie < this.ties[0]! || tie === this.ties[0]!))) return;
    this.ids[0] = id;
    this.keys[0] = key;
    this.ties[0] = tie;
    this.seq[0] = seq;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.worse(l, m)) m = l;
      if (r < n && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** The ids kept, best first. */
  sorted(): number[] {
    const idx = this.ids.map((_, i) => i);
    idx.sort((a, b) => (this.worse(a, b) ? 1 : this.worse(b, a) ? -1 : 0));
    return idx.map((i) => this.ids[i]!);
  }
}
