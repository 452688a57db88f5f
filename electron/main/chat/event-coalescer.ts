/**
 * Merges a stream's events into about one `chat:event` per animation frame. A fast model emits hundreds of
 * tiny deltas per second; sending each one over IPC would make the renderer re-render for every token.
 *
 * Throttle with a leading edge: the first change after a quiet frame goes out at once (the first token
 * appears without delay), later changes within the frame are merged and sent when the frame ends.
 */
import type { ChatStreamEvent } from '../../../shared/models/chat-event';

export type StreamPatch = Omit<ChatStreamEvent, 'streamId' | 'conversationId' | 'messageId'>;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const FRAME_MS = 16;

export class EventCoalescer {
  private pending: StreamPatch | null = null;
  private timer: unknown = null;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly emit: (patch: StreamPatch) => void,
    private readonly timers: Timers = realTimers,
    private readonly intervalMs: number = FRAME_MS,
  ) {}

  appendContent(text: string): void {
    if (!text) return;
    const p = this.patch();
    // After a replace, appended text extends the replacement so one event never needs an ordering rule.
    if (p.replaceContent !== undefined) p.replaceContent += text;
    else p.contentDelta = (p.contentDelta ?? '') + text;
    this.schedule();
  }

  appendReasoning(text: string): void {
    if (!text) return;
    const p = this.patch();
    if (p.replaceReasoning !== undefined) p.replaceReasoning += text;
    else p.reasoningDelta = (p.reasoningDelta ?? '') + text;
    this.schedule();
  }

  /** The whole text so far replaces what the window shows (after a reset). */
  replace(content: string, reasoning: string): void {
    const p = this.patch();
    delete p.contentDelta;
    delete p.reasoningDelta;
    p.replaceContent = content;
    p.replaceReasoning = reasoning;
    this.schedule();
  }

  /** Fields that replace the previous value (usage, status line, annotations, retry wait). */
  set(fields: Pick<StreamPatch, 'usage' | 'statusLine' | 'annotations' | 'retryWait' | 'route' | 'toolRounds' | 'toolNotice'>): void {
    Object.assign(this.patch(), fields);
    this.schedule();
  }

  /** Sends what is pending now (before a re-attach snapshot, or before the final event). */
  flush(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.pending) return;
    const patch = this.pending;
    this.pending = null;
    this.lastEmit = this.timers.now();
    this.emit(patch);
  }

  /** The last event of the stream: merged with anything pending and sent at once. */
  close(final: NonNullable<StreamPatch['final']>): void {
    if (this.closed) return;
    this.patch().final = final;
    this.flush();
    this.closed = true;
  }

  private patch(): StreamPatch {
    this.pending ??= {};
    return this.pending;
  }

  private schedule(): void {
    if (this.closed) {
      this.pending = null;
      return;
    }
    if (this.timer !== null) {
      // A fast stream is parsed in long tasks (one socket read holds hundreds of chunks), which keep the
      // timer from firing: without this, a 20,000-token reply reached the window as 4 huge events.
      if (this.timers.now() - this.lastEmit >= this.intervalMs) this.flush();
      return;
    }
    const wait = this.lastEmit + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }
}
