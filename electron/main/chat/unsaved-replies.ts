/**
 * Replies whose final save failed (a full disk, mostly). The reply is kept here, whole, instead of being
 * lost to a log line: windows are told it is not saved yet (and can copy it), every read of the
 * conversation shows it as it ended (not the last good save, which still says "streaming"), and saving is
 * tried again: after a bounded back-off, and whenever another write to the store succeeds (space is back).
 * Once a save succeeds the windows are told, and a reload or restart shows the whole reply.
 */
import type { EventPayloads } from '../../../shared/ipc/contract';
import type { Message, UnsavedReason } from '../../../shared/models/conversation';
import { isDiskFull } from '../disk-full';
import type { Logger } from '../logger';
import type { Timers } from './event-coalescer';

/** Waits before the automatic retries (about a minute in all); later, only a successful write retries. */
export const SAVE_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16_000, 32_000];

interface Pending {
  conversationId: string;
  message: Message;
  reason: UnsavedReason;
  retries: number;
  timer: unknown;
  saving: boolean;
}

export interface UnsavedRepliesDeps {
  /** Writes `message` into its conversation; resolves false when there is nothing to save it into any more. */
  save(conversationId: string, message: Message): Promise<boolean>;
  notify(state: EventPayloads['chat:saveState']): void;
  timers: Timers;
  log: Logger;
  retryDelaysMs?: readonly number[];
}

export class UnsavedReplies {
  /** By conversation: a conversation streams one reply at a time, and a new turn saves the previous one. */
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: UnsavedRepliesDeps) {}

  /** Keeps a reply whose save failed with `error`, tells the windows and schedules a retry. */
  keep(conversationId: string, message: Message, error: unknown): void {
    this.clearTimer(this.pending.get(conversationId));
    const reason: UnsavedReason = isDiskFull(error) ? 'disk-full' : 'write-failed';
    const entry: Pending = { conversationId, message: structuredClone(message), reason, retries: 0, timer: null, saving: false };
    this.pending.set(conversationId, entry);
    this.deps.notify({ conversationId, messageId: message.id, saved: false, reason });
    this.schedule(entry);
  }

  /** The kept reply of a conversation (a copy), for a new turn to save along with its own change. */
  get(conversationId: string): Message | undefined {
    const entry = this.pending.get(conversationId);
    return entry ? structuredClone(entry.message) : undefined;
  }

  /** Replaces the stale saved state of a kept reply in `messages` with the reply as it ended. */
  overlay(conversationId: string, messages: Message[]): Message[] {
    const entry = this.pending.get(conversationId);
    if (!entry) return messages;
    const i = messages.findIndex((m) => m.id === entry.message.id);
    if (i >= 0) messages[i] = { ...structuredClone(entry.message), unsaved: entry.reason };
    return messages;
  }

  /** A write that included the kept reply (or removed it) succeeded: it is no longer pending. */
  settled(conversationId: string, messageId: string): void {
    const entry = this.pending.get(conversationId);
    if (!entry || entry.message.id !== messageId) return;
    this.forget(entry);
    this.deps.notify({ conversationId, messageId, saved: true });
  }

  /** The conversation is gone: nothing to save into. */
  drop(conversationId: string): void {
    const entry = this.pending.get(conversationId);
    if (entry) this.forget(entry);
  }

  /** Another write succeeded, so there may be room again: try every kept reply now. */
  retryAll(): void {
    for (const entry of this.pending.values()) if (!entry.saving) void this.attempt(entry);
  }

  /** One last attempt for each kept reply (before quit). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending.values()].map((entry) => this.attempt(entry)));
  }

  private async attempt(entry: Pending): Promise<void> {
    if (entry.saving) return;
    entry.saving = true;
    this.clearTimer(entry);
    try {
      const kept = await this.deps.save(entry.conversationId, entry.message);
      if (this.pending.get(entry.conversationId) !== entry) return;
      this.forget(entry);
      if (kept) this.deps.notify({ conversationId: entry.conversationId, messageId: entry.message.id, saved: true });
    } catch (error) {
      this.deps.log.warn('chat', `the reply in conversation ${entry.conversationId} is still not saved`, error);
      entry.retries++;
      this.schedule(entry);
    } finally {
      entry.saving = false;
    }
  }

  private schedule(entry: Pending): void {
    const delays = this.deps.retryDelaysMs ?? SAVE_RETRY_DELAYS_MS;
    const delay = delays[entry.retries];
    if (delay === undefined || this.pending.get(entry.conversationId) !== entry) return;
    entry.timer = this.deps.timers.setTimeout(() => {
      entry.timer = null;
      void this.attempt(entry);
    }, delay);
  }

  private clearTimer(entry: Pending | undefined): void {
    if (entry?.timer) this.deps.timers.clearTimeout(entry.timer);
    if (entry) entry.timer = null;
  }

  private forget(entry: Pending): void {
    this.clearTimer(entry);
    if (this.pending.get(entry.conversationId) === entry) this.pending.delete(entry.conversationId);
  }
}
