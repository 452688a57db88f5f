/**
 * Launches the real Electron app (the production build in out/) with Playwright's Electron driver and opens
 * both windows. Runs wherever an Electron binary is installed; reported as skipped, with the reason, where
 * none is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../support/electron-binary';

const binary = findElectronBinary();

describe('Electron app smoke test', () => {
  it('starts, shows the Chat window and opens the single Settings window', async (ctx) => {
    if ('missing' in binary) return ctx.skip(binary.missing);
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [path.resolve('.')],
      env: { ...process.env, SWITCHBOARD_USER_DATA_DIR: userData, SWITCHBOARD_PRODUCTION: '1' },
    });
    try {
      const chat = await app.firstWindow();
      await chat.getByRole('button', { name: /Settings|設定/ }).first().click();
      await expect.poll(() => app.windows().length).toBe(2);
      // A second request focuses the existing Settings window instead of opening another.
      await chat.getByRole('button', { name: /Settings|設定/ }).first().click();
      await new Promise((r) => setTimeout(r, 500));
      expect(app.windows().length).toBe(2);
      const settings = app.windows().find((w) => w.url().includes('/settings/'));
      expect(settings).toBeDefined();
      // The sandboxed page has no Node and no raw IPC, only our named functions.
      const surface = await chat.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        api: Object.keys((window as unknown as { switchboard: object }).switchboard).sort(),
      }));
      expect(surface.require).toBe('undefined');
      expect(surface.process).toBe('undefined');
      expect(surface.api).toEqual(['app', 'chat', 'conversations', 'on', 'providers']);
    } finally {
      await app.close();
    }
  });
});
