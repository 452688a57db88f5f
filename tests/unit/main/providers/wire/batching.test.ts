/**
 * inBatches: what one turn of the event loop produced arrives as one batch; nothing is lost, reordered or
 * duplicated; an error of the source comes after the events taken before it.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { inBatches } from '../../../../../electron/main/providers/wire/batching';

async function* source(turns: number[][], fail?: Error): AsyncGenerator<number> {
  for (const [i, turn] of turns.entries()) {
    if (i > 0) await nextTurn();
    for (const item of turn) yield item;
  }
  if (fail) throw fail;
}

const double = (item: number, batch: number[]) => batch.push(item, item);

async function collect<E>(batches: AsyncIterable<E[]>): Promise<E[][]> {
  const out: E[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

describe('inBatches', () => {
  it('yields the first event at once, then the items of one event-loop turn together, in order', async () => {
    const batches = await collect(inBatches(source([[0], [1, 2, 3], [4], [5, 6]]), double));
    expect(batches).toEqual([[0, 0], [1, 1, 2, 2, 3, 3], [4, 4], [5, 5, 6, 6]]);
  });

  it('hands a batch over once it is maxAgeMs old, though the turn goes on', async () => {
    let clock = 0;
    const now = () => clock;
    async function* slowParse(): AsyncGenerator<number> {
      yield 0;
      await nextTurn();
      // One long turn: each item takes 3 ms to parse.
      for (let i = 1; i <= 7; i++) {
        clock += 3;
        yield i;
      }
    }
    const batches = await collect(inBatches(slowParse(), (item: number, batch: number[]) => batch.push(item), { maxAgeMs: 8, now }));
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Started at item 1 (t=3): item 4 (t=12) makes it 9 ms old.
    expect(batches[0]).toEqual([0]);
    expect(batches[1]).toEqual([1, 2, 3, 4]);
    expect(batches.length).toBeGreaterThan(2);
  });

  it('never yields an empty batch for items that add no event', async () => {
    const batches = await collect(inBatches(source([[1], [2], [3]]), (item: number, batch: number[]) => item !== 2 && batch.push(item)));
    expect(batches).toEqual([[1], [3]]);
    expect(batches.every((b) => b.length > 0)).toBe(true);
  });

  it('ends at once for an empty source', async () => {
    expect(await collect(inBatches(source([]), double))).toEqual([]);
  });

  it('throws the error of the source after the events taken before it', async () => {
    const seen: number[][] = [];
    const failure = new Error('connection reset');
    await expect(
      (async () => {
        for await (const batch of inBatches(source([[1, 2], [3]], failure), double)) seen.push(batch);
      })(),
    ).rejects.toBe(failure);
    expect(seen.flat()).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('lets the consumer leave early; the source goes on until its owner ends it', async () => {
    let read = 0;
    async function* counting(): AsyncGenerator<number> {
      for (let i = 0; i < 3; i++) {
        await nextTurn();
        read++;
        yield i;
      }
    }
    for await (const batch of inBatches(counting(), double)) {
      expect(batch).toEqual([0, 0]);
      break;
    }
    await nextTurn();
    await nextTurn();
    await nextTurn();
    expect(read).toBe(3);
  });
});
