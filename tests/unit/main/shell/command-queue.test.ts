import { describe, expect, it } from 'vitest';
import { WindowCommandQueue } from '../../../../electron/main/shell/command-queue';

function make() {
  const delivered: [number, string][] = [];
  const gone = new Set<number>();
  const queue = new WindowCommandQueue<string>((id, c) => {
    if (gone.has(id)) return false;
    delivered.push([id, c]);
    return true;
  });
  return { queue, delivered, gone };
}

describe('WindowCommandQueue', () => {
  it('holds commands for a window that is still loading and delivers them in order once it is ready', () => {
    const { queue, delivered } = make();
    queue.send(1, 'new-chat');
    queue.send(1, 'open-settings');
    expect(delivered).toEqual([]);
    queue.markReady(1);
    expect(delivered).toEqual([
      [1, 'new-chat'],
      [1, 'open-settings'],
    ]);
    queue.send(1, 'new-chat');
    expect(delivered).toHaveLength(3);
  });

  it('holds them again while the window reloads', () => {
    const { queue, delivered } = make();
    queue.markReady(1);
    queue.markLoading(1);
    queue.send(1, 'new-chat');
    expect(delivered).toEqual([]);
    expect(queue.pendingFor(1)).toEqual(['new-chat']);
    queue.markReady(1);
    expect(delivered).toEqual([[1, 'new-chat']]);
  });

  it('does not repeat one command pressed twice while loading, and keeps windows apart', () => {
    const { queue, delivered } = make();
    queue.send(1, 'new-chat');
    queue.send(1, 'new-chat');
    queue.send(2, 'open-settings');
    queue.markReady(2);
    expect(delivered).toEqual([[2, 'open-settings']]);
    queue.markReady(1);
    expect(delivered).toEqual([
      [2, 'open-settings'],
      [1, 'new-chat'],
    ]);
  });

  it('keeps a command when delivery fails and forgets everything of a closed window', () => {
    const { queue, delivered, gone } = make();
    queue.markReady(1);
    gone.add(1);
    queue.send(1, 'new-chat');
    expect(queue.pendingFor(1)).toEqual(['new-chat']);
    queue.forget(1);
    expect(queue.pendingFor(1)).toEqual([]);
    expect(queue.isReady(1)).toBe(false);
    expect(delivered).toEqual([]);
  });
});
