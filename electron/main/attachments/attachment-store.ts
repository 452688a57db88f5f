/**
 * Attachment bytes, stored once each under <data>/attachments/ab/abcdef… (the SHA-256 of the bytes), written
 * atomically (a crash leaves at most a temp file, swept at start-up). Messages hold only references; a blob
 * no conversation references any more is removed by `collect`, but only once it is older than the grace
 * period, so an attachment the user is still composing (stored, not yet sent) survives.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SHA256_HEX } from '../../../shared/models/attachments';
import { AppFailure } from '../../../shared/result';
import { TEMP_SUFFIX, writeFileAtomic } from '../conversations/atomic-file';
import type { Logger } from '../logger';

/** A stored attachment not referenced by any message is kept this long (composing, or a send on its way). */
export const ATTACHMENT_GRACE_MS = 24 * 60 * 60 * 1000;

export interface AttachmentStoreOptions {
  dataDir: string;
  log: Logger;
  now?: () => number;
  graceMs?: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class AttachmentStore {
  readonly dir: string;
  private readonly now: () => number;
  private readonly graceMs: number;
  /** The start-up sweep of temp files, run once. */
  private swept: Promise<void> | null = null;

  constructor(private readonly options: AttachmentStoreOptions) {
    this.dir = path.join(options.dataDir, 'attachments');
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? ATTACHMENT_GRACE_MS;
  }

  private fileFor(id: string): string {
    if (!SHA256_HEX.test(id)) throw new AppFailure({ code: 'NOT_FOUND', message: 'That attachment does not exist.', params: { context: 'attachment' } });
    return path.join(this.dir, id.slice(0, 2), id);
  }

  /** Removes temp files a crash left behind; runs once, before the first write or collection. */
  sweep(): Promise<void> {
    this.swept ??= this.removeTemps();
    return this.swept;
  }

  private async removeTemps(): Promise<void> {
    for (const shard of await listDir(this.dir)) {
      for (const name of await listDir(path.join(this.dir, shard))) {
        if (!name.endsWith(TEMP_SUFFIX)) continue;
        await fs.rm(path.join(this.dir, shard, name), { force: true }).catch(() => undefined);
        this.options.log.info('attachments', `removed ${name}, left by an interrupted write`);
      }
    }
  }

  /** Stores the bytes (once: the same bytes again only refresh the grace period) and answers their id. */
  async put(bytes: Uint8Array): Promise<string> {
    await this.sweep();
    const id = sha256Hex(bytes);
    const file = this.fileFor(id);
    try {
      const stat = await fs.stat(file);
      if (stat.size === bytes.length) {
        const when = new Date(this.now());
        await fs.utimes(file, when, when);
        return id;
      }
    } catch {
      // not stored yet
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, bytes);
    return id;
  }

  async read(id: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.readFile(this.fileFor(id)));
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      throw new AppFailure({ code: 'NOT_FOUND', message: 'That attachment is no longer stored.', params: { context: 'attachment' } });
    }
  }

  async has(id: string): Promise<boolean> {
    try {
      await fs.access(this.fileFor(id));
      return true;
    } catch {
      return false;
    }
  }

  /** Every stored id (the start-up collection walks them; empty when nothing was ever attached). */
  async ids(): Promise<string[]> {
    const out: string[] = [];
    for (const shard of await listDir(this.dir)) {
      for (const name of await listDir(path.join(this.dir, shard))) if (SHA256_HEX.test(name)) out.push(name);
    }
    return out;
  }

  /** Removes every blob not in `referenced` and older than the grace period; answers how many went. */
  async collect(referenced: ReadonlySet<string>): Promise<number> {
    await this.sweep();
    let removed = 0;
    const cutoff = this.now() - this.graceMs;
    for (const id of await this.ids()) {
      if (referenced.has(id)) continue;
      const file = this.fileFor(id);
      try {
        const stat = await fs.stat(file);
        if (stat.mtimeMs > cutoff) continue;
        await fs.rm(file, { force: true });
        removed++;
      } catch {
        // gone meanwhile
      }
    }
    if (removed > 0) this.options.log.info('attachments', `removed ${removed} attachment(s) no conversation uses any more`);
    return removed;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
