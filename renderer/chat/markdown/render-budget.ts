/**
 * Keeps Markdown work in the Chat window in small slices. A fast model can finish dozens of blocks within
 * one frame; parsing and highlighting all of them before the frame is painted made tasks of 100-400 ms
 * (the window froze, and the reply reached the screen later). Instead, each render does expensive work
 * only while it is within a few milliseconds of its start; what does not fit is shown as plain text
 * first and done in later slices, newest first (the end of a streaming reply is what is in view), each
 * slice yielding to the browser so input, painting and the next stream events go first.
 */
import { createContext, useContext, useEffect, useReducer, useRef, useState, type RefObject } from 'react';

/** Expensive work a render may do, in ms from its first request. */
export const RENDER_SLICE_MS = 8;
/** Background work per slice, in ms. */
export const BACKGROUND_SLICE_MS = 8;

export interface Clock {
  now(): number;
}

const performanceClock: Clock = { now: () => performance.now() };

/**
 * Time allowed for expensive work in one synchronous run (a React render and commit happen in one
 * run, so a microtask marks its end).
 */
export class RenderBudget {
  private started: number | null = null;

  constructor(
    private readonly sliceMs: number = RENDER_SLICE_MS,
    private readonly clock: Clock = performanceClock,
    private readonly onRunEnd: (reset: () => void) => void = (reset) => queueMicrotask(reset),
  ) {}

  hasTime(): boolean {
    const now = this.clock.now();
    if (this.started === null) {
      this.started = now;
      this.onRunEnd(() => {
        this.started = null;
      });
    }
    return now - this.started < this.sliceMs;
  }
}

/** Runs a callback in a later task: the browser paints and handles input in between. */
export type SliceScheduler = (run: () => void) => void;

function laterTask(run: () => void): void {
  // A message task runs before timers (no 4 ms clamp) but after rendering and input that are due.
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    run();
  };
  channel.port2.postMessage(null);
}

interface Job {
  run(): void;
  cancelled: boolean;
  endsSlice: boolean;
}

/** Background jobs, newest first, run in time-limited slices. */
export class WorkQueue {
  private readonly jobs: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly sliceMs: number = BACKGROUND_SLICE_MS,
    private readonly clock: Clock = performanceClock,
    private readonly schedule: SliceScheduler = laterTask,
  ) {}

  /**
   * Queues a job; the returned function cancels it (a block that left the screen). A job whose real cost
   * comes after it (the style and layout its render causes) ends its slice, so that cost is not piled up.
   */
  add(run: () => void, options: { endsSlice?: boolean } = {}): () => void {
    const job: Job = { run, cancelled: false, endsSlice: options.endsSlice ?? false };
    this.jobs.push(job);
    this.wake();
    return () => {
      job.cancelled = true;
    };
  }

  get size(): number {
    return this.jobs.filter((j) => !j.cancelled).length;
  }

  /** Runs jobs until the slice is used up; exported for tests. */
  runSlice(): void {
    this.scheduled = false;
    const start = this.clock.now();
    while (this.jobs.length > 0) {
      const job = this.jobs.pop()!;
      if (job.cancelled) continue;
      job.run();
      if (job.endsSlice || this.clock.now() - start >= this.sliceMs) break;
    }
    this.wake();
  }

  private wake(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    this.schedule(() => this.runSlice());
  }
}

/** A bounded cache, least recently used out first, with a size per entry (text length). */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(private readonly maxSize: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V, size = key.length): void {
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.size;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxSize || this.entries.size === 1) break;
      this.entries.delete(k);
      this.total -= e.size;
    }
  }
}

export const renderBudget = new RenderBudget();
export const backgroundWork = new WorkQueue();

/**
 * Stand-ins that come into view (or near it) are worth their work now; the others wait until the reply
 * has finished streaming, so a fast stream is not slowed down by formatting text nobody is looking at.
 * The browser checks every watched element on every frame, so blocks are watched only in chunks near the view.
 */
class NearViewWatcher {
  private readonly watched = new Map<Element, (near: boolean) => void>();
  private observer: IntersectionObserver | null = null;

  /** Calls `onChange(true)` when the element comes near the view, `onChange(false)` when it leaves again. */
  watch(element: Element, onChange: (near: boolean) => void): () => void {
    if (typeof IntersectionObserver === 'undefined') return () => undefined;
    this.observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) this.watched.get(entry.target)?.(entry.isIntersecting);
      },
      // Half a screen above and below: scrolling reveals formatted text, not stand-ins.
      { rootMargin: '50% 0px' },
    );
    this.watched.set(element, onChange);
    this.observer.observe(element);
    return () => {
      if (this.watched.delete(element)) this.observer?.unobserve(element);
    };
  }
}

const nearView = new NearViewWatcher();

/**
 * True while a reply arrives faster than anyone reads it (thousands of characters per update): then no
 * Markdown is parsed at all, the text is shown plain, and it is formatted once the stream calms down or
 * ends. Parsing during such a burst only competed for the CPU with the process receiving the stream.
 */
export const RushContext = createContext(false);

/** Characters one update must add to count as a burst. Paced replies add a few per update. */
export const RUSH_CHARS = 2_000;
/** A burst is over when no update added that much for this long (ms). */
export const CALM_MS = 150;

/** Tells bursts from paced streaming, from the length of the text at each update. */
export class StreamPace {
  private length: number | null = null;
  private rushUntil = -Infinity;

  constructor(private readonly clock: Clock = performanceClock) {}

  /** Records the text's length at an update; true while a burst lasts. */
  update(length: number): boolean {
    const now = this.clock.now();
    // The first length seen is what was already there (a reply opened mid-stream), not a burst.
    if (this.length !== null && length - this.length >= RUSH_CHARS) this.rushUntil = now + CALM_MS;
    this.length = length;
    return now < this.rushUntil;
  }

  /** Ms until the current burst counts as over (0 when there is none). */
  calmIn(): number {
    return Math.max(0, this.rushUntil - this.clock.now());
  }
}

/** True while the reply around a block is still streaming: work out of view can wait. */
export const StreamingContext = createContext(false);
/** False while the chunk around a block is away from the view (only tracked while streaming). */
export const NearViewContext = createContext(true);

/**
 * Whether the element is near the view, tracked while `watching`; true otherwise. A new element counts as
 * near until the browser says otherwise: while a reply streams, new blocks appear at the end, in view.
 */
export function useNearView(ref: RefObject<Element | null>, watching: boolean): boolean {
  const [near, setNear] = useState(true);
  useEffect(() => {
    if (!watching || !ref.current) return;
    return nearView.watch(ref.current, setNear);
  }, [ref, watching]);
  return near || !watching;
}

/**
 * `compute()` for `key`: from the cache, or else now while this render has time (unless the reply is
 * streaming: then the caller's own newest-first pass is the only work done in a render), or else later in
 * the background. While the reply streams, a stand-in is queued only while it is near the view, and taken
 * out of the queue when it leaves again (a fast reply scrolls most blocks past before a slice could reach
 * them; they are done when it ends); only stand-ins in a chunk near the view are watched at all. Until
 * then it returns undefined and the caller shows a cheap stand-in, which it attaches the returned ref to.
 */
export function useBudgetedValue<V, E extends Element = HTMLElement>(
  cache: LruCache<V>,
  key: string,
  compute: () => V,
): [V | undefined, RefObject<E | null>] {
  const [, readied] = useReducer((n: number) => n + 1, 0);
  const ref = useRef<E>(null);
  const streaming = useContext(StreamingContext);
  const nearChunk = useContext(NearViewContext);
  const rush = useContext(RushContext);
  let value = cache.get(key);
  if (value === undefined && !streaming && renderBudget.hasTime()) {
    value = compute();
    cache.set(key, value);
  }
  const missing = value === undefined;
  useEffect(() => {
    if (!missing || rush || (streaming && !nearChunk)) return;
    let cancelJob: (() => void) | null = null;
    const queue = () => {
      cancelJob ??= backgroundWork.add(() => {
        if (!cache.has(key)) cache.set(key, compute());
        readied();
      });
    };
    const unqueue = () => {
      cancelJob?.();
      cancelJob = null;
    };
    if (!streaming || !ref.current) {
      queue();
      return unqueue;
    }
    const stopWatching = nearView.watch(ref.current, (near) => (near ? queue() : unqueue()));
    return () => {
      stopWatching();
      unqueue();
    };
    // `compute` is determined by `key` (and the cache it belongs to).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cache, key, missing, streaming, nearChunk, rush]);
  return [value, ref];
}
