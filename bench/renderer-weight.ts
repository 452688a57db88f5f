/**
 * Renderer weight: the gzip size of each window's JavaScript in the production build (everything its
 * index.html loads, following static imports; lazily imported chunks are listed apart), and the time to
 * first contentful paint of each window in Chromium, from navigation start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';

export interface WindowWeight {
  window: 'chat' | 'settings';
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  /** Chunks only reachable through import(): not loaded when the window opens. */
  lazyGzipBytes: number;
}

const STATIC_IMPORT = /(?:import|export)\s*(?:[\w*{}\s,$]*?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
const DYNAMIC_IMPORT = /import\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g;

function gzipSize(file: string): number {
  return gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

export function windowWeight(rendererDir: string, window: 'chat' | 'settings'): WindowWeight {
  const htmlPath = path.join(rendererDir, window, 'index.html');
  const html = fs.readFileSync(htmlPath, 'utf8');
  const entries = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) =>
    path.resolve(path.dirname(htmlPath), m[1]!.startsWith('/') ? path.join(rendererDir, m[1]!) : m[1]!),
  );
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const visit = (file: string, into: Set<string>) => {
    if (eager.has(file) || into.has(file)) return;
    into.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(STATIC_IMPORT)) visit(path.resolve(path.dirname(file), m[1]!), into);
    for (const m of source.matchAll(DYNAMIC_IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1]!);
      if (!eager.has(target)) visit(target, lazy);
    }
  };
  for (const entry of entries) visit(entry, eager);
  for (const file of eager) lazy.delete(file);
  const sum = (files: Set<string>, size: (f: string) => number) => [...files].reduce((total, f) => total + size(f), 0);
  return {
    window,
    files: [...eager].map((f) => path.relative(rendererDir, f)),
    rawBytes: sum(eager, (f) => fs.statSync(f).size),
    gzipBytes: sum(eager, gzipSize),
    lazyGzipBytes: sum(lazy, gzipSize),
  };
}

/** First contentful paint of a freshly opened window (ms from navigation start). */
export async function firstPaint(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    const fcp = await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      undefined,
      { polling: 50, timeout: 30_000 },
    );
    return (await fcp.jsonValue()) as number;
  } finally {
    await page.close();
  }
}
