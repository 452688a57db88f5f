/**
 * Attachments end to end: real Chromium drives the built Chat window through the browser host against the
 * local test server. An image pasted into the composer and a text file dropped on the window show as chips,
 * go to the server as `image_url` and text parts, and are in the conversation after a reload (the image
 * opens larger on click). A model without vision refuses in one sentence, and "Send without images" answers.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../electron/browser-host/host';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import { localProvider, startE2eHost, type E2eHost } from '../support/e2e-host';

/** Pastes a 40×30 PNG drawn in the page into the composer, as Ctrl+V of a screenshot does. */
/** Pastes an image as Ctrl/Cmd+V does: into the message box, or (`target`) wherever the focus is. */
async function pasteImage(page: Page, name: string, target = 'textarea.composer-input'): Promise<void> {
  await page.evaluate(async ([fileName, selector]) => {
    const canvas = new OffscreenCanvas(40, 30);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.fillStyle = '#c03';
    context.fillRect(0, 0, 40, 30);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const data = new DataTransfer();
    data.items.add(new File([blob], fileName ?? 'image.png', { type: 'image/png' }));
    const input = document.querySelector(selector ?? '');
    if (!input) throw new Error(`nothing matches ${selector}`);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [name, target]);
}

/** Drops a text file on the window (dragenter, dragover, drop), as dragging it from the file manager does. */
async function dropTextFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([fileName, content]) => {
      const data = new DataTransfer();
      data.items.add(new File([content ?? ''], fileName ?? 'file', { type: 'text/plain' }));
      const target = document.querySelector('.message-list') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    [name, text],
  );
}

describe('Attachments in the Chat window', () => {
  let server: OpenAIServer;
  let host: BrowserHost;
  let e2e: E2eHost;
  let page: Page;

  const mainCall: E2eHost['call'] = (channel, input) => e2e.call(channel, input);

  const composer = () => page.getByRole('textbox', { name: 'Message', exact: true });
  const chips = () => page.getByRole('list', { name: 'Attachments' }).first().locator('li');
  const lastChatBody = () => server.requestsTo('/chat/completions', 'POST').at(-1)?.body as Record<string, unknown> | undefined;

  beforeAll(async () => {
    server = await startOpenAIServer({ models: ['gpt-4o-mini', 'text-only-lmstudio'] });
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-attachments-' });
    host = e2e.host;
    await mainCall('providers:save', localProvider(server.url));
    page = await e2e.open(host.chatUrl);
  });

  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('sends a pasted image and a dropped text file, and shows both after a reload', async () => {
    await composer().waitFor();
    await pasteImage(page, 'screenshot.png');
    await dropTextFile(page, 'notes.md', '# Notes\nremember the milk');
    await page.locator('.attachment-chip[data-status="ready"]').nth(1).waitFor();
    expect(await chips().count()).toBe(2);
    // The image chip shows its thumbnail; the file chip its name and size.
    expect(await page.locator('.attachment-chip img.attachment-thumb').getAttribute('alt')).toBe('screenshot.png');
    await page.locator('.attachment-chip').getByText('notes.md', { exact: true }).waitFor();
    await page.locator('.attachment-chip').getByText('25 B', { exact: true }).waitFor();

    await composer().fill('What do you see?');
    await composer().press('Enter');
    await page.locator('.message-assistant').getByText('Echo: What do you see?').waitFor();
    const content = (lastChatBody()?.messages as { content: { type: string; text?: string; image_url?: { url: string } }[] }[])[0]?.content;
    expect(content?.map((p) => p.type)).toEqual(['text', 'image_url', 'text']);
    expect(content?.[1]?.image_url?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(content?.[2]?.text).toBe('<file name="notes.md" type="text/markdown">\n# Notes\nremember the milk\n</file>');
    expect(server.violations).toEqual([]);
    // Sent: the composer is empty again.
    expect(await page.locator('.attachment-chip').count()).toBe(0);

    await page.reload();
    const sent = page.locator('.message-user .message-attachments');
    await sent.locator('img[alt="screenshot.png"]').waitFor();
    await sent.getByText('notes.md', { exact: true }).waitFor();
    await sent.getByRole('button', { name: 'View screenshot.png larger' }).click();
    const viewer = page.getByRole('dialog', { name: 'screenshot.png' });
    await viewer.locator('img.image-viewer').waitFor();
    await viewer.getByRole('button', { name: 'Close', exact: true }).click();
    await viewer.waitFor({ state: 'detached' });
  });

  it('a model without vision refuses in one sentence; Send without images answers', async () => {
    const [summary] = await mainCall('conversations:list', undefined);
    if (!summary) throw new Error('no conversation');
    await mainCall('conversations:setProvider', { id: summary.id, providerId: summary.providerId ?? '', model: 'text-only-lmstudio' });
    // A paste into another text field is left to it; with the focus on the messages (a focusable region) it attaches, once.
    await pasteImage(page, 'not-here.png', 'input[placeholder="Search by title"]');
    expect(await page.locator('.attachment-chip').count()).toBe(0);
    await pasteImage(page, 'chart.png', '.message-scroll');
    await page.locator('.attachment-chip[data-status="ready"]').waitFor();
    expect(await page.locator('.attachment-chip').count()).toBe(1);
    await composer().fill('And this one?');
    await composer().press('Enter');
    await page.getByText('text-only-lmstudio does not accept images.', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send without images', exact: true }).click();
    await page.locator('.message-assistant').getByText('Echo: And this one?', { exact: false }).waitFor();
    const content = (lastChatBody()?.messages as { content: unknown }[]).at(-1)?.content;
    expect(content).toEqual([
      { type: 'text', text: 'And this one?' },
      { type: 'text', text: '[Image “chart.png” attached; left out because this model does not accept images.]' },
    ]);
    expect(e2e.pageErrors).toEqual([]);
  });

  it('refuses an unsupported file on its chip, in one sentence naming the type', async () => {
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3])], 'archive.zip', { type: 'application/zip' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page
      .locator('.attachment-chip[data-status="failed"]')
      .getByText('“archive.zip” is a ZIP archive: Switchboard can attach images (PNG, JPEG, WebP, GIF), text files and PDFs.')
      .waitFor();
    await page.getByRole('button', { name: 'Remove archive.zip' }).click();
    expect(await page.locator('.attachment-chip').count()).toBe(0);
  });
});
