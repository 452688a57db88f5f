/**
 * The order in which the app shuts down. Electron's quit (docs/api/app.md):
 * 1. `before-quit` is emitted before any window closes;
 * 2. every window is asked to close; a page's `beforeunload` (Settings with unsaved edits, "Stay") can
 *    cancel that, and then the quit is cancelled: no `will-quit`, the app keeps running;
 * 3. `will-quit` is emitted once all windows have closed; `preventDefault()` there stops the termination.
 *
 * So the services (streams, pending writes) are disposed only in `will-quit`, when the quit is certain: a
 * quit cancelled in step 2 leaves chat fully working. Disposal is bounded so a stuck write cannot keep the
 * app from quitting.
 */

export interface QuitEvent {
  preventDefault(): void;
}

export interface QuitSequenceDeps {
  /** Saves what is cheap and harmless to save even if the quit is cancelled (window positions). */
  flushState(): void;
  /** Stops streams and flushes pending writes. */
  dispose(): Promise<void>;
  /** `app.quit()` again once disposal is done. */
  quit(): void;
  onError?(error: unknown): void;
  /** Longest wait for dispose() before quitting anyway. */
  disposeTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export type QuitState = 'running' | 'disposing' | 'disposed';

export interface QuitSequence {
  readonly state: QuitState;
  beforeQuit(event: QuitEvent): void;
  willQuit(event: QuitEvent): void;
}

export const DISPOSE_TIMEOUT_MS = 5_000;

export function createQuitSequence(deps: QuitSequenceDeps): QuitSequence {
  let state: QuitState = 'running';
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  return {
    get state() {
      return state;
    },
    beforeQuit() {
      // Nothing irreversible here: a window may still cancel this quit.
      deps.flushState();
    },
    willQuit(event) {
      if (state === 'disposed') return;
      event.preventDefault();
      if (state === 'disposing') return;
      state = 'disposing';
      const timeout = new Promise<void>((resolve) => setTimer(resolve, deps.disposeTimeoutMs ?? DISPOSE_TIMEOUT_MS));
      void Promise.race([deps.dispose().catch((error: unknown) => deps.onError?.(error)), timeout]).then(() => {
        state = 'disposed';
        deps.quit();
      });
    },
  };
}
