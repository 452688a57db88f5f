/**
 * Child process for the crash test: rewrites one conversation as fast as it can, each version one message
 * longer, and prints the message count after every completed write. The parent SIGKILLs it at a random
 * moment, usually in the middle of a write.
 *
 * Usage: node --import tsx chat-crash-writer.ts <dataDir> <conversationId>
 */
import { ConversationStore } from '../../electron/main/conversations/conversation-store';
import { createMemoryLogger } from '../../electron/main/logger';

const [dataDir, id] = process.argv.slice(2);
if (!dataDir || !id) throw new Error('usage: chat-crash-writer.ts <dataDir> <conversationId>');

/** Deterministic content, so the parent can check every message it reads back byte for byte. */
export function crashMessageText(n: number): string {
  return `message ${n} `.repeat(20_000);
}

const store = new ConversationStore({ dataDir, log: createMemoryLogger() });
for (;;) {
  const saved = await store.update(id, (c) => {
    const last = c.messages.at(-1);
    const n = last ? Number(last.id.slice(1)) + 1 : 0;
    c.messages.push({ id: `m${n}`, role: n % 2 ? 'assistant' : 'user', content: crashMessageText(n), status: 'streaming', createdAt: new Date().toISOString() });
    // Keep the file big but bounded: drop the oldest messages past 12.
    if (c.messages.length > 12) c.messages.splice(0, 1);
  });
  process.stdout.write(`wrote ${saved.messages.at(-1)?.id}\n`);
}
