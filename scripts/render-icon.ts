/**
 * Renders the one source image (renderer/public/icon.svg) to build/icon.png at 1024×1024, from which
 * electron-builder derives every platform's icon (icns, ico, Linux sizes). Run after changing the SVG:
 * `npx tsx scripts/render-icon.ts`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { launchChromium } from '../tests/support/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'renderer/public/icon.svg'), 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="1024" height="1024" ')}</body></html>`,
  );
  await page.locator('svg').screenshot({ path: path.join(root, 'build/icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote build/icon.png');
