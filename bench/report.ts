/**
 * The benchmark's output: one figure per row of the table (median, p95, min, max, number of
 * runs, budget, pass/miss), the machine and versions it ran on, printed as a table and written as JSON.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, summarize, type Summary } from './stats';

export interface Figure {
  id: string;
  title: string;
  unit: string;
  /** What `stats` is a distribution of. */
  per: string;
  stats: Summary;
  budget: string | null;
  /** null: reported only, no budget. */
  pass: boolean | null;
  details?: Record<string, unknown>;
}

export function figure(
  spec: Omit<Figure, 'stats' | 'pass'> & { samples: readonly number[]; check?: (s: Summary) => boolean },
): Figure {
  const stats = summarize(spec.samples);
  const { samples: _samples, check, ...rest } = spec;
  return { ...rest, stats: roundSummary(stats), pass: check ? check(stats) : null };
}

function roundSummary(s: Summary): Summary {
  return { median: round(s.median), min: round(s.min), max: round(s.max), mean: round(s.mean), p95: round(s.p95), runs: s.runs };
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  chromium: string;
  electron: string;
  openai: string;
  react: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The installed version (some packages do not export their package.json, so read it from the tree). */
function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The commit measured, and the app files that differed from it (the build takes the working tree). */
export function sourceState(): { commit: string; uncommittedAppFiles: string[] } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  try {
    // Porcelain lines are `XY path`; the leading status column may be a space, so no trimming.
    const changed = git('status', '--porcelain', '--', 'renderer', 'electron', 'shared')
      .split('\n')
      .filter((line) => line.length > 3)
      .map((line) => line.slice(3));
    return { commit: git('rev-parse', '--short', 'HEAD').trim(), uncommittedAppFiles: changed };
  } catch {
    return { commit: 'unknown (not a git checkout)', uncommittedAppFiles: [] };
  }
}

function osName(): string {
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()} ${os.arch()})`;
  } catch {
    // Not Linux: the kernel name is what we have.
  }
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

export function machine(chromiumVersion: string): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    chromium: chromiumVersion,
    electron: packageVersion('electron'),
    openai: packageVersion('openai'),
    react: packageVersion('react'),
    loadAverageAtStart: os.loadavg().map((x) => round(x)),
  };
}

export interface Results {
  date: string;
  source: ReturnType<typeof sourceState>;
  mode: 'quick' | 'full';
  durationSeconds: number;
  machine: Machine;
  figures: Figure[];
  notes: string[];
}

function cell(value: number, unit: string): string {
  return unit === 'KB' || unit === 'MB' ? `${value} ${unit}` : unit === '×' ? `${value}×` : unit === 'ms' ? `${value} ms` : `${value}`;
}

export function table(results: Results): string[][] {
  const header = ['figure', 'median', 'p95', 'min – max', 'runs', 'budget', 'result'];
  const rows = results.figures.map((f) => [
    f.title,
    cell(f.stats.median, f.unit),
    f.stats.runs > 1 ? cell(f.stats.p95, f.unit) : '',
    f.stats.runs > 1 ? `${cell(f.stats.min, f.unit)} – ${cell(f.stats.max, f.unit)}` : '',
    String(f.stats.runs),
    f.budget ?? 'report',
    f.pass === null ? '' : f.pass ? 'pass' : 'MISS',
  ]);
  return [header, ...rows];
}

/** A plain-text table for the terminal. */
export function printTable(results: Results): string {
  const rows = table(results);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for the README. */
export function markdownTable(results: Results): string {
  const rows = table(results);
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

export function writeResults(file: string, results: Results): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
