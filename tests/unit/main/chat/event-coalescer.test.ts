import { describe, expect, it } from 'vitest';
import { EventCoalescer, type StreamPatch, type Timers } from '../../../../electron/main/chat/event-coalescer';

/** A manual clock: timers fire only when the test advances time. */
function fakeTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 1000;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = target;
    },
    pending: () => timers.size,
  };
}

function setup() {
  const timers = fakeTimers();
  const sent: StreamPatch[] = [];
  const coalescer = new EventCoalescer((p) => sent.push(p), timers, 16);
  return { timers, sent, coalescer };
}

describe('EventCoalescer', () => {
  it('sends the first delta at once, then merges the rest of the frame into one event', () => {
    const { timers, sent, coalescer } = setup();
    coalescer.appendContent('Hel');
    expect(sent).toEqual([{ contentDelta: 'Hel' }]);
    coalescer.appendContent('lo');
    coalescer.appendContent(', ');
    coalescer.appendReasoning('hmm');
    coalescer.appendContent('world');
    expect(sent).toHaveLength(1);
    timers.advance(15);
    expect(sent).toHaveLength(1);
    timers.advance(1);
    expect(sent).toEqual([{ contentDelta: 'Hel' }, { contentDelta: 'lo, world', reasoningDelta: 'hmm' }]);
    expect(timers.pending()).toBe(0);
  });

  it('sends about one event per frame however many deltas arrive', () => {
    const { timers, sent, coalescer } = setup();
    // 1,000 deltas over 160 ms of fake time: one per 0.16 ms.
    for (let i = 0; i < 1000; i++) {
      coalescer.appendContent('x');
      if (i % 10 === 9) timers.advance(1.6);
    }
    coalescer.flush();
    expect(sent.map((e) => e.contentDelta ?? '').join('')).toBe('x'.repeat(1000));
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.length).toBeLessThanOrEqual(12);
  });

  it('sends once a frame is over even while a busy event loop holds its timer back', () => {
    const sent: StreamPatch[] = [];
    let clock = 1000;
    // The clock moves, but no timer can run: the deltas arrive inside one long task.
    const busy: Timers = { ...fakeTimers(), now: () => clock };
    const coalescer = new EventCoalescer((p) => sent.push(p), busy, 16);
    for (let i = 0; i < 100; i++) {
      coalescer.appendContent('x');
      clock += 1;
    }
    expect(sent.length).toBeGreaterThanOrEqual(6);
    expect(sent.length).toBeLessThanOrEqual(8);
    coalescer.flush();
    expect(sent.map((e) => e.contentDelta ?? '').join('')).toBe('x'.repeat(100));
  });

  it('sends again at once after a quiet frame', () => {
    const { timers, sent, coalescer } = setup();
    coalescer.appendContent('a');
    timers.advance(100);
    coalescer.appendContent('b');
    expect(sent).toEqual([{ contentDelta: 'a' }, { contentDelta: 'b' }]);
  });

  it('folds deltas after a reset into the replacement so the window never has to order them', () => {
    const { timers, sent, coalescer } = setup();
    coalescer.appendContent('old');
    coalescer.appendContent(' text');
    coalescer.replace('', '');
    coalescer.appendContent('new');
    coalescer.appendReasoning('r');
    timers.advance(16);
    expect(sent).toEqual([{ contentDelta: 'old' }, { replaceContent: 'new', replaceReasoning: 'r' }]);
  });

  it('replaces usage, status and retry wait with their latest value', () => {
    const { timers, sent, coalescer } = setup();
    coalescer.appendContent('a');
    coalescer.set({ retryWait: { attempt: 1, seconds: 2 } });
    coalescer.set({ retryWait: null });
    coalescer.set({ usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } });
    timers.advance(16);
    expect(sent[1]).toEqual({ retryWait: null, usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } });
  });

  it('merges what is pending into the final event, sends it at once and ignores anything later', () => {
    const { timers, sent, coalescer } = setup();
    coalescer.appendContent('a');
    coalescer.appendContent('b');
    coalescer.close({ status: 'complete', finishReason: 'stop' });
    expect(sent).toEqual([{ contentDelta: 'a' }, { contentDelta: 'b', final: { status: 'complete', finishReason: 'stop' } }]);
    coalescer.appendContent('late');
    coalescer.close({ status: 'stopped' });
    timers.advance(100);
    expect(sent).toHaveLength(2);
    expect(timers.pending()).toBe(0);
  });

  it('flush sends nothing when nothing is pending', () => {
    const { sent, coalescer } = setup();
    coalescer.flush();
    expect(sent).toEqual([]);
  });
});
