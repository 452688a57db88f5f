import type { EventName, EventPayloads } from '../../../shared/ipc/contract';

/**
 * Push events from main to renderers. `sendTo` reaches one window only (a stream goes to the window that
 * asked); `broadcast` reaches every window of ours (providers changed, conversations changed).
 */
export interface EventSink {
  /** Returns false when the window is gone. */
  sendTo<E extends EventName>(windowId: number, event: E, payload: EventPayloads[E]): boolean;
  broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void;
}

/** An EventSink that records what was sent; for tests. */
export function createRecordingEventSink(): EventSink & {
  sent: { windowId: number | 'all'; event: EventName; payload: unknown }[];
} {
  const sent: { windowId: number | 'all'; event: EventName; payload: unknown }[] = [];
  return {
    sent,
    sendTo(windowId, event, payload) {
      sent.push({ windowId, event, payload });
      return true;
    },
    broadcast(event, payload) {
      sent.push({ windowId: 'all', event, payload });
    },
  };
}
