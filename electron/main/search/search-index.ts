/**
 * The search index over every message and title, kept in main beside the conversation store.
 *
 * MiniSearch (pure JS, BM25 ranking, prefix matching, incremental add/discard, serialisable) holds the
 * terms; the text itself is kept here for snippets and for checking phrases. Pure JS because SQLite's FTS
 * would need `node:sqlite`, which Electron's Node may not ship, or better-sqlite3, built against V8's ABI.
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
import MiniSearch, { type Query } from 'minisearch';
import type { Conversation, ConversationSummary, Message } from '../../../shared/models/conversation';
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
const FILE_VERSION = 1;

/** What the index needs from the conversation store. */
export interface IndexedStore {
  list(): Promise<ConversationSummary[]>;
  get(id: string): Promise<Conversation>;
}

interface DocMeta {
  conversationId: string;
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  date: string;
  position: number;
  content: string;
  reasoning: string;
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
}

interface IndexFile {
  version: number;
  tokenizer: number;
  nextId: number;
  conversations: { id: string; title: string; titleDocId: number; updatedAt: string; messageCount: number; messages: [string, number, string][] }[];
  docs: [number, string, string | null, 'user' | 'assistant' | null, string, number, string, string][];
  index: unknown;
}

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
  return `${message.status}|${message.content.length}|${message.reasoning?.length ?? 0}|${message.createdAt}`;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SearchIndex {
  private mini = new MiniSearch(miniSearchOptions());
  private readonly docs = new Map<number, DocMeta>();
  private readonly conversations = new Map<string, ConversationRecord>();
  private nextId = 1;
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

  search(query: string, options: { sort?: SearchSort; includeReasoning?: boolean; limit?: number } = {}): SearchResults {
    void this.init();
    const limit = options.limit ?? SEARCH_LIMIT_DEFAULT;
    const parts = parseQuery(query);
    const empty = { hits: [], total: 0, indexing: this.indexing };
    if (parts.length === 0 || parts.some((p) => p.terms.length === 0)) return empty;
    const fields = options.includeReasoning ? [...FIELDS] : ['title', 'content'];
    const tree: Query = {
      combineWith: 'AND',
      queries: parts.flatMap((part) =>
        part.terms.map((term, i) => ({
          queries: [term],
          // A prefix of one or two letters would expand to thousands of words; wait for the third.
          prefix: part.prefix && i === part.terms.length - 1 && term.length >= 3,
          combineWith: 'OR' as const,
        })),
      ),
    };
    let found = this.mini.search(tree, { fields, boost: { title: 2 } });
    if (options.sort === 'newest') {
      found = found.slice().sort((a, b) => {
        const da = this.docs.get(a.id as number)?.date ?? '';
        const db = this.docs.get(b.id as number)?.date ?? '';
        return da < db ? 1 : da > db ? -1 : 0;
      });
    }
    const exact = parts.some((p) => p.exact);
    const hits: SearchHit[] = [];
    let total = 0;
    for (const result of found) {
      const meta = this.docs.get(result.id as number);
      if (!meta) continue;
      const field = meta.messageId === null ? 'title' : pickField(result.match, options.includeReasoning ?? false);
      const text = field === 'reasoning' ? meta.reasoning : meta.content;
      if (exact && !containsExact(fold(text), parts)) continue;
      total++;
      if (hits.length < limit) hits.push(this.hitOf(meta, field, text, parts));
    }
    return { hits, total, indexing: this.indexing };
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

  private addDoc(meta: DocMeta): number {
    const id = this.nextId++;
    this.docs.set(id, meta);
    if (meta.messageId === null) this.mini.add({ id, title: meta.content });
    else this.mini.add({ id, content: meta.content, reasoning: meta.reasoning });
    return id;
  }

  private dropDoc(id: number): void {
    if (!this.docs.delete(id)) return;
    this.mini.discard(id);
  }

  private index(conversation: Conversation): void {
    let record = this.conversations.get(conversation.id);
    if (!record) {
      record = { title: '', titleDocId: 0, updatedAt: '', messageCount: 0, messages: new Map() };
      this.conversations.set(conversation.id, record);
    }
    if (record.titleDocId === 0 || record.title !== conversation.title) {
      if (record.titleDocId) this.dropDoc(record.titleDocId);
      record.title = conversation.title;
      record.titleDocId = this.addDoc({
        conversationId: conversation.id,
        messageId: null,
        role: null,
        date: conversation.updatedAt,
        position: 0,
        content: conversation.title,
        reasoning: '',
      });
    } else {
      const meta = this.docs.get(record.titleDocId);
      if (meta) meta.date = conversation.updatedAt;
    }
    const seen = new Set<string>();
    let streaming = false;
    conversation.messages.forEach((message, position) => {
      if (message.status === 'streaming') {
        streaming = true;
        return;
      }
      seen.add(message.id);
      const known = record.messages.get(message.id);
      if (known && (known.seen === message || known.seen === signature(message))) {
        known.seen = message;
        const meta = this.docs.get(known.docId);
        if (meta) meta.position = position;
        return;
      }
      if (known) this.dropDoc(known.docId);
      const docId = this.addDoc({
        conversationId: conversation.id,
        messageId: message.id,
        role: message.role,
        date: message.createdAt,
        position,
        content: message.content,
        reasoning: message.reasoning ?? '',
      });
      record.messages.set(message.id, { docId, seen: message });
    });
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
        const data: IndexFile = {
          version: FILE_VERSION,
          tokenizer: TOKENIZER_VERSION,
          nextId: this.nextId,
          conversations: [...this.conversations].map(([id, r]) => ({
            id,
            title: r.title,
            titleDocId: r.titleDocId,
            updatedAt: r.updatedAt,
            messageCount: r.messageCount,
            messages: [...r.messages].map(([messageId, m]) => [
              messageId,
              m.docId,
              typeof m.seen === 'string' ? m.seen : signature(m.seen),
            ]),
          })),
          docs: [...this.docs].map(([id, d]) => [id, d.conversationId, d.messageId, d.role, d.date, d.position, d.content, d.reasoning]),
          index: this.mini,
        };
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        try {
          await writeFileAtomic(this.file, JSON.stringify(data));
        } catch (error) {
          this.dirty = true;
          throw error;
        }
      });
    return this.saving;
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
    let sliceStart = performance.now();
    for (const summary of summaries) {
      const record = this.conversations.get(summary.id);
      if (record && record.updatedAt === summary.updatedAt && record.messageCount === summary.messageCount) continue;
      try {
        this.index(await this.options.store.get(summary.id));
      } catch (error) {
        // Gone meanwhile, or unreadable (the store moved it aside and reports it).
        this.options.log.warn('search', `could not index conversation ${summary.id}`, error);
      }
      if (performance.now() - sliceStart > this.sliceMs) {
        await yieldToOthers();
        sliceStart = performance.now();
      }
    }
    this.busy = false;
    if (this.dirty || !restored) {
      this.dirty = true;
      await this.save().catch((error: unknown) => this.options.log.warn('search', 'could not save the search index', error));
    }
  }

  /** Restores the saved index; false (start from nothing) when it is missing, unreadable or outdated. */
  private async readFile(): Promise<boolean> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log.warn('search', 'could not read the search index; rebuilding it', error);
      return false;
    }
    try {
      const data = JSON.parse(text) as IndexFile;
      if (data.version !== FILE_VERSION || data.tokenizer !== TOKENIZER_VERSION) {
        this.options.log.info('search', 'the search index was built by another version; rebuilding it');
        return false;
      }
      const mini = await MiniSearch.loadJSAsync(data.index as Parameters<typeof MiniSearch.loadJSAsync>[0], miniSearchOptions());
      const docs = new Map<number, DocMeta>();
      for (const [id, conversationId, messageId, role, date, position, content, reasoning] of data.docs) {
        docs.set(id, { conversationId, messageId, role, date, position, content, reasoning });
      }
      const conversations = new Map<string, ConversationRecord>();
      for (const c of data.conversations) {
        conversations.set(c.id, {
          title: c.title,
          titleDocId: c.titleDocId,
          updatedAt: c.updatedAt,
          messageCount: c.messageCount,
          messages: new Map(c.messages.map(([messageId, docId, seen]) => [messageId, { docId, seen }])),
        });
      }
      if (!Number.isInteger(data.nextId) || mini.documentCount !== docs.size) throw new Error('the index and its documents disagree');
      this.mini = mini;
      for (const [id, meta] of docs) this.docs.set(id, meta);
      for (const [id, record] of conversations) this.conversations.set(id, record);
      this.nextId = data.nextId;
      return true;
    } catch (error) {
      this.options.log.warn('search', 'the search index was unreadable; rebuilding it from the conversations', error);
      return false;
    }
  }
}

function pickField(match: Record<string, string[]>, includeReasoning: boolean): SearchHit['field'] {
  let reasoning = false;
  for (const fields of Object.values(match)) {
    if (fields.includes('content')) return 'content';
    if (fields.includes('reasoning')) reasoning = true;
  }
  return reasoning && includeReasoning ? 'reasoning' : 'content';
}
