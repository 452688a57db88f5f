/** A streamed reply's events handed on in batches, about one per network read (see inBatches). */

/**
 * A batch is handed over once it is this old, even while the reader is still busy parsing. Only a stream
 * faster than we parse reaches it; there, fewer and larger updates leave the CPU to the parse (with 8 ms,
 * a 20,000-token burst became 3x as many window updates and arrived later as a whole).
 */
export const MAX_BATCH_AGE_MS = 50;

/**
 * Reads `source` as fast as it produces, turning each item into events with `take` (which pushes onto the
 * batch it is given), and yields the events gathered meanwhile: the first event at once (the first words
 * show without delay), later ones once per turn of the event loop, or once the batch is `maxAgeMs` old.
 * Node parses everything the socket holds (up to 32 reads) before the loop turns, so without the age
 * limit a fast stream arrived in a few huge batches, its first text late. A slow stream still yields each
 * event as it comes. An error of `source` is thrown after the events taken before it were yielded.
 * Leaving early leaves `source` running: the caller ends it (its request is aborted).
 */
export async function* inBatches<T, E>(
  source: AsyncIterable<T>,
  take: (item: T, batch: E[]) => void,
  options: { maxAgeMs?: number; now?: () => number } = {},
): AsyncGenerator<E[], void, undefined> {
  const maxAgeMs = options.maxAgeMs ?? MAX_BATCH_AGE_MS;
  const now = options.now ?? (() => performance.now());
  let batch: E[] = [];
  let batchStarted = 0;
  let yielded = false;
  let ended = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  let scheduled = false;
  const wakeNow = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  // setImmediate runs after the microtasks in which the SDK parses the rest of the read.
  const signal = () => {
    if (scheduled || !wake) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      wakeNow();
    });
  };
  const taken = (before: number) => {
    if (batch.length === before) return;
    if (before === 0) batchStarted = now();
    if (!yielded || now() - batchStarted >= maxAgeMs) wakeNow();
    else signal();
  };
  void (async () => {
    try {
      for await (const item of source) {
        const before = batch.length;
        take(item, batch);
        taken(before);
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wakeNow();
    }
  })();
  for (;;) {
    if (batch.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yielded = true;
      yield out;
      continue;
    }
    if (ended) break;
  }
  if (failure) throw (failure as { error: unknown }).error;
}
