import { describe, expect, it, vi } from 'vitest';
import { createQuitSequence } from '../../../../electron/main/shell/quit-sequence';

function event() {
  return { preventDefault: vi.fn() };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function make(dispose: () => Promise<void>) {
  const timers: (() => void)[] = [];
  const deps = {
    flushState: vi.fn(),
    dispose: vi.fn(dispose),
    quit: vi.fn(),
    onError: vi.fn(),
    setTimer: (fn: () => void) => timers.push(fn),
  };
  return { seq: createQuitSequence(deps), deps, timers };
}

describe('quit sequence (docs/api/app.md: before-quit, windows close, will-quit)', () => {
  it('a quit cancelled by a window (no will-quit) disposes nothing', () => {
    const { seq, deps } = make(() => Promise.resolve());
    const e = event();
    seq.beforeQuit(e);
    expect(e.preventDefault).not.toHaveBeenCalled();
    expect(deps.flushState).toHaveBeenCalledTimes(1);
    expect(deps.dispose).not.toHaveBeenCalled();
    expect(seq.state).toBe('running');
    // The user tries again later and the quit goes through.
    seq.beforeQuit(event());
    expect(deps.dispose).not.toHaveBeenCalled();
  });

  it('a certain quit holds will-quit, disposes once, then quits again and lets that will-quit through', async () => {
    const gate = deferred();
    const { seq, deps } = make(() => gate.promise);
    seq.beforeQuit(event());
    const first = event();
    seq.willQuit(first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(deps.dispose).toHaveBeenCalledTimes(1);
    expect(seq.state).toBe('disposing');
    // A second quit request while disposing is held too, without a second dispose.
    const again = event();
    seq.willQuit(again);
    expect(again.preventDefault).toHaveBeenCalled();
    expect(deps.dispose).toHaveBeenCalledTimes(1);
    expect(deps.quit).not.toHaveBeenCalled();
    gate.resolve();
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
    expect(seq.state).toBe('disposed');
    const last = event();
    seq.willQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('a dispose that never ends cannot keep the app from quitting', async () => {
    const { seq, deps, timers } = make(() => new Promise<void>(() => undefined));
    seq.willQuit(event());
    expect(deps.quit).not.toHaveBeenCalled();
    timers.forEach((fire) => fire());
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
  });

  it('a failing dispose is reported and the app still quits', async () => {
    const { seq, deps } = make(() => Promise.reject(new Error('disk gone')));
    seq.willQuit(event());
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
    expect(deps.onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk gone' }));
  });
});
