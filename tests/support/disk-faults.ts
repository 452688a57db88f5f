/**
 * An injected full disk for integration tests: while `full.on` is true every file write fails with
 * ENOSPC as the kernel reports it, both the FileHandle writes of the conversation store and the config
 * store (conf writes its file whenever `store` is assigned). The FileHandle spy is undone by
 * `vi.restoreAllMocks()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { createConfStore } from '../../electron/main/config/conf-store';
import type { JsonFileStoreFactory } from '../../electron/main/config/config-store';

export function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

export async function injectableDiskFull(): Promise<{ full: { on: boolean }; createStore: JsonFileStoreFactory }> {
  const full = { on: false };
  const probePath = path.join(os.tmpdir(), `sb-probe-${process.pid}`);
  const probe = await fs.promises.open(probePath, 'w');
  const handleProto = Object.getPrototypeOf(probe) as { writeFile: (...args: unknown[]) => Promise<void> };
  await probe.close();
  fs.rmSync(probePath, { force: true });
  const realWrite = handleProto.writeFile;
  vi.spyOn(handleProto, 'writeFile').mockImplementation(function (this: unknown, ...args: unknown[]) {
    if (full.on) return Promise.reject(enospc());
    return realWrite.apply(this, args);
  });
  const createStore: JsonFileStoreFactory = (options) => {
    const inner = createConfStore(options);
    return {
      get path() {
        return inner.path;
      },
      get store() {
        return inner.store;
      },
      set store(value) {
        if (full.on) throw enospc();
        inner.store = value;
      },
    };
  };
  return { full, createStore };
}
