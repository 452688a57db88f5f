/**
 * The benchmark measures the renderer as it is built now, in a directory of its own: other people (and
 * the tests) rebuild `out/` at any time, which must not swap the JavaScript under a running benchmark.
 * Only the renderer is built (through electron-vite's own configuration), so work in progress on the
 * main process cannot stop a benchmark of the windows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';
import { tempDir } from './app-session';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the production build of the renderer into a temp dir and returns that directory. */
export async function buildRenderer(): Promise<string> {
  const outDir = path.join(tempDir('switchboard-bench-build-'), 'out');
  // What `electron-vite build` sets before it resolves the configuration.
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const resolved = await resolveConfig({ root: repoRoot, logLevel: 'error', build: { outDir } }, 'build', 'production');
  const renderer = resolved.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer configuration');
  await build(renderer);
  const rendererDir = path.join(outDir, 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'chat', 'index.html'))) throw new Error(`the build did not produce ${rendererDir}/chat/index.html`);
  return rendererDir;
}
