/**
 * Activity on the wire: the response body passes through a counter, so SSE comments (`: keep-alive`) count
 * as life and a stream that goes silent is cut after the idle timeout (the SDK's own timeout stops at the
 * response headers).
 */

/** Where the fetch wrapper reports bytes arriving; set while a stream is being read. */
export interface WireWatch {
  onActivity: (() => void) | null;
}

/**
 * Wraps fetch so every chunk of a response body calls `watch.onActivity`, and so `cancel` (Stop, or the
 * idle timeout) aborts the HTTP request at once, before or after the headers.
 *
 * `cancel` is joined here with listeners rather than handed to the SDK: the SDK would combine it with its
 * own signal (`AbortSignal.any`), whose `aborted` getter re-checks every source and is read for every line
 * of the stream.
 */
export function watchedFetch(inner: typeof globalThis.fetch, watch: WireWatch, cancel?: AbortSignal): typeof globalThis.fetch {
  return async (input, init) => {
    let forwarded = init;
    if (cancel) {
      const joined = new AbortController();
      const abort = (signal: AbortSignal) => () => joined.abort(signal.reason);
      for (const signal of [cancel, init?.signal]) {
        if (!signal) continue;
        if (signal.aborted) joined.abort(signal.reason);
        else signal.addEventListener('abort', abort(signal), { once: true, signal: joined.signal });
      }
      forwarded = { ...init, signal: joined.signal };
    }
    const response = await inner(input, forwarded);
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          watch.onActivity?.();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** Aborts `controller` when nothing arrived on the wire for `idleMs`; re-armed by every chunk. */
export class IdleWatch {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** True once the silence lasted too long (the abort that followed was ours, not the user's). */
  fired = false;

  constructor(
    private readonly watch: WireWatch,
    private readonly controller: AbortController,
    private readonly idleMs: number,
  ) {
    watch.onActivity = () => this.arm();
    this.arm();
  }

  private arm(): void {
    // Re-arming runs for every network read: refreshing the one timer is cheaper than replacing it.
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort();
    }, this.idleMs);
  }

  stop(): void {
    this.watch.onActivity = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
