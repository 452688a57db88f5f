/**
 * A full disk on every write path (sending, creating and renaming a conversation, saving a provider, saving
 * preferences) answers with one typed error, DISK_FULL, whose sentence the UI shows in en and zh-TW; once
 * space is back, the same action works. Two ways: an injected ENOSPC (file writes and the config store
 * fail with code ENOSPC; always runs) and a real, small tmpfs filled to the last byte (skipped, with the
 * reason, where mounting is not permitted).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import en from '../../renderer/i18n/locales/en/errors.json';
import zh from '../../renderer/i18n/locales/zh-TW/errors.json';
import { errorOf, localServerAndRigs, type Rig } from '../support/chat-rig';
import { injectableDiskFull } from '../support/disk-faults';

const DISK_FULL_SENTENCE = 'The disk is full: free some space, then retry. Nothing you typed is lost.';

const local = localServerAndRigs({});

const draft = {
  type: 'openai-compatible',
  name: 'Another server',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'gpt-4o-mini',
  assistantId: '',
  customHeaders: [],
  apiKey: { action: 'keep' },
};

/** Every write path answers DISK_FULL while the disk is full; `free()` makes room, then they work again. */
async function expectEveryWritePathSaysDiskFull(rig: Rig, setFull: (full: boolean) => void): Promise<void> {
  rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' });
  const conversation = await rig.call('conversations:create', undefined);
  setFull(true);
  const attempts = [
    await rig.raw('conversations:create', undefined),
    await rig.raw('chat:send', { conversationId: conversation.id, text: 'a message the user typed' }),
    await rig.raw('conversations:rename', { id: conversation.id, title: 'Renamed' }),
    await rig.raw('providers:save', draft),
    await rig.raw('app:setPreferences', { language: 'zh-TW' }),
  ];
  for (const attempt of attempts) {
    expect(errorOf(attempt)).toEqual({ code: 'DISK_FULL', message: DISK_FULL_SENTENCE, retryable: true });
  }
  setFull(false);
  const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'a message the user typed' });
  expect((await rig.finished(sent.streamId)).final.status).toBe('complete');
  expect((await rig.call('providers:save', draft)).name).toBe('Another server');
}

describe('a full disk', () => {
  it('has its sentence in English and Traditional Chinese', () => {
    expect(en.DISK_FULL).toBe(DISK_FULL_SENTENCE);
    expect(zh.DISK_FULL).toMatch(/磁碟已滿/);
  });

  it('injected ENOSPC: every write path answers DISK_FULL, and works again once there is room', async () => {
    const { full, createStore } = await injectableDiskFull();
    const rig = local.rig({ createStore });
    await expectEveryWritePathSaysDiskFull(rig, (on) => (full.on = on));
  });
});

// A real file system that runs out of space. Mounting needs root (CI runs as root) and a kernel that allows
// it in this container; elsewhere the test says why it was skipped.
const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-tmpfs-'));
let mountProblem: string | null = null;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  mountProblem = `mounting a tmpfs is not permitted here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`;
}

describe.skipIf(mountProblem !== null)(`a real full tmpfs${mountProblem ? ` — skipped: ${mountProblem}` : ''}`, () => {
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    fs.rmdirSync(mountPoint);
  });

  /** Fills the file system to the last byte with one file; deleting it makes room again. */
  function fill(file: string): void {
    const fd = fs.openSync(file, 'w');
    try {
      for (const size of [1 << 16, 4096, 1]) {
        const chunk = Buffer.alloc(size, 1);
        for (;;) {
          try {
            fs.writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw error;
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  it('every write path answers DISK_FULL, and works again once there is room', async () => {
    const dataDir = path.join(mountPoint, 'data');
    fs.mkdirSync(dataDir);
    const rig = local.rig({ dataDir });
    const filler = path.join(mountPoint, 'filler');
    await expectEveryWritePathSaysDiskFull(rig, (on) => (on ? fill(filler) : fs.rmSync(filler)));
  });
});
if (mountProblem !== null) fs.rmdirSync(mountPoint);
