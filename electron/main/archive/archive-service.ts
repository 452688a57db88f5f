/**
 * Export and import (`archive:*`). Exports are built in main from the stored conversations; the desktop
 * shell saves them where the user chooses (a save dialog), and where there is no such shell (the browser
 * host) the bytes go back to the window, which downloads them. Imports arrive as the file's bytes (the
 * window never sends a path), are parsed completely before anything is written, and are written all or
 * nothing: a failure part way removes what this import added.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelResult } from '../../../shared/ipc/contract';
import type { ExportOutcome, ImportSummary, TransferEncoding } from '../../../shared/models/archive';
import { summarizeConversation, type Conversation } from '../../../shared/models/conversation';
import type { AppShell, SaveFileRequest } from '../app-shell';
import type { ConversationStore } from '../conversations/conversation-store';
import type { Handlers } from '../ipc/dispatcher';
import type { EventSink } from '../ipc/events';
import type { Logger } from '../logger';
import { archiveOf, EXPORT_TYPES, exportConversation, fileNameFor, type ExportLanguage } from './export-formats';
import { parseImport } from './import-parse';

export interface ArchiveServiceDeps {
  store: ConversationStore;
  events: EventSink;
  shell: AppShell;
  log: Logger;
  now?: () => Date;
  /** Conversations written at once during an import (writes are fsync-bound and overlap well). */
  importConcurrency?: number;
}

type ArchiveChannels = 'archive:export' | 'archive:exportAll' | 'archive:import';

export class ArchiveService {
  constructor(private readonly deps: ArchiveServiceDeps) {}

  handlers(): Pick<Handlers, ArchiveChannels> {
    return {
      'archive:export': ({ id, format, language }, ctx) => this.exportOne(ctx.windowId, id, format, language),
      'archive:exportAll': ({ language }, ctx) => this.exportAll(ctx.windowId, language),
      'archive:import': ({ fileName, encoding, data, importId }, ctx) =>
        this.import(ctx.windowId, fileName, decode(encoding, data), importId),
    };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async exportOne(
    windowId: number,
    id: string,
    format: 'markdown' | 'json' | 'html',
    language: ExportLanguage,
  ): Promise<ChannelResult<'archive:export'>> {
    const conversation = await this.deps.store.get(id);
    const { extension, mimeType } = EXPORT_TYPES[format];
    const text = exportConversation(conversation, format, language, this.now());
    return this.deliver(windowId, {
      defaultName: fileNameFor(conversation.title, extension),
      mimeType,
      data: new TextEncoder().encode(text),
      text,
      filter: { name: format === 'markdown' ? 'Markdown' : format.toUpperCase(), extensions: [extension] },
    });
  }

  async exportAll(windowId: number, language: ExportLanguage): Promise<ExportOutcome> {
    const summaries = await this.deps.store.list();
    const conversations: Conversation[] = [];
    // Oldest first: the archive reads in the order the conversations were had.
    for (const summary of summaries.slice().reverse()) {
      try {
        conversations.push(await this.deps.store.get(summary.id));
      } catch (error) {
        // Deleted meanwhile, or unreadable (moved aside and reported by the store): the rest still goes.
        this.deps.log.warn('archive', `conversation ${summary.id} left out of the export`, error);
      }
    }
    const date = this.now().toISOString().slice(0, 10);
    return this.deliver(windowId, {
      defaultName: `switchboard-${date}.zip`,
      mimeType: 'application/zip',
      data: archiveOf(conversations, language, this.now()),
      filter: { name: 'Zip', extensions: ['zip'] },
    });
  }

  private async deliver(
    windowId: number,
    file: SaveFileRequest & { mimeType: string; text?: string },
  ): Promise<ExportOutcome> {
    if (this.deps.shell.saveFile) {
      const saved = await this.deps.shell.saveFile(windowId, { defaultName: file.defaultName, data: file.data, filter: file.filter });
      return saved.saved ? { delivery: 'saved', fileName: saved.fileName } : { delivery: 'cancelled' };
    }
    const encoding: TransferEncoding = file.text !== undefined ? 'utf8' : 'base64';
    return {
      delivery: 'download',
      fileName: file.defaultName,
      mimeType: file.mimeType,
      encoding,
      data: file.text ?? Buffer.from(file.data).toString('base64'),
    };
  }

  async import(windowId: number, fileName: string, bytes: Uint8Array, importId: string = randomUUID()): Promise<ImportSummary> {
    const parsed = parseImport(bytes, fileName);
    const fresh = parsed.conversations.filter((c) => this.deps.store.summary(c.id) === undefined);
    const total = fresh.length;
    const added: Conversation[] = [];
    let done = 0;
    let lastReport = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - lastReport < 100) return;
      lastReport = now;
      this.deps.events.sendTo(windowId, 'archive:importProgress', { importId, done, total });
    };
    report(true);
    let next = 0;
    let failed: unknown = null;
    const worker = async () => {
      while (next < fresh.length && failed === null) {
        const conversation = fresh[next++]!;
        try {
          added.push(await this.deps.store.create(conversation));
        } catch (error) {
          failed ??= error;
          return;
        }
        done++;
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.importConcurrency ?? 8, fresh.length) }, worker));
    if (failed !== null) {
      // All or nothing: take back what this import wrote.
      await Promise.allSettled(added.map((c) => this.deps.store.delete(c.id)));
      throw failed;
    }
    report(true);
    const newestFirst = added.map(summarizeConversation).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
    for (const summary of newestFirst.slice().reverse()) this.deps.events.broadcast('conversations:changed', { summary });
    return {
      imported: added.length,
      skipped: parsed.conversations.length - added.length,
      ids: newestFirst.map((s) => s.id),
      source: parsed.source,
    };
  }
}

function decode(encoding: TransferEncoding, data: string): Uint8Array {
  return encoding === 'base64' ? new Uint8Array(Buffer.from(data, 'base64')) : new TextEncoder().encode(data);
}
