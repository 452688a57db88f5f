/**
 * Remembers each window's size and position (and maximised state) in `<userData>/window-state.json`, and puts
 * a window back only where it is still visible (a monitor may have been unplugged since). The geometry logic
 * is pure and unit-tested; this file imports nothing from Electron at run time.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export type WindowStates = Partial<Record<'chat' | 'settings', WindowState>>;

const MIN_VISIBLE = 64;

function isFiniteBounds(b: unknown): b is Bounds {
  if (typeof b !== 'object' || b === null) return false;
  const r = b as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

/**
 * The saved bounds if at least a grab-able part of the window lies on one of the displays' work areas;
 * otherwise only the saved size, clamped to the largest display, and no position (the OS centres it).
 */
export function restoreBounds(saved: Bounds | undefined, workAreas: Bounds[], min: { width: number; height: number }): Partial<Bounds> {
  if (!saved || !isFiniteBounds(saved) || workAreas.length === 0) return {};
  const largest = workAreas.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
  const width = Math.max(min.width, Math.min(saved.width, largest.width));
  const height = Math.max(min.height, Math.min(saved.height, largest.height));
  const visible = workAreas.some(
    (a) =>
      saved.x + width - MIN_VISIBLE >= a.x &&
      saved.x + MIN_VISIBLE <= a.x + a.width &&
      saved.y >= a.y - 8 &&
      saved.y + MIN_VISIBLE / 2 <= a.y + a.height,
  );
  return visible ? { x: saved.x, y: saved.y, width, height } : { width, height };
}

export class WindowStateFile {
  private states: WindowStates;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly file: string) {
    this.states = WindowStateFile.read(file);
  }

  static read(file: string): WindowStates {
    try {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      const out: WindowStates = {};
      for (const kind of ['chat', 'settings'] as const) {
        const s = raw[kind] as { bounds?: unknown; maximized?: unknown } | undefined;
        if (s && isFiniteBounds(s.bounds)) out[kind] = { bounds: s.bounds, maximized: s.maximized === true };
      }
      return out;
    } catch {
      // Missing or unreadable: windows open at their default size; nothing else depends on this file.
      return {};
    }
  }

  get(kind: 'chat' | 'settings'): WindowState | undefined {
    return this.states[kind];
  }

  /** Debounced: resize and move events arrive many times a second. */
  set(kind: 'chat' | 'settings', state: WindowState): void {
    this.states[kind] = state;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), 400);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(this.states, null, 2));
    fs.renameSync(tmp, this.file);
  }
}
