/**
 * Child process for tests/integration/attachment-crash.test.ts: stores distinct ~4 MB attachments in a loop
 * through the real AttachmentStore, printing `stored <id>` after each completed write, until it is killed.
 */
import { randomBytes } from 'node:crypto';
import { AttachmentStore } from '../../electron/main/attachments/attachment-store';
import { createMemoryLogger } from '../../electron/main/logger';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: attachment-crash-writer <dataDir>');
const store = new AttachmentStore({ dataDir, log: createMemoryLogger() });

for (;;) {
  const id = await store.put(new Uint8Array(randomBytes(4 * 1024 * 1024)));
  process.stdout.write(`stored ${id}\n`);
}
