/**
 * Crash-safe file replacement: the new content goes to a temp file in the same directory, is fsynced, and
 * is renamed over the target; then the directory is fsynced so the rename itself survives a power cut.
 * A reader therefore sees either the whole old file or the whole new one, never a torn mix.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Temp files carry this suffix so a start-up sweep can remove the ones a crash left behind. */
export const TEMP_SUFFIX = '.tmp';

export function tempPathFor(file: string): string {
  return `${file}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

/** `data` as one string or bytes, or as pieces written one after another (a large file built in slices). */
export async function writeFileAtomic(file: string, data: string | Uint8Array | readonly string[]): Promise<void> {
  const temp = tempPathFor(file);
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(temp, 'wx', 0o600);
    if (typeof data === 'string') await handle.writeFile(data, 'utf8');
    else if (data instanceof Uint8Array) await handle.writeFile(data);
    else {
      // About 1 MB per write.
      let chunk: string[] = [];
      let size = 0;
      for (const piece of data) {
        chunk.push(piece);
        size += piece.length;
        if (size < 1 << 20) continue;
        await handle.writeFile(chunk.join(''), 'utf8');
        chunk = [];
        size = 0;
      }
      if (chunk.length) await handle.writeFile(chunk.join(''), 'utf8');
    }
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

/**
 * Makes a rename durable. Windows cannot open a directory for fsync (EPERM/EISDIR) and some file systems
 * refuse it (EINVAL); there the rename is as durable as the platform allows, so those errors are ignored.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'ENOTSUP') throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
