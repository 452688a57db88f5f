/**
 * Conversations on disk: one JSON file per conversation in `<dataDir>/conversations/`, each written
 * atomically, plus a summary index so the list opens without reading every file.
 *
 * The files are the truth; the index is a cache. At start-up each file is stat'ed (cheap, no read) and
 * only files whose size or mtime differ from the index are read again, so an index that is missing,
 * corrupt or stale after a crash heals itself. A file that cannot be read is moved to `corrupt/`, logged
 * and reported as a notice; it never takes the list down.
 *
 * Every change to one conversation goes through a per-conversation queue, so two writers (a streaming
 * reply and a rename) can never interleave their read-modify-write.
 *
 * Long conversations stay cheap: parsed conversations are cached, and their messages are frozen there, so
 * a change copies the message array (not 10,000 messages) and a window gets a page of the latest messages
 * (`latest`, `older`) instead of a copy of the whole file. The list is kept sorted between changes and its
 * summaries are frozen, so listing 1,000 conversations neither sorts nor copies them again.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  summarizeConversation,
  type Conversation,
  type ConversationPage,
  type ConversationSummary,
  type Message,
  type MessagePage,
} from '../../../shared/models/conversation';
import type { AppNotice } from '../../../shared/models/preferences';
import { AppFailure } from '../../../shared/result';
import type { Logger } from '../logger';

/** A stored conversation shared read-only (`snapshot`): never changed in place, by the store or its readers. */
export type ConversationSnapshot = Readonly<Omit<Conversation, 'messages'>> & { readonly messages: readonly Readonly<Message>[] };
import { TEMP_SUFFIX, writeFileAtomic } from './atomic-file';
import {
  INDEX_VERSION,
  indexSchema,
  parseConversationFile,
  parseConversationFileInSlices,
  serializeConversation,
  type IndexFile,
} from './conversation-file';

export const CONVERSATIONS_DIR = 'conversations';
export const INDEX_FILE = 'index.json';
export const CORRUPT_DIR = 'corrupt';

/** Conversation ids we create are UUIDs; anything else from IPC must never become a path. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidConversationId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** What `onChanged` reports: a conversation as written, or the id of one deleted. */
export type ConversationChange = { conversation: Conversation; deletedId?: never } | { deletedId: string; conversation?: never };

interface IndexEntry {
  summary: ConversationSummary;
  size: number;
  mtimeMs: number;
}

export interface ConversationStoreOptions {
  dataDir: string;
  log: Logger;
  now?: () => Date;
  /** How long index writes are batched; a burst of updates writes the index once. */
  indexDelayMs?: number;
  /** Parsed conversations kept in memory (most recently used). */
  cacheSize?: number;
}

export class ConversationStore {
  readonly dir: string;
  private readonly indexPath: string;
  private readonly entries = new Map<string, IndexEntry>();
  /** Every summary, most recent activity first; rebuilt on the next list after a change. */
  private sorted: readonly ConversationSummary[] | null = null;
  private readonly cache = new Map<string, Conversation>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly noticeList: AppNotice[] = [];
  private readonly writeListeners: (() => void)[] = [];
  private readonly noticeListeners: ((notice: AppNotice) => void)[] = [];
  private readonly changeListeners: ((change: ConversationChange) => void)[] = [];
  private ready: Promise<void> | null = null;
  private indexTimer: ReturnType<typeof setTimeout> | null = null;
  private indexWrite: Promise<void> = Promise.resolve();
  private indexDirty = false;
  private readonly indexDelayMs: number;
  private readonly cacheSize: number;

  constructor(private readonly options: ConversationStoreOptions) {
    this.dir = path.join(options.dataDir, CONVERSATIONS_DIR);
    this.indexPath = path.join(this.dir, INDEX_FILE);
    this.indexDelayMs = options.indexDelayMs ?? 250;
    this.cacheSize = options.cacheSize ?? 64;
  }

  /** Calls `listener` after every conversation write that succeeded (there is room on the disk again). */
  onWritten(listener: () => void): void {
    this.writeListeners.push(listener);
  }

  /** Calls `listener` with each conversation as written (its messages frozen and shared), or its deletion. */
  onChanged(listener: (change: ConversationChange) => void): void {
    this.changeListeners.push(listener);
  }

  /** Calls `listener` with each notice as it arises (start-up reading goes on after the first window asked). */
  onNotice(listener: (notice: AppNotice) => void): void {
    this.noticeListeners.push(listener);
  }

  /** Conversations that could not be read and were moved aside, for the start-up notice. */
  notices(): AppNotice[] {
    return [...this.noticeList];
  }

  /** Loads the index (healing it from the files when needed). Every public method awaits this. */
  init(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  /** Summaries (frozen: they are shared, never copied), most recent activity first. */
  async list(query?: string): Promise<ConversationSummary[]> {
    await this.init();
    this.sorted ??= Object.freeze([...this.entries.values()].map((e) => e.summary).sort(byActivity));
    const needle = normalizeForSearch(query ?? '');
    if (!needle) return this.sorted.slice();
    return this.sorted.filter((summary) => normalizeForSearch(summary.title).includes(needle));
  }

  /** The conversation's summary (frozen), if it exists. */
  summary(id: string): ConversationSummary | undefined {
    return this.entries.get(id)?.summary;
  }

  /** A full copy of the conversation; NOT_FOUND when it does not exist (or could not be read). */
  async get(id: string): Promise<Conversation> {
    await this.init();
    return this.enqueue(id, async () => structuredClone(await this.read(id)));
  }

  /**
   * The stored conversation itself, not a copy, for readers in main that only look at it (search, the
   * index build, the attachments sweep): copying the 10,000-message conversation took most of a search.
   * It is a consistent snapshot: a change never edits a stored conversation or its (frozen) messages but
   * stores a new object, so a later change is not seen through it. NOT_FOUND as `get`.
   */
  async snapshot(id: string): Promise<ConversationSnapshot> {
    await this.init();
    return this.enqueue(id, () => this.read(id));
  }

  /**
   * The conversation with copies of only its latest `limit` messages, and how many come before them:
   * what a window needs to open it, whatever its length.
   */
  async latest(id: string, limit: number): Promise<ConversationPage> {
    await this.init();
    return this.enqueue(id, async () => {
      const { messages, ...rest } = await this.read(id);
      const start = Math.max(0, messages.length - Math.max(0, limit));
      return { ...rest, messages: structuredClone(messages.slice(start)), olderCount: start };
    });
  }

  /**
   * Copies of up to `limit` messages right before the message `beforeId`, oldest first. NOT_FOUND (context
   * `message`) when that message is no longer in the conversation (an edit or regenerate removed it).
   */
  async older(id: string, beforeId: string, limit: number): Promise<MessagePage> {
    await this.init();
    return this.enqueue(id, async () => {
      const { messages } = await this.read(id);
      const end = lastIndexOfId(messages, beforeId);
      if (end < 0) {
        throw new AppFailure({
          code: 'NOT_FOUND',
          message: 'That message is no longer in the conversation.',
          params: { context: 'message', id: beforeId },
        });
      }
      const start = Math.max(0, end - Math.max(1, limit));
      return { messages: structuredClone(messages.slice(start, end)), olderCount: start };
    });
  }

  async create(conversation: Conversation): Promise<Conversation> {
    await this.init();
    if (!isValidConversationId(conversation.id)) throw new Error(`invalid conversation id ${conversation.id}`);
    return this.enqueue(conversation.id, async () => {
      if (this.entries.has(conversation.id)) throw new Error(`conversation ${conversation.id} already exists`);
      const copy = structuredClone(conversation);
      await this.write(copy);
      return structuredClone(copy);
    });
  }

  /**
   * Read-modify-write of one conversation, serialised with every other change to it; `updatedAt` is set
   * to now unless the mutator says the change is not activity.
   *
   * The mutator gets a copy of the conversation and of its message array, but the messages themselves are
   * the stored ones, frozen: add, remove or replace messages; never edit one in place (that throws). This
   * keeps a save of a 10,000-message conversation from copying every message. The result is shaped the
   * same way: its own object and array, shared frozen messages.
   */
  async update(
    id: string,
    mutate: (conversation: Conversation) => void,
    options: { touch?: boolean } = {},
  ): Promise<Conversation> {
    await this.init();
    return this.enqueue(id, async () => {
      const stored = await this.read(id);
      // A mutator that throws, or a write that fails, leaves the stored conversation as it was.
      const current: Conversation = { ...stored, messages: stored.messages.slice() };
      mutate(current);
      current.id = id;
      if (options.touch !== false) current.updatedAt = this.nowIso(current.updatedAt);
      await this.write(current);
      return { ...current, messages: current.messages.slice() };
    });
  }

  /** Returns false when there was nothing to delete. */
  async delete(id: string): Promise<boolean> {
    await this.init();
    if (!isValidConversationId(id)) return false;
    return this.enqueue(id, async () => {
      const existed = this.dropEntry(id);
      this.cache.delete(id);
      for (const listener of this.changeListeners) listener({ deletedId: id });
      try {
        await fs.rm(this.fileFor(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        if (!existed) return false;
      }
      this.scheduleIndexWrite();
      return true;
    });
  }

  /** Waits for queued writes and writes the index now (before quit, and in tests). */
  async flush(): Promise<void> {
    if (!this.ready) return;
    await this.ready.catch(() => undefined);
    await Promise.allSettled([...this.queues.values()]);
    if (this.indexTimer) {
      clearTimeout(this.indexTimer);
      this.indexTimer = null;
    }
    if (this.indexDirty) await this.writeIndex();
    else await this.indexWrite;
  }

  // ---- internals ----

  /** Every change to the entries goes through here or `dropEntry`, so the sorted list is never stale. */
  private setEntry(id: string, entry: IndexEntry): void {
    Object.freeze(entry.summary);
    this.entries.set(id, entry);
    this.sorted = null;
  }

  private dropEntry(id: string): boolean {
    const existed = this.entries.delete(id);
    if (existed) this.sorted = null;
    return existed;
  }

  private fileFor(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** A strictly increasing timestamp, so the list order follows the order of changes even within 1 ms. */
  private nowIso(previous: string): string {
    const now = (this.options.now?.() ?? new Date()).toISOString();
    if (now > previous) return now;
    const bumped = new Date(Date.parse(previous) + 1);
    return Number.isNaN(bumped.getTime()) ? now : bumped.toISOString();
  }

  private enqueue<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return next;
  }

  private notFound(id: string): AppFailure {
    return new AppFailure({ code: 'NOT_FOUND', message: 'That conversation no longer exists.', params: { id } });
  }

  /** The stored object (not a copy): callers inside the queue clone before handing it out. */
  private async read(id: string): Promise<Conversation> {
    if (!isValidConversationId(id)) throw this.notFound(id);
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    if (!this.entries.has(id)) throw this.notFound(id);
    const file = this.fileFor(id);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.dropEntry(id);
        this.scheduleIndexWrite();
        throw this.notFound(id);
      }
      throw error;
    }
    let conversation: Conversation;
    try {
      conversation = await parseConversationFileInSlices(text, id);
    } catch (error) {
      const aside = await this.moveAside(id, error);
      this.dropEntry(id);
      this.scheduleIndexWrite();
      throw new AppFailure({
        code: 'NOT_FOUND',
        message: `This conversation's file could not be read. It was moved to ${aside}.`,
        params: { context: 'corrupt', id, path: aside },
      });
    }
    this.remember(conversation);
    return conversation;
  }

  /** Caches a conversation; its messages are frozen, as `update` shares them instead of copying them. */
  private remember(conversation: Conversation): void {
    for (const message of conversation.messages) Object.freeze(message);
    this.cache.delete(conversation.id);
    this.cache.set(conversation.id, conversation);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  private async write(conversation: Conversation): Promise<void> {
    const file = this.fileFor(conversation.id);
    await writeFileAtomic(file, serializeConversation(conversation));
    const stat = await fs.stat(file);
    this.setEntry(conversation.id, { summary: summarizeConversation(conversation), size: stat.size, mtimeMs: stat.mtimeMs });
    this.remember(conversation);
    this.scheduleIndexWrite();
    for (const listener of this.writeListeners) listener();
    for (const listener of this.changeListeners) listener({ conversation });
  }

  private scheduleIndexWrite(): void {
    this.indexDirty = true;
    if (this.indexTimer) return;
    this.indexTimer = setTimeout(() => {
      this.indexTimer = null;
      void this.writeIndex().catch((error: unknown) => this.options.log.warn('conversations', 'could not write the index', error));
    }, this.indexDelayMs);
    // The index is only a cache: it must never keep the process alive on its own.
    this.indexTimer.unref?.();
  }

  private writeIndex(): Promise<void> {
    this.indexWrite = this.indexWrite
      .catch(() => undefined)
      .then(async () => {
        if (!this.indexDirty) return;
        this.indexDirty = false;
        const data: IndexFile = { version: INDEX_VERSION, entries: [...this.entries.values()] };
        try {
          await writeFileAtomic(this.indexPath, JSON.stringify(data));
        } catch (error) {
          this.indexDirty = true;
          throw error;
        }
      });
    return this.indexWrite;
  }

  private async moveAside(id: string, reason: unknown): Promise<string> {
    const stamp = (this.options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const corruptDir = path.join(this.dir, CORRUPT_DIR);
    await fs.mkdir(corruptDir, { recursive: true });
    const aside = path.join(corruptDir, `${id}.${stamp}.json`);
    await fs.rename(this.fileFor(id), aside);
    this.options.log.warn('conversations', `conversation ${id} could not be read and was moved to ${aside}`, reason);
    const notice: AppNotice = {
      id: `conversation-corrupt-${id}-${stamp}`,
      code: 'CONVERSATION_CORRUPT_MOVED',
      message: `A conversation could not be read. Its file was moved to ${aside}.`,
      params: { path: aside, id },
    };
    this.noticeList.push(notice);
    for (const listener of this.noticeListeners) listener(notice);
    return aside;
  }

  private async readIndex(): Promise<Map<string, IndexEntry>> {
    const entries = new Map<string, IndexEntry>();
    let text: string;
    try {
      text = await fs.readFile(this.indexPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.log.warn('conversations', 'could not read the conversation index; rebuilding it', error);
      }
      return entries;
    }
    try {
      const parsed = indexSchema.parse(JSON.parse(text));
      for (const entry of parsed.entries) entries.set(entry.summary.id, entry);
    } catch (error) {
      this.options.log.warn('conversations', 'the conversation index was unreadable; rebuilding it from the files', error);
    }
    return entries;
  }

  private async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const indexed = await this.readIndex();
    const names = await fs.readdir(this.dir);
    let changed = false;
    const ids: string[] = [];
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) {
        // Left by a crash between write and rename: the target file still holds the previous version.
        await fs.rm(path.join(this.dir, name), { force: true }).catch(() => undefined);
        continue;
      }
      if (name === INDEX_FILE || !name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      if (isValidConversationId(id)) ids.push(id);
    }
    await mapLimit(ids, 32, async (id) => {
      const file = this.fileFor(id);
      let stat: { size: number; mtimeMs: number };
      try {
        const full = await fs.stat(file);
        stat = { size: full.size, mtimeMs: full.mtimeMs };
      } catch {
        return;
      }
      const known = indexed.get(id);
      if (known && known.size === stat.size && sameMtime(known.mtimeMs, stat.mtimeMs)) {
        this.setEntry(id, known);
        return;
      }
      changed = true;
      try {
        const conversation = parseConversationFile(await fs.readFile(file, 'utf8'), id);
        this.setEntry(id, { summary: summarizeConversation(conversation), size: stat.size, mtimeMs: stat.mtimeMs });
      } catch (error) {
        await this.moveAside(id, error).catch((moveError: unknown) =>
          this.options.log.error('conversations', `could not move the unreadable conversation ${id} aside`, moveError),
        );
      }
    });
    if (indexed.size !== this.entries.size) changed = true;
    if (changed) {
      this.indexDirty = true;
      await this.writeIndex().catch((error: unknown) => this.options.log.warn('conversations', 'could not write the index', error));
    }
  }
}

/**
 * Last activity first; ties (same millisecond) fall back to creation order, then id, so the order is
 * stable. ISO timestamps compare as plain strings (no locale-aware compare: a thousand summaries sort in
 * well under a millisecond).
 */
function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function lastIndexOfId(messages: readonly Message[], id: string): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i;
  return -1;
}

/** Sub-millisecond mtime precision is not kept by every file system, backup or copy tool. */
function sameMtime(a: number, b: number): boolean {
  return Math.abs(a - b) < 1;
}

function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase().trim();
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}
