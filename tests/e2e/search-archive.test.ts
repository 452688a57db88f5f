/**
 * Search, export and import end to end: real Chromium drives the built Chat window through the browser
 * host (the real services and files). A long conversation is seeded on disk; a word only its 11th message
 * holds is searched and jumped to (an older page is loaded for it); the conversation is exported as
 * Markdown and JSON (downloads, as the browser host cannot save where the user chooses), and the JSON is
 * imported into a fresh data dir, where the conversation shows again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeConversation } from '../../electron/main/conversations/conversation-file';
import type { Conversation, Message } from '../../shared/models/conversation';
import { startE2eHost, type E2eHost } from '../support/e2e-host';

const LONG_ID = 'e2e-long-conversation';
const LONG_TITLE = 'Garden log 花園日誌';
const RARE = 'zephyrquartz';
const COUNT = 600;

function longConversation(): Conversation {
  const messages: Message[] = Array.from({ length: COUNT }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: i === 10 ? `The old note about the ${RARE} crystal in the greenhouse.` : `Entry ${i}: watered the tomatoes and checked the soil.`,
    status: 'complete',
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  }));
  return {
    id: LONG_ID,
    title: LONG_TITLE,
    providerId: null,
    model: 'gpt-test',
    createdAt: messages[0]!.createdAt,
    updatedAt: messages[COUNT - 1]!.createdAt,
    messages,
  };
}

describe('Search, export and import', () => {
  let e2e: E2eHost;
  let fresh: E2eHost;
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-downloads-'));

  beforeAll(async () => {
    e2e = await startE2eHost({
      dataDirPrefix: 'sb-e2e-search-',
      defaultTimeoutMs: 20_000,
      seed: (dataDir) => {
        const dir = path.join(dataDir, 'conversations');
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `${LONG_ID}.json`), serializeConversation(longConversation()));
      },
    });
  });
  afterAll(async () => {
    await e2e?.close();
    await fresh?.close();
    fs.rmSync(downloads, { recursive: true, force: true });
  });

  it('finds a word only an old message of a long conversation holds, and opens the conversation at it', async () => {
    const page = await e2e.open(e2e.host.chatUrl);
    await page.getByRole('button', { name: 'Search', exact: true }).waitFor();
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox', { name: 'Search all messages' });
    await box.pressSequentially('ZEPHYR', { delay: 20 });
    const hit = page.getByRole('option').filter({ hasText: LONG_TITLE });
    await expect.poll(() => hit.count(), { timeout: 20_000 }).toBe(1);
    await expect(hit.locator('mark').first().textContent()).resolves.toBe(RARE);
    await box.press('Enter');
    const focused = page.locator('.message-row.search-focus');
    await focused.waitFor();
    await expect(focused.textContent()).resolves.toContain(`The old note about the ${RARE} crystal`);
    await expect(focused.getAttribute('aria-posinset')).resolves.toBe('11');
    await expect.poll(() => focused.evaluate((el) => {
      const view = el.closest('.message-scroll')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom + 1;
    })).toBe(true);

    // zh-TW without spaces: two characters of the title.
    await page.keyboard.press('Control+Shift+F');
    await page.getByRole('combobox', { name: 'Search all messages' }).fill('花園');
    await expect.poll(() => page.getByRole('option').filter({ hasText: 'Title' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(e2e.pageErrors).toEqual([]);
  });

  it('exports the conversation as Markdown and JSON, and the JSON imports into a fresh data dir', async () => {
    const page = e2e.context.pages()[0]!;
    const exportBox = page.getByRole('combobox', { name: 'Export this conversation' });

    const markdownDownload = page.waitForEvent('download');
    await exportBox.selectOption('markdown');
    const markdownFile = path.join(downloads, (await markdownDownload).suggestedFilename());
    await (await markdownDownload).saveAs(markdownFile);
    expect(path.basename(markdownFile)).toBe(`${LONG_TITLE}.md`);
    const markdown = fs.readFileSync(markdownFile, 'utf8');
    expect(markdown.startsWith(`# ${LONG_TITLE}\n`)).toBe(true);
    expect(markdown).toContain(`The old note about the ${RARE} crystal`);

    const jsonDownload = page.waitForEvent('download');
    await exportBox.selectOption('json');
    const jsonFile = path.join(downloads, (await jsonDownload).suggestedFilename());
    await (await jsonDownload).saveAs(jsonFile);
    const exported = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { format: string; conversations: Conversation[] };
    expect(exported.format).toBe('switchboard-conversations');
    expect(exported.conversations[0]).toEqual(longConversation());

    fresh = await startE2eHost({ dataDirPrefix: 'sb-e2e-import-', defaultTimeoutMs: 20_000 });
    const other = await fresh.open(fresh.host.chatUrl);
    await other.getByRole('button', { name: 'Import…' }).waitFor();
    await other.locator('input[type=file][aria-label="Import…"]').setInputFiles(jsonFile);
    await other.getByText('Imported 1 conversation (0 already here).').waitFor();
    await other.getByRole('heading', { name: LONG_TITLE }).waitFor();
    await other.getByText('Entry 599: watered the tomatoes and checked the soil.').waitFor();
    const imported = await fresh.host.services.handlers['conversations:get']!({ id: LONG_ID, limit: 1000 }, { windowId: -1, windowKind: 'chat' });
    const { olderCount: _older, ...conversation } = imported;
    expect(conversation).toEqual(longConversation());

    // Again: nothing is duplicated.
    await other.locator('input[type=file][aria-label="Import…"]').setInputFiles(jsonFile);
    await other.getByText('Imported 0 conversations (1 already here).').waitFor();

    // A file beyond what the browser host's connection carries (16 MB a message) is refused with a sentence,
    // and the window keeps working (the host used to drop the connection, and every call after it failed).
    await other.locator('input[type=file][aria-label="Import…"]').setInputFiles({
      name: 'huge.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ padding: 'x'.repeat(17 * 1024 * 1024) })),
    });
    await other.getByText('This is too large for Switchboard in the browser (over 16 MB). Use the desktop app for files this large.').waitFor();
    const stillAnswers = await other.evaluate(() => (window as unknown as { switchboard: { app: { info(): Promise<{ ok: boolean }> } } }).switchboard.app.info());
    expect(stillAnswers.ok).toBe(true);
    expect(fresh.pageErrors).toEqual([]);
  });
});
