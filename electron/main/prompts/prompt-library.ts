/**
 * The prompt library, kept in main like all user data: `<data>/prompts.json`, replaced atomically on every
 * change (temp file, fsync, rename), with a schema version so a later layout can migrate it. A file that
 * cannot be read is moved aside (never deleted), logged, and reported as a start-up notice; the library then
 * starts empty. Every change is broadcast as `prompts:changed` so each window follows.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ChannelResult } from '../../../shared/ipc/contract';
import type { ExportOutcome } from '../../../shared/models/archive';
import type { AppNotice } from '../../../shared/models/preferences';
import {
  PROMPT_COUNT_MAX,
  PROMPT_NAME_MAX,
  PROMPT_TEXT_MAX,
  PROMPTS_EXPORT_FORMAT,
  PROMPTS_EXPORT_VERSION,
  type Prompt,
  type PromptDraft,
  type PromptImportSummary,
} from '../../../shared/models/prompts';
import { AppFailure, appError } from '../../../shared/result';
import type { AppShell } from '../app-shell';
import { writeFileAtomic } from '../conversations/atomic-file';
import type { Handlers } from '../ipc/dispatcher';
import type { EventSink } from '../ipc/events';
import type { Logger } from '../logger';
import { parsePromptImport } from './prompt-import';

export const PROMPTS_FILE_NAME = 'prompts.json';
export const PROMPTS_SCHEMA_VERSION = 1;

const storedPromptSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(PROMPT_NAME_MAX),
  text: z.string().min(1).max(PROMPT_TEXT_MAX),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const storedFileSchema = z.object({
  schemaVersion: z.number().int().min(1),
  prompts: z.array(storedPromptSchema),
});

export interface PromptLibraryDeps {
  dataDir: string;
  events: EventSink;
  shell: AppShell;
  log: Logger;
  now?: () => Date;
}

type PromptChannels = 'prompts:list' | 'prompts:save' | 'prompts:delete' | 'prompts:duplicate' | 'prompts:import' | 'prompts:export';

export class PromptLibrary {
  private prompts: Prompt[] = [];
  /** Start-up notices (the file was unreadable and moved aside). */
  readonly notices: AppNotice[] = [];
  /** A newer version wrote the file: it is copied aside before this version first replaces it. */
  private newerSchema: number | null = null;
  /** Writes run one after another, each with the list as it is when it starts. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PromptLibraryDeps) {
    this.load();
  }

  get file(): string {
    return path.join(this.deps.dataDir, PROMPTS_FILE_NAME);
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  handlers(): Pick<Handlers, PromptChannels> {
    return {
      'prompts:list': () => this.list(),
      'prompts:save': (draft) => this.save(draft),
      'prompts:delete': ({ id }) => this.delete(id),
      'prompts:duplicate': ({ id }) => this.duplicate(id),
      'prompts:import': ({ fileName, data }) => this.import(fileName, data),
      'prompts:export': (_input, ctx) => this.export(ctx.windowId),
    };
  }

  /** Sorted by name, the way the pickers show them. */
  list(): Prompt[] {
    return [...this.prompts].sort((a, b) => a.name.localeCompare(b.name) || a.createdAt.localeCompare(b.createdAt));
  }

  async save(draft: PromptDraft): Promise<Prompt> {
    const stamp = this.now();
    const name = draft.name.trim();
    let saved: Prompt;
    if (draft.id) {
      const i = this.indexOf(draft.id);
      saved = { ...this.prompts[i]!, name, text: draft.text, updatedAt: stamp };
      this.prompts[i] = saved;
    } else {
      this.ensureRoom(1);
      saved = { id: randomUUID(), name, text: draft.text, createdAt: stamp, updatedAt: stamp };
      this.prompts.push(saved);
    }
    await this.commit();
    return saved;
  }

  async delete(id: string): Promise<void> {
    this.prompts.splice(this.indexOf(id), 1);
    await this.commit();
  }

  async duplicate(id: string): Promise<Prompt> {
    const source = this.prompts[this.indexOf(id)]!;
    this.ensureRoom(1);
    const stamp = this.now();
    const copy: Prompt = {
      id: randomUUID(),
      name: this.copyName(source.name),
      text: source.text,
      createdAt: stamp,
      updatedAt: stamp,
    };
    this.prompts.push(copy);
    await this.commit();
    return copy;
  }

  /** As providers are duplicated: "Name (copy)", then "Name (copy 2)"…, within the name limit. */
  private copyName(name: string): string {
    const names = new Set(this.prompts.map((p) => p.name));
    const fit = (suffix: string) => name.slice(0, PROMPT_NAME_MAX - suffix.length) + suffix;
    if (!names.has(fit(' (copy)'))) return fit(' (copy)');
    for (let n = 2; ; n++) if (!names.has(fit(` (copy ${n})`))) return fit(` (copy ${n})`);
  }

  /**
   * All of the file's prompts are added (as new prompts, beside the existing ones) or none. A prompt the
   * library already holds (same name and text), or that the file repeats, is skipped and counted: importing
   * the same file twice adds nothing the second time, as with conversations.
   */
  async import(fileName: string, text: string): Promise<PromptImportSummary> {
    const parsed = parsePromptImport(text, fileName);
    const known = new Set(this.prompts.map((p) => promptKey(p)));
    const incoming = parsed.filter((p) => {
      const key = promptKey(p);
      if (known.has(key)) return false;
      known.add(key);
      return true;
    });
    this.ensureRoom(incoming.length);
    const stamp = this.now();
    this.prompts.push(...incoming.map((p) => ({ id: randomUUID(), name: p.name, text: p.text, createdAt: stamp, updatedAt: stamp })));
    if (incoming.length > 0) await this.commit();
    return { imported: incoming.length, skipped: parsed.length - incoming.length };
  }

  /** Our export format: what `import` reads back. */
  exportText(): string {
    const prompts = this.list().map(({ name, text }) => ({ name, text }));
    return `${JSON.stringify({ format: PROMPTS_EXPORT_FORMAT, version: PROMPTS_EXPORT_VERSION, exportedAt: this.now(), prompts }, null, 2)}\n`;
  }

  async export(windowId: number): Promise<ChannelResult<'prompts:export'>> {
    const text = this.exportText();
    const defaultName = `switchboard-prompts-${this.now().slice(0, 10)}.json`;
    if (this.deps.shell.saveFile) {
      const saved = await this.deps.shell.saveFile(windowId, {
        defaultName,
        data: new TextEncoder().encode(text),
        filter: { name: 'JSON', extensions: ['json'] },
      });
      return saved.saved ? { delivery: 'saved', fileName: saved.fileName } : { delivery: 'cancelled' };
    }
    const outcome: ExportOutcome = { delivery: 'download', fileName: defaultName, mimeType: 'application/json', encoding: 'utf8', data: text };
    return outcome;
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private indexOf(id: string): number {
    const i = this.prompts.findIndex((p) => p.id === id);
    if (i < 0) throw new AppFailure(appError('NOT_FOUND', 'This prompt no longer exists.', { params: { context: 'prompt' } }));
    return i;
  }

  private ensureRoom(count: number): void {
    if (this.prompts.length + count > PROMPT_COUNT_MAX) {
      throw new AppFailure(
        appError('PROMPTS_LIBRARY_FULL', `The prompt library can keep at most ${PROMPT_COUNT_MAX} prompts.`, {
          params: { max: PROMPT_COUNT_MAX },
        }),
      );
    }
  }

  /**
   * Writes the list and tells every window. A failed write puts the list back as it is on disk, so what the
   * windows show never runs ahead of the file.
   */
  private async commit(): Promise<void> {
    const snapshot = JSON.stringify({ schemaVersion: PROMPTS_SCHEMA_VERSION, prompts: this.prompts }, null, 2);
    const write = this.writing.then(async () => {
      await this.keepNewerFile();
      await writeFileAtomic(this.file, snapshot);
    });
    this.writing = write.catch(() => undefined);
    try {
      await write;
    } catch (error) {
      this.deps.log.warn('prompts', 'the prompt library could not be saved', error);
      this.load();
      throw error;
    } finally {
      this.deps.events.broadcast('prompts:changed', this.list());
    }
  }

  private load(): void {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.prompts = [];
        return;
      }
      throw error;
    }
    try {
      const parsed = storedFileSchema.parse(JSON.parse(raw));
      if (parsed.schemaVersion > PROMPTS_SCHEMA_VERSION) {
        // A newer version wrote it: read what we understand; the file itself is kept before our first write.
        this.newerSchema = parsed.schemaVersion;
        this.deps.log.warn('prompts', `prompts.json has schema ${parsed.schemaVersion}, newer than ${PROMPTS_SCHEMA_VERSION}`);
      }
      this.prompts = parsed.prompts;
    } catch (error) {
      this.moveAside(error);
      this.prompts = [];
    }
  }

  private async keepNewerFile(): Promise<void> {
    if (this.newerSchema === null) return;
    const copy = path.join(this.deps.dataDir, `prompts.schema-${this.newerSchema}.json`);
    await fs.promises.copyFile(this.file, copy).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    this.deps.log.warn('prompts', `a newer version's prompt library was kept as ${copy}`);
    this.newerSchema = null;
  }

  private moveAside(error: unknown): void {
    const stamp = this.now().replace(/[:.]/g, '-');
    let aside = path.join(this.deps.dataDir, `prompts.corrupt-${stamp}.json`);
    for (let n = 2; fs.existsSync(aside); n++) aside = path.join(this.deps.dataDir, `prompts.corrupt-${stamp}-${n}.json`);
    fs.renameSync(this.file, aside);
    this.deps.log.warn('prompts', `prompt library was unreadable and was moved to ${aside}`, error);
    this.notices.push({
      id: `prompts-corrupt-${stamp}`,
      code: 'PROMPTS_CORRUPT_MOVED',
      message: `Your prompt library could not be read. It was moved to ${aside} and Switchboard started with an empty library.`,
      params: { path: aside },
    });
  }
}

/** What makes two prompts the same for an import: name and text. */
function promptKey(prompt: { name: string; text: string }): string {
  return JSON.stringify([prompt.name, prompt.text]);
}
