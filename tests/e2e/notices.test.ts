/**
 * The Chat window in Chromium shows a notice that arises after it opened: a conversation file damaged
 * while the app runs is found when the user opens that conversation, long after the window asked for the
 * notices once. The banner must appear anyway (pushed as `app:noticesChanged`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeConversation } from '../../electron/main/conversations/conversation-file';
import { startE2eHost, type E2eHost } from '../support/e2e-host';

const AT = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'];

function seed(dataDir: string): void {
  const dir = path.join(dataDir, 'conversations');
  fs.mkdirSync(dir, { recursive: true });
  ['older-one', 'newest-one'].forEach((id, i) => {
    const at = AT[i]!;
    const messages = [{ id: `m-${id}`, role: 'user' as const, content: `Hello from ${id}`, status: 'complete' as const, createdAt: at }];
    fs.writeFileSync(path.join(dir, `${id}.json`), serializeConversation({ id, title: `Title ${id}`, providerId: null, model: '', createdAt: at, updatedAt: at, messages }));
  });
}

describe('notices that arise after the window opened', () => {
  let e2e: E2eHost;
  beforeAll(async () => {
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-notices-', seed });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('shows the banner for a conversation found damaged when it is opened', async () => {
    const page = await e2e.open(e2e.host.chatUrl);
    await page.getByText('Title older-one').waitFor();
    // The window has asked for the notices; there were none.
    await expect.poll(() => page.locator('.notice-stack').count()).toBe(0);
    fs.writeFileSync(path.join(e2e.dataDir, 'conversations', 'older-one.json'), '{"id": "older-one", "title": ');
    await page.getByText('Title older-one').click();
    await page.getByRole('alert').filter({ hasText: 'A conversation file could not be read.' }).waitFor({ timeout: 10_000 });
    expect(e2e.pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
