import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../../../shared/result';
import { createMemoryLogger } from '../../../../../electron/main/logger';
import { KEY_HEALTH_FILE, KeyHealthFile } from '../../../../../electron/main/providers/routing/key-health-file';
import { KeyHealthBook } from '../../../../../electron/main/providers/routing/key-pool';

const limited = (retryAfterMs: number): AppError => ({ code: 'RATE_LIMITED', message: 'limited', retryable: true, params: { retryAfterMs } });
const denied: AppError = { code: 'AUTH_FAILED', message: 'rejected', retryable: false, params: { host: 'example.test' } };

function setup(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-health-')), start = 1_000_000, known: (p: string, k: string) => boolean = () => true) {
  let t = start;
  const now = () => t;
  const log = createMemoryLogger();
  const book = new KeyHealthBook(now);
  const file = new KeyHealthFile({ dataDir, book, log, now, known, saveDelayMs: 10 });
  file.start();
  return { dataDir, book, file, log, advance: (ms: number) => (t += ms), now };
}

describe('KeyHealthFile', () => {
  it('keeps invalid marks (with their error), cooldowns, last used and last error across a restart', async () => {
    const first = setup();
    first.book.markUsed('p', 'a');
    first.book.markInvalid('p', 'a', denied);
    first.book.markRateLimited('p', 'b', limited(30_000));
    first.book.markFailed('p', 'c', { code: 'SERVER_ERROR', message: 'down', retryable: true });
    await first.file.dispose();

    const second = setup(first.dataDir, 1_010_000);
    expect(second.book.view('p', 'a')).toMatchObject({ state: 'invalid', lastErrorCode: 'AUTH_FAILED', lastError: 'rejected', lastErrorParams: { host: 'example.test' }, lastUsedAt: new Date(1_000_000).toISOString() });
    expect(second.book.view('p', 'b')).toMatchObject({ state: 'cooling', coolingUntil: new Date(1_030_000).toISOString() });
    expect(second.book.view('p', 'c')).toMatchObject({ state: 'ok', lastErrorCode: 'SERVER_ERROR' });
    expect(second.book.order('p', ['a', 'b', 'c']).ready).toEqual(['c']);
    second.advance(20_000);
    expect(second.book.order('p', ['a', 'b', 'c']).ready).toEqual(['b', 'c']);
  });

  it('saves a change soon after it happens, without waiting for a clean quit (kill -9)', async () => {
    const first = setup();
    first.book.markInvalid('p', 'a', denied);
    const file = path.join(first.dataDir, KEY_HEALTH_FILE);
    for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    // No dispose: the process "died" here.
    const second = setup(first.dataDir);
    expect(second.book.view('p', 'a').state).toBe('invalid');
    await first.file.dispose();
    await second.file.dispose();
  });

  it('drops a cooldown that ended before start-up, and the health of providers and keys that are gone', async () => {
    const first = setup();
    first.book.markRateLimited('p', 'a', limited(5_000));
    first.book.markInvalid('gone', 'x', denied);
    first.book.markInvalid('p', 'removed', denied);
    await first.file.dispose();

    const second = setup(first.dataDir, 1_006_000, (p, k) => p === 'p' && k !== 'removed');
    expect(second.book.view('p', 'a')).toMatchObject({ state: 'ok', coolingUntil: null, lastErrorCode: 'RATE_LIMITED' });
    expect(second.book.view('gone', 'x').state).toBe('ok');
    expect(second.book.view('p', 'removed')).toMatchObject({ state: 'ok', lastError: null });
    await second.file.dispose();
    const saved = JSON.parse(fs.readFileSync(path.join(first.dataDir, KEY_HEALTH_FILE), 'utf8')) as { keys: { providerId: string; keyId: string }[] };
    expect(saved.keys.map((k) => `${k.providerId}/${k.keyId}`)).toEqual(['p/a']);
  });

  it('an edited or removed key, or a deleted provider, is forgotten in the file too', async () => {
    const first = setup();
    first.book.markInvalid('p', 'a', denied);
    first.book.markInvalid('q', 'b', denied);
    await first.file.flush();
    first.book.forget('p', 'a');
    first.book.forgetProvider('q');
    await first.file.dispose();
    const second = setup(first.dataDir);
    expect(second.book.entries()).toEqual([]);
  });

  it('an unreadable file is moved aside with a log line and the app starts clean', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-health-'));
    fs.writeFileSync(path.join(dataDir, KEY_HEALTH_FILE), '{"version":1,"keys":[{"providerId":"p","keyI');
    const torn = setup(dataDir);
    expect(torn.book.entries()).toEqual([]);
    expect(torn.log.lines.some((l) => /key health file was unreadable and was moved to .*key-health\.json\.corrupt-/.test(l))).toBe(true);
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith(`${KEY_HEALTH_FILE}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(fs.existsSync(path.join(dataDir, KEY_HEALTH_FILE))).toBe(false);

    // Valid JSON of the wrong shape is just as unreadable; the next save writes a good file.
    fs.writeFileSync(path.join(dataDir, KEY_HEALTH_FILE), JSON.stringify({ version: 1, keys: [{ providerId: 'p', keyId: 'a', invalid: 'yes' }] }));
    const wrong = setup(dataDir);
    expect(wrong.book.entries()).toEqual([]);
    wrong.book.markInvalid('p', 'a', denied);
    await wrong.file.dispose();
    expect(setup(dataDir).book.view('p', 'a').state).toBe('invalid');
  });
});
