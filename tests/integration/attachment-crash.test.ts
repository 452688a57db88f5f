/**
 * Crash safety of the attachment store: a child process stores attachments in a loop and is killed with
 * SIGKILL mid-write, several times. Afterwards every stored blob is whole (its bytes hash to its name), every
 * write the child reported complete is there, and the temp files the kills left are swept at start-up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AttachmentStore, sha256Hex } from '../../electron/main/attachments/attachment-store';
import { createMemoryLogger } from '../../electron/main/logger';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, '../support/attachment-crash-writer.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-attach-crash-'));
const ROUNDS = 8;

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs the writer until it reported `writes` completed writes plus `extraMs`, then SIGKILLs it. */
function runAndKill(writes: number, extraMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stored: string[] = [];
    let stderr = '';
    let killScheduled = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const m = /^stored ([0-9a-f]{64})$/.exec(line.trim());
        if (!m?.[1]) continue;
        stored.push(m[1]);
        if (stored.length >= writes && !killScheduled) {
          killScheduled = true;
          setTimeout(() => child.kill('SIGKILL'), extraMs);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${stderr.slice(0, 2000)}`));
      else resolve(stored);
    });
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((shard) => fs.readdirSync(path.join(dir, shard)).map((name) => path.join(dir, shard, name)));
}

describe('attachment store crash safety', () => {
  it(`keeps only whole blobs after the writing process is killed mid-write (${ROUNDS} rounds)`, async () => {
    const reported: string[] = [];
    let tempsSeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      reported.push(...(await runAndKill(2, 3 + round * 7)));
      tempsSeen += filesUnder(path.join(dataDir, 'attachments')).filter((f) => f.endsWith('.tmp')).length;
    }
    // A later start sweeps what the kills left; every blob there is whole.
    const store = new AttachmentStore({ dataDir, log: createMemoryLogger() });
    await store.sweep();
    const files = filesUnder(store.dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const file of files) expect(sha256Hex(fs.readFileSync(file))).toBe(path.basename(file));
    for (const id of reported) expect(await store.has(id)).toBe(true);
    expect(reported.length).toBeGreaterThanOrEqual(ROUNDS * 2);
    // The test is only meaningful if some kill landed mid-write at least once (a temp file was left).
    expect(tempsSeen).toBeGreaterThan(0);
  });
});
