import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreBounds, WindowStateFile } from '../../../../electron/main/windows/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1415 };
const min = { width: 640, height: 420 };

describe('restoreBounds', () => {
  it('puts a window back where it was when that place is still on a display', () => {
    expect(restoreBounds({ x: 1600, y: 100, width: 1200, height: 800 }, [laptop, external], min)).toEqual({
      x: 1600,
      y: 100,
      width: 1200,
      height: 800,
    });
  });

  it('keeps only the size when the display it was on is gone (the OS then centres it)', () => {
    expect(restoreBounds({ x: 1600, y: 100, width: 1200, height: 800 }, [laptop], min)).toEqual({ width: 1200, height: 800 });
  });

  it('clamps a window larger than every display and never below the minimum size', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 5000, height: 4000 }, [laptop], min)).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
    expect(restoreBounds({ x: 10, y: 10, width: 100, height: 50 }, [laptop], min)).toEqual({ x: 10, y: 10, width: 640, height: 420 });
  });

  it('ignores missing or damaged saved bounds', () => {
    expect(restoreBounds(undefined, [laptop], min)).toEqual({});
    expect(restoreBounds({ x: Number.NaN, y: 0, width: 800, height: 600 }, [laptop], min)).toEqual({});
  });
});

describe('WindowStateFile', () => {
  it('round-trips each window state through the file and survives a damaged file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-winstate-'));
    const file = path.join(dir, 'window-state.json');
    const a = new WindowStateFile(file);
    a.set('chat', { bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true });
    a.set('settings', { bounds: { x: 50, y: 60, width: 800, height: 600 }, maximized: false });
    a.flush();
    const b = new WindowStateFile(file);
    expect(b.get('chat')).toEqual({ bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true });
    expect(b.get('settings')?.bounds.width).toBe(800);
    fs.writeFileSync(file, '{"chat": {"bounds": "nope"');
    expect(new WindowStateFile(file).get('chat')).toBeUndefined();
  });
});
