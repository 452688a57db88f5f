/**
 * Key health across restarts: `<dataDir>/key-health.json` holds what the KeyHealthBook learned (a key the
 * server rejected stays invalid until the user edits it; a key cooling down keeps cooling; last used and
 * last error stay in Settings), so a restart neither knocks on a revoked key again nor hammers a key that
 * was told to wait.
 *
 * - Saved atomically (atomic-file.ts), at most every `saveDelayMs` after a change, and once more on
 *   dispose: a kill -9 leaves the last whole file, never a torn one.
 * - Read once at start-up, synchronously (a few KB), before any request: a missing file is a clean start;
 *   an unreadable one is moved aside with a log line and the app starts clean (never a crash: the worst a
 *   lost file costs is one more 429 or 401).
 * - On load, a cooldown that has ended is dropped, and so is the health of a provider or key that no
 *   longer exists (`known`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { writeFileAtomic } from '../../conversations/atomic-file';
import type { KeyHealthBook, KeyHealthEntry } from './key-pool';

export const KEY_HEALTH_FILE = 'key-health.json';
export const KEY_HEALTH_SAVE_DELAY_MS = 500;

const entrySchema = z.object({
  providerId: z.string().min(1),
  keyId: z.string(),
  lastUsedAt: z.number().finite().optional(),
  lastError: z
    .object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })
    .optional(),
  coolingUntil: z.number().finite().optional(),
  invalid: z.boolean().optional(),
  strikes: z.number().int().min(0).default(0),
});

const fileSchema = z.object({ version: z.literal(1), keys: z.array(entrySchema) });

export interface KeyHealthFileDeps {
  dataDir: string;
  book: KeyHealthBook;
  log: Logger;
  /** The book's clock (a cooldown that ended before start-up is dropped). */
  now: () => number;
  /** Does this provider still hold this key? Health of anything else is dropped on load. */
  known: (providerId: string, keyId: string) => boolean;
  saveDelayMs?: number;
}

export class KeyHealthFile {
  readonly file: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: KeyHealthFileDeps) {
    this.file = path.join(deps.dataDir, KEY_HEALTH_FILE);
  }

  /** Reads the file into the book and saves every later change. */
  start(): void {
    const entries = this.read();
    const now = this.deps.now();
    const kept: KeyHealthEntry[] = [];
    for (const entry of entries) {
      if (!this.deps.known(entry.providerId, entry.keyId)) continue;
      const { coolingUntil, ...rest } = entry;
      const next: KeyHealthEntry = coolingUntil !== undefined && coolingUntil > now ? { ...rest, coolingUntil } : rest;
      if (next.invalid || next.coolingUntil !== undefined || next.lastError || next.lastUsedAt !== undefined) kept.push(next);
    }
    this.deps.book.restore(kept);
    if (kept.length !== entries.length) this.schedule();
    this.unsubscribe = this.deps.book.onChanged(() => this.schedule());
  }

  private read(): KeyHealthEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.deps.log.warn('providers', 'could not read the key health file; starting with fresh key health', error);
      return [];
    }
    try {
      return fileSchema.parse(JSON.parse(text)).keys as KeyHealthEntry[];
    } catch (error) {
      this.moveAside(error);
      return [];
    }
  }

  private moveAside(error: unknown): void {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = `${this.file}.corrupt-${stamp}`;
    try {
      fs.renameSync(this.file, aside);
      this.deps.log.warn('providers', `key health file was unreadable and was moved to ${aside}; starting with fresh key health`, error);
    } catch (renameError) {
      this.deps.log.warn('providers', 'key health file was unreadable and could not be moved aside; it will be overwritten', renameError);
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.deps.saveDelayMs ?? KEY_HEALTH_SAVE_DELAY_MS);
    this.timer.unref?.();
  }

  /** One write at a time, each of the book as it is when the write starts. */
  private save(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const text = JSON.stringify({ version: 1, keys: this.deps.book.entries() });
      try {
        await writeFileAtomic(this.file, text);
      } catch (error) {
        // A full disk or a read-only folder costs the health across a restart, nothing more.
        this.deps.log.warn('providers', 'could not save key health', error);
      }
    });
    return this.writing;
  }

  /** Writes a pending change now (app quit). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.save();
    }
    await this.writing;
  }

  async dispose(): Promise<void> {
    this.unsubscribe?.();
    await this.flush();
  }
}
