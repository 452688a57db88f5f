/** Export and import of conversations (`archive:*` channels). */

export type ExportFormat = 'markdown' | 'json' | 'html';

/** Bytes travel as text: UTF-8 text as is, binary (a zip) as base64. */
export type TransferEncoding = 'utf8' | 'base64';

/**
 * What an export produced: saved where the user chose (desktop app, through a save dialog), cancelled in
 * that dialog, or handed to the window to download (browser host: it cannot write where the user chooses).
 */
export type ExportOutcome =
  | { delivery: 'saved'; fileName: string }
  | { delivery: 'cancelled' }
  | { delivery: 'download'; fileName: string; mimeType: string; encoding: TransferEncoding; data: string };

export interface ImportSummary {
  /** Conversations added. */
  imported: number;
  /** Conversations already here (the same file imported before): left as they are. */
  skipped: number;
  /** Ids of the conversations added, newest first. */
  ids: string[];
  source: 'switchboard' | 'chatgpt';
}

/** `archive:importProgress`, to the window that asked, while a long import runs. */
export interface ImportProgress {
  importId: string;
  done: number;
  total: number;
}

/** The largest file an import accepts (characters of its text, or of its base64). */
export const IMPORT_MAX_CHARS = 256 * 1024 * 1024;

/** Our export's envelope: `format` tells it from other JSON, `version` from later layouts. */
export const EXPORT_FORMAT_NAME = 'switchboard-conversations';
export const EXPORT_FORMAT_VERSION = 1;
