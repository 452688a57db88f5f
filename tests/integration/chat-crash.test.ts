/**
 * Crash safety of the conversation store: a child process rewrites a conversation in a loop and is killed
 * with SIGKILL mid-write, again and again. After each kill the store opens the conversation, whole and at
 * least as new as the last write the child reported complete.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../electron/main/conversations/conversation-store';
import { createMemoryLogger } from '../../electron/main/logger';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, '../support/chat-crash-writer.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-crash-'));
const ROUNDS = 12;

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function expectedText(n: number): string {
  return `message ${n} `.repeat(20_000);
}

/** Runs the writer until it reported `writes` completed writes plus a random extra moment, then SIGKILLs it. */
function runAndKill(conversationId: string, writes: number, extraMs: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, conversationId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastWritten: string | null = null;
    let count = 0;
    let stderr = '';
    let killScheduled = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const m = /^wrote (m\d+)$/.exec(line.trim());
        if (!m) continue;
        lastWritten = m[1] ?? null;
        count += 1;
        if (count >= writes && !killScheduled) {
          killScheduled = true;
          setTimeout(() => child.kill('SIGKILL'), extraMs);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${stderr.slice(0, 2000)}`));
      else resolve(lastWritten);
    });
  });
}

describe('conversation store crash safety', () => {
  it(`loads the conversation after the writing process is killed mid-write (${ROUNDS} rounds)`, async () => {
    const store = new ConversationStore({ dataDir, log: createMemoryLogger() });
    const now = new Date().toISOString();
    await store.create({ id: 'crashy', title: 'Crash test', providerId: null, model: '', createdAt: now, updatedAt: now, messages: [] });
    await store.flush();

    let previousLast = -1;
    for (let round = 0; round < ROUNDS; round++) {
      // Kill at a different moment each round, spread over the time one rewrite takes (serialise + write).
      const lastReported = await runAndKill('crashy', 2 + (round % 3), (round * 7) % 40);
      const log = createMemoryLogger();
      const reopened = new ConversationStore({ dataDir, log });
      const conversation = await reopened.get('crashy');

      expect(reopened.notices()).toEqual([]);
      expect(conversation.title).toBe('Crash test');
      const numbers = conversation.messages.map((m) => Number(m.id.slice(1)));
      // Whole messages only, consecutive, each exactly what was written.
      for (const [i, message] of conversation.messages.entries()) {
        expect(message.content).toBe(expectedText(numbers[i] as number));
        if (i > 0) expect(numbers[i]).toBe((numbers[i - 1] as number) + 1);
        // A reply the crash cut off is read back as stopped, never as still streaming.
        expect(message.status).toBe('stopped');
      }
      const last = numbers.at(-1) ?? -1;
      // Every write the child reported complete survived the kill (it may have finished one more).
      if (lastReported) expect(last).toBeGreaterThanOrEqual(Number(lastReported.slice(1)));
      expect(last).toBeGreaterThan(previousLast);
      previousLast = last;
      expect((await reopened.list()).map((s) => s.id)).toEqual(['crashy']);
      // No temp files survive the start-up sweep.
      expect(fs.readdirSync(path.join(dataDir, 'conversations')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
  });
});
