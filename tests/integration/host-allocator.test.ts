/**
 * The browser host's process environment (`browserHostEnv`) against this machine's real glibc: a Node process
 * frees one multi-megabyte buffer (as after a request body with images), then makes and frees 1 MB buffers
 * between small ones it keeps (as each later turn does). With glibc's default dynamic mmap threshold the
 * 1 MB blocks land in the main heap, which the kept small blocks pin, so `[heap]` grows and stays grown;
 * with the environment the host is started with, each 1 MB block is mapped on its own and returned when
 * freed. The default case is measured too, so a tunable glibc ignored (a misspelt name) fails here.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { browserHostEnv } from '../../electron/launcher/decisions';
import { glibcVersion } from '../../electron/launcher/host-process-env';

const PROBE = `
const fs = require('node:fs');
const heapRssMB = () => {
  const smaps = fs.readFileSync('/proc/self/smaps', 'utf8');
  const at = smaps.indexOf('[heap]');
  return at < 0 ? 0 : Number(/Rss:\\s+(\\d+) kB/.exec(smaps.slice(at))[1]) / 1024;
};
const before = heapRssMB();
let body = Buffer.alloc(8 * 1024 * 1024, 1);
body = null;
gc();
const kept = [];
for (let i = 0; i < 40; i++) {
  let image = Buffer.alloc(1024 * 1024, 2);
  kept.push(Buffer.alloc(64, 3));
  image = null;
  if (i % 4 === 0) gc();
}
gc();
process.stdout.write(JSON.stringify({ growthMB: heapRssMB() - before, kept: kept.length }));
`;

function heapGrowthMB(env: NodeJS.ProcessEnv): number {
  const result = spawnSync(process.execPath, ['--expose-gc', '-e', PROBE], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the probe failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { growthMB: number }).growthMB;
}

const glibc = glibcVersion();

describe.skipIf(!glibc)('the browser host’s malloc settings on this glibc', () => {
  it('keep the main heap from growing with freed multi-megabyte buffers, where the default does not', () => {
    const defaults = { ...process.env };
    delete defaults.GLIBC_TUNABLES;
    const hostEnv = browserHostEnv({ platform: process.platform, env: defaults, glibcVersion: glibc });
    expect(hostEnv.GLIBC_TUNABLES).toBeDefined();

    expect(heapGrowthMB(defaults)).toBeGreaterThan(3);
    expect(heapGrowthMB(hostEnv)).toBeLessThan(1);
  });
});
