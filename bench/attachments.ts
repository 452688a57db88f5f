/**
 * Attachments, measured in Chromium against the browser host (the app's main process in its own Node
 * process, as for the other memory figures):
 *   - paste -> thumbnail painted: a 12 MP photo-like JPEG (4000×3000, drawn in the page: gradients, shapes
 *     and grain, so it is as large as a camera's) is pasted into the composer as Ctrl+V would; timed on the
 *     page clock from the paste event to the thumbnail's paint as Element Timing reports it;
 *   - the request size of that image once downscaled: the body the local server received (and the image's
 *     bytes in it);
 *   - main's RSS after 50 turns that each paste and send an image (new conversation every 10 turns, as the
 *     history of images is sent again each turn), against the RSS after the first 5.
 */
import type { Browser, Page } from 'playwright-core';
import { startOpenAIServer } from '../tests/fixtures/openai-server/index.js';
import { BENCH_MODEL, newChat, startAppSession } from './app-session';

export interface AttachmentsRun {
  pasteToThumbnailMs: number[];
  requestBytes: number;
  imageBytes: number;
  sentSide: { width: number; height: number } | null;
  originalBytes: number;
  rssAfterWarmupMB: number;
  rssAfterTurnsMB: number;
  heapGrowthMB: number;
  turns: number;
  memorySeries: { turns: number; rssMB: number; heapUsedMB: number; externalMB: number; arrayBuffersMB: number }[];
}

const MB = 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Draws a photo-like image in the page and keeps it as `window.__photo` (a File), answering its bytes. */
async function makePhoto(page: Page, width: number, height: number, seed: number): Promise<number> {
  return page.evaluate(
    async ([w, h, s]) => {
      const canvas = new OffscreenCanvas(w, h);
      const c = canvas.getContext('2d');
      if (!c) throw new Error('no canvas');
      const sky = c.createLinearGradient(0, 0, 0, h);
      sky.addColorStop(0, `hsl(${(s * 47) % 360} 60% 70%)`);
      sky.addColorStop(1, `hsl(${(s * 47 + 120) % 360} 50% 30%)`);
      c.fillStyle = sky;
      c.fillRect(0, 0, w, h);
      let x = s * 9973;
      const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let i = 0; i < 400; i++) {
        c.fillStyle = `hsla(${rand() * 360} 70% ${30 + rand() * 50}% / 0.6)`;
        c.beginPath();
        c.arc(rand() * w, rand() * h, 10 + rand() * w * 0.08, 0, Math.PI * 2);
        c.fill();
      }
      // Sensor-like grain: a camera's JPEG of this size is 3-6 MB, not the 0.7 MB of flat shapes.
      const tile = c.getImageData(0, 0, 512, 512);
      for (let i = 0; i < tile.data.length; i += 4) {
        const n = (rand() - 0.5) * 40;
        tile.data[i] = tile.data[i]! + n;
        tile.data[i + 1] = tile.data[i + 1]! + n;
        tile.data[i + 2] = tile.data[i + 2]! + n;
      }
      const grain = new OffscreenCanvas(512, 512);
      grain.getContext('2d')?.putImageData(tile, 0, 0);
      c.globalAlpha = 0.5;
      for (let y = 0; y < h; y += 512) for (let gx = 0; gx < w; gx += 512) c.drawImage(grain, gx, y);
      c.globalAlpha = 1;
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      (window as unknown as { __photo: File }).__photo = new File([blob], `photo-${s}.jpg`, { type: 'image/jpeg' });
      return blob.size;
    },
    [width, height, seed] as const,
  );
}

/**
 * Pastes `window.__photo` and resolves with the time from the paste event to the thumbnail painted: the
 * paint time Element Timing reports for the chip's image (`elementtiming="attachment-thumbnail"`).
 */
async function pasteAndTime(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const input = document.querySelector('textarea.composer-input');
        const photo = (window as unknown as { __photo?: File }).__photo;
        if (!input || !photo) {
          reject(new Error('no composer or photo'));
          return;
        }
        let pastedAt = 0;
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number; loadTime?: number })[]) {
            if (entry.identifier !== 'attachment-thumbnail' || entry.startTime < pastedAt) continue;
            observer.disconnect();
            resolve((entry.renderTime || entry.startTime) - pastedAt);
            return;
          }
        });
        observer.observe({ type: 'element', buffered: false });
        setTimeout(() => reject(new Error('no thumbnail paint within 10 s')), 10_000);
        const data = new DataTransfer();
        data.items.add(photo);
        pastedAt = performance.now();
        input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }),
  );
}

async function readyChip(page: Page): Promise<void> {
  await page.locator('.attachment-chip[data-status="ready"]').waitFor({ timeout: 60_000 });
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  const reply = page.locator('.message-assistant').getByText(`Echo: ${text}`, { exact: true });
  const failed = page.locator('.message-assistant .message-error-text').last();
  await reply.or(failed).first().waitFor({ timeout: 60_000 });
  if (!(await reply.isVisible())) throw new Error(`the turn "${text}" failed: ${await failed.textContent()}`);
}

export async function attachmentsRun(options: {
  browser: Browser;
  rendererDir: string;
  pasteRuns: number;
  turns: number;
  log: (message: string) => void;
}): Promise<AttachmentsRun> {
  const server = await startOpenAIServer({ models: [BENCH_MODEL] });
  const session = await startAppSession({ browser: options.browser, rendererDir: options.rendererDir });
  try {
    await session.addProvider(server.url, 'sk-bench-attachments');
    const page = await session.openChat();

    // Paste -> thumbnail, on a fresh 12 MP photo each run (removed again, never sent).
    const pasteToThumbnailMs: number[] = [];
    let originalBytes = 0;
    for (let i = 0; i < options.pasteRuns; i++) {
      originalBytes = await makePhoto(page, 4000, 3000, i + 1);
      pasteToThumbnailMs.push(await pasteAndTime(page));
      await readyChip(page);
      await page.locator('.attachment-remove').click();
      await page.locator('.attachment-chip').waitFor({ state: 'detached' });
    }

    // The request of one 12 MP photo, downscaled.
    await makePhoto(page, 4000, 3000, 99);
    await pasteAndTime(page);
    await readyChip(page);
    await sendAndWait(page, 'size check');
    const request = server.requestsTo('/chat/completions', 'POST').at(-1);
    const body = request?.body as { messages?: { content?: { type: string; image_url?: { url: string } }[] }[] } | undefined;
    const url = body?.messages?.at(-1)?.content?.find((p) => p.type === 'image_url')?.image_url?.url ?? '';
    const imageBytes = Math.floor(((url.length - url.indexOf(',') - 1) * 3) / 4);
    const [sent] = await session.host.call('call', { channel: 'conversations:list', input: undefined }).then(async (list) => {
      const summaries = list as { id: string }[];
      const page0 = (await session.host.call('call', { channel: 'conversations:get', input: { id: summaries[0]?.id ?? '' } })) as {
        messages: { attachments?: { width?: number; height?: number }[] }[];
      };
      return page0.messages.flatMap((m) => m.attachments ?? []);
    });

    // Memory: 50 turns with a 2 MP image each (a new conversation every 10 turns).
    options.log(`  attachments: ${options.turns} turns with images`);
    let rssAfterWarmup = 0;
    let heapAfterWarmup = 0;
    let last = { rss: 0, heapUsed: 0 };
    const series: AttachmentsRun['memorySeries'] = [];
    for (let n = 1; n <= options.turns; n++) {
      if (n > 1 && (n - 1) % 10 === 0) await newChat(page);
      await makePhoto(page, 1600, 1200, 1000 + n);
      await pasteAndTime(page);
      await readyChip(page);
      await sendAndWait(page, `turn ${n} with an image`);
      if (n === 5 || n % 15 === 5 || n === options.turns) {
        await sleep(1500);
        const m = (await session.host.call('memory', undefined)) as { rss: number; heapUsed: number; external: number; arrayBuffers: number };
        series.push({ turns: n, rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, externalMB: m.external / MB, arrayBuffersMB: m.arrayBuffers / MB });
        if (n === 5) {
          rssAfterWarmup = m.rss;
          heapAfterWarmup = m.heapUsed;
        }
        last = m;
      }
    }
    return {
      pasteToThumbnailMs,
      requestBytes: request?.rawBody.length ?? 0,
      imageBytes,
      sentSide: sent?.width && sent.height ? { width: sent.width, height: sent.height } : null,
      originalBytes,
      rssAfterWarmupMB: rssAfterWarmup / 1024 / 1024,
      rssAfterTurnsMB: last.rss / 1024 / 1024,
      heapGrowthMB: (last.heapUsed - heapAfterWarmup) / 1024 / 1024,
      turns: options.turns,
      memorySeries: series.map((m) => ({
        turns: m.turns,
        rssMB: Math.round(m.rssMB * 10) / 10,
        heapUsedMB: Math.round(m.heapUsedMB * 10) / 10,
        externalMB: Math.round(m.externalMB * 10) / 10,
        arrayBuffersMB: Math.round(m.arrayBuffersMB * 10) / 10,
      })),
    };
  } finally {
    await session.close();
    await server.close();
  }
}
