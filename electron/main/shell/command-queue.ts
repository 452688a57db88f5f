/**
 * Commands main sends to a window (menu New Chat, …) wait until that window says it is ready
 * (`app:windowReady`, sent once its page subscribed to `app:command`). A window that is still loading, or
 * reloading, would otherwise drop them: `did-finish-load` comes before React has subscribed.
 */
export class WindowCommandQueue<C> {
  private readonly ready = new Set<number>();
  private readonly pending = new Map<number, C[]>();

  /** `deliver` returns false when the window is gone. */
  constructor(private readonly deliver: (windowId: number, command: C) => boolean) {}

  send(windowId: number, command: C): void {
    if (this.ready.has(windowId) && this.deliver(windowId, command)) return;
    const list = this.pending.get(windowId) ?? [];
    // The same command twice in a row while loading means the same thing once (New Chat pressed twice).
    if (list[list.length - 1] !== command) list.push(command);
    this.pending.set(windowId, list);
  }

  /** The page subscribed to commands: deliver what waited, in order. */
  markReady(windowId: number): void {
    this.ready.add(windowId);
    const list = this.pending.get(windowId);
    this.pending.delete(windowId);
    for (const command of list ?? []) this.deliver(windowId, command);
  }

  /** A new document starts loading in that window (reload, navigation): hold commands until it is ready. */
  markLoading(windowId: number): void {
    this.ready.delete(windowId);
  }

  /** The window closed. */
  forget(windowId: number): void {
    this.ready.delete(windowId);
    this.pending.delete(windowId);
  }

  isReady(windowId: number): boolean {
    return this.ready.has(windowId);
  }

  pendingFor(windowId: number): readonly C[] {
    return this.pending.get(windowId) ?? [];
  }
}
