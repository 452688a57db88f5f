/**
 * The `attachments:*` channels and what a chat turn needs of attachments. The renderer hands over a file's
 * bytes (base64: it survives Electron's structured clone and the browser host's JSON alike) and its name;
 * main decides what the bytes are (detect-type.ts), refuses what it cannot send in one sentence naming the
 * type, and stores the rest: images as they are (the renderer downscaled them), text files as UTF-8 text,
 * PDFs as their extracted text. The renderer never sees a path.
 */
import {
  ATTACHMENT_MAX_BYTES,
  IMAGE_MAX_PIXELS,
  IMAGE_MIME_TYPES,
  TEXT_ATTACHMENT_MAX_CHARS,
  type AttachmentRef,
} from '../../../shared/models/attachments';
import type { Message } from '../../../shared/models/conversation';
import { AppFailure } from '../../../shared/result';
import type { Logger } from '../logger';
import type { HistoryAttachment, HistoryMessage } from '../providers/provider-kind';
import type { AttachmentStore } from './attachment-store';
import { detectType, type Detected } from './detect-type';
import { readImageInfo } from './image-header';
import { pdfText } from './pdf-text';

export interface AttachmentServiceDeps {
  store: AttachmentStore;
  log: Logger;
  /** Every attachment id the conversations reference (for collecting unreferenced blobs). */
  referencedIds(): Promise<Set<string>>;
}

function unsupported(name: string, detected: Extract<Detected, { kind: 'unsupported' }>): AppFailure {
  const type = detected.typeName;
  return new AppFailure({
    code: 'ATTACHMENT_UNSUPPORTED',
    message: `“${name}” is a ${type}: Switchboard can attach images (PNG, JPEG, WebP, GIF), text files and PDFs.`,
    // typeKey (and ext) let the window say the type in its own language.
    params: { name, type, typeKey: detected.typeKey, ...(detected.ext ? { ext: detected.ext } : {}) },
  });
}

function unreadable(name: string, context?: string): AppFailure {
  return new AppFailure({
    code: 'ATTACHMENT_UNREADABLE',
    message:
      context === 'pdf_no_text'
        ? `“${name}” has no text to read (a scanned PDF?): attach its pages as images instead.`
        : `“${name}” cannot be read: the file looks damaged.`,
    params: { name, ...(context ? { context } : {}) },
  });
}

function tooLongText(name: string, chars: number): AppFailure {
  return new AppFailure({
    code: 'ATTACHMENT_TOO_LARGE',
    message: `“${name}” has more than ${TEXT_ATTACHMENT_MAX_CHARS.toLocaleString('en')} characters of text, too much to send with a message.`,
    params: { name, maxChars: TEXT_ATTACHMENT_MAX_CHARS, chars, context: 'text' },
  });
}

/** A file name as shown and sent: no path, no control characters, at most 200 characters. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'file';
}

export class AttachmentService {
  private collecting: Promise<number> | null = null;

  constructor(private readonly deps: AttachmentServiceDeps) {}

  async add(rawName: string, base64: string): Promise<AttachmentRef> {
    const name = cleanName(rawName);
    const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
    if (bytes.length > ATTACHMENT_MAX_BYTES) {
      throw new AppFailure({
        code: 'ATTACHMENT_TOO_LARGE',
        message: `“${name}” is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB.`,
        params: { name, maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 },
      });
    }
    const detected = detectType(bytes, name);
    switch (detected.kind) {
      case 'unsupported':
        throw unsupported(name, detected);
      case 'image': {
        const info = readImageInfo(bytes);
        if (!info || info.width * info.height > IMAGE_MAX_PIXELS) throw unreadable(name);
        const id = await this.deps.store.put(bytes);
        return { id, name, mime: info.mime, size: bytes.length, kind: 'image', width: info.width, height: info.height };
      }
      case 'pdf': {
        const text = await pdfText(bytes).catch((error: unknown) => {
          this.deps.log.info('attachments', `could not read the PDF ${name}: ${String(error)}`);
          return null;
        });
        if (text === null) throw unreadable(name);
        if (text.trim() === '') throw unreadable(name, 'pdf_no_text');
        return this.storeText(name, text, 'application/pdf');
      }
      case 'text':
        return this.storeText(name, detected.text, detected.mime);
    }
  }

  private async storeText(name: string, text: string, mime: string): Promise<AttachmentRef> {
    if (text.length > TEXT_ATTACHMENT_MAX_CHARS) throw tooLongText(name, text.length);
    const bytes = new TextEncoder().encode(text);
    const id = await this.deps.store.put(bytes);
    return { id, name, mime, size: bytes.length, kind: 'text' };
  }

  /** Every reference of a message about to be sent is stored (the renderer may hold a stale one). */
  async checkStored(refs: readonly AttachmentRef[]): Promise<void> {
    for (const ref of refs) {
      const imageTypeOk = ref.kind !== 'image' || (IMAGE_MIME_TYPES as readonly string[]).includes(ref.mime);
      if (!imageTypeOk || !(await this.deps.store.has(ref.id))) {
        throw new AppFailure({
          code: 'NOT_FOUND',
          message: `“${ref.name}” is no longer stored: remove it and attach it again.`,
          params: { context: 'attachment', name: ref.name },
        });
      }
    }
  }

  /** A stored attachment's bytes (base64), for showing a sent image. */
  async read(id: string): Promise<{ data: string }> {
    const bytes = await this.deps.store.read(id);
    return { data: Buffer.from(bytes).toString('base64') };
  }

  /** The history with each attachment's content read from the store (a blob that is gone stays empty). */
  async resolve(history: readonly HistoryMessage[]): Promise<HistoryMessage[]> {
    return Promise.all(
      history.map(async (m) => {
        if (!m.attachments?.length) return m;
        const attachments = await Promise.all(m.attachments.map((a) => this.content(a)));
        return { ...m, attachments };
      }),
    );
  }

  private async content(ref: HistoryAttachment): Promise<HistoryAttachment> {
    const { base64: _b, text: _t, ...plain } = ref;
    try {
      const bytes = await this.deps.store.read(ref.id);
      return ref.kind === 'image'
        ? { ...plain, base64: Buffer.from(bytes).toString('base64') }
        : { ...plain, text: new TextDecoder().decode(bytes) };
    } catch {
      this.deps.log.warn('attachments', `attachment ${ref.id} of a message is no longer stored`);
      return plain;
    }
  }

  /**
   * Removes blobs no conversation references (past the grace period). Runs once at a time; a call while one
   * runs waits for it. Nothing is read when nothing was ever attached.
   */
  collect(): Promise<number> {
    this.collecting ??= (async () => {
      try {
        if ((await this.deps.store.ids()).length === 0) return 0;
        return await this.deps.store.collect(await this.deps.referencedIds());
      } catch (error) {
        this.deps.log.warn('attachments', 'could not collect unused attachments', error);
        return 0;
      } finally {
        this.collecting = null;
      }
    })();
    return this.collecting;
  }
}

/** The ids a list of messages references. */
export function attachmentIdsOf(messages: readonly Message[], into: Set<string>): Set<string> {
  for (const m of messages) for (const a of m.attachments ?? []) into.add(a.id);
  return into;
}
