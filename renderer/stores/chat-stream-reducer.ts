/**
 * What the chat store keeps per conversation, and the pure reducer that applies `chat:event`s to it. Each
 * event touches only the message it names, so a reply streaming into one conversation never disturbs
 * another; events for a message this window has not seen yet wait in `pending`.
 */
import type { ChatStreamEvent, RetryReason } from '../../shared/models/chat-event';
import type { Message, MessageStatus } from '../../shared/models/conversation';
import type { AppError } from '../../shared/result';

export interface ActiveStream {
  streamId: string;
  messageId: string;
  /** A short line from the provider ("Running code interpreter…"), or null. */
  statusLine: { code: string | null; text: string } | null;
  /** Waiting before an automatic retry (429, or 503 with retry-after): `until` is a `now()` timestamp in ms. */
  retryWait: { attempt: number; seconds: number; until: number; reason?: RetryReason } | null;
}

export type LoadStatus = 'loading' | 'ready' | 'error';

export interface ConversationChat {
  id: string;
  loadStatus: LoadStatus;
  loadError: AppError | null;
  /** The latest messages, oldest first; a long conversation opens with a page of them (`loadOlder` adds more). */
  messages: Message[];
  /** How many messages come before `messages[0]` and are not loaded yet. */
  olderCount: number;
  /** Loading older messages: under way, or failed (`olderError` says why). */
  older: 'idle' | 'loading' | 'error';
  olderError: AppError | null;
  /** The reply streaming into this conversation (one at a time), as this window knows it. */
  stream: ActiveStream | null;
  /** A send / regenerate / edit call is on its way to main. */
  busy: boolean;
  /** Main refused the last send / regenerate / edit (no provider, no key …); the text stays in the composer. */
  actionError: AppError | null;
  /** Events for a message this window has not seen yet: they can overtake the answer to `chat:send`. */
  pending: ChatStreamEvent[];
  /** Another window changed this conversation; read it again before showing it. */
  stale: boolean;
}

/** The last reply that finished in this window, for the screen-reader announcement. */
export interface ReplyFinished {
  conversationId: string;
  messageId: string;
  status: Exclude<MessageStatus, 'streaming'>;
  /** The start of the reply, for the announcement. */
  preview: string;
  error?: AppError;
  seq: number;
}

export const PREVIEW_LENGTH = 400;

const MAX_PENDING_EVENTS = 500;

export function emptyConversationChat(id: string, loadStatus: LoadStatus = 'loading'): ConversationChat {
  return {
    id,
    loadStatus,
    loadError: null,
    messages: [],
    olderCount: 0,
    older: 'idle',
    olderError: null,
    stream: null,
    busy: false,
    actionError: null,
    pending: [],
    stale: false,
  };
}

export function newStream(streamId: string, messageId: string): ActiveStream {
  return { streamId, messageId, statusLine: null, retryWait: null };
}

export function lastIndexOfId(messages: readonly Message[], id: string): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i;
  return -1;
}

/**
 * Applies stream events to one conversation and reports which replies finished. Pure: returns a new
 * conversation object (the messages array is copied at most once, whatever the number of events).
 */
export function applyStreamEvents(
  conv: ConversationChat,
  events: readonly ChatStreamEvent[],
  now: number,
): { conv: ConversationChat; finished: Omit<ReplyFinished, 'seq'>[] } {
  let messages = conv.messages;
  let copied = false;
  let stream = conv.stream;
  const pending: ChatStreamEvent[] = [];
  const finished: Omit<ReplyFinished, 'seq'>[] = [];

  for (const ev of events) {
    const index = lastIndexOfId(messages, ev.messageId);
    if (index < 0) {
      pending.push(ev);
      continue;
    }
    if (!copied) {
      messages = messages.slice();
      copied = true;
    }
    const next: Message = { ...messages[index]! };
    if (ev.replaceContent !== undefined) next.content = ev.replaceContent;
    if (ev.contentDelta) next.content += ev.contentDelta;
    if (ev.replaceReasoning !== undefined) next.reasoning = ev.replaceReasoning;
    if (ev.reasoningDelta) next.reasoning = (next.reasoning ?? '') + ev.reasoningDelta;
    if (ev.usage) next.usage = ev.usage;
    if (ev.annotations) next.annotations = ev.annotations;
    if (ev.route) next.route = ev.route;
    if (ev.toolRounds) next.toolRounds = ev.toolRounds;
    if (ev.toolNotice) next.toolNotice = ev.toolNotice;
    const ours = stream !== null && stream.streamId === ev.streamId;

    if (ev.final) {
      next.status = ev.final.status;
      if (ev.final.finishReason !== undefined) next.finishReason = ev.final.finishReason;
      if (ev.final.error) next.error = ev.final.error;
      else if (ev.final.status !== 'failed') delete next.error;
      if (ours) stream = null;
      finished.push({
        conversationId: conv.id,
        messageId: ev.messageId,
        status: ev.final.status,
        preview: next.content.slice(0, PREVIEW_LENGTH),
        ...(next.error ? { error: next.error } : {}),
      });
    } else if (ours && stream) {
      // Only the stream this window follows makes a message "streaming": after Stop, late deltas that were
      // already on their way still land, but the message stays marked stopped.
      next.status = 'streaming';
      let { statusLine, retryWait } = stream;
      if (ev.statusLine !== undefined) {
        statusLine = ev.statusLine.text === null ? null : { code: ev.statusLine.code, text: ev.statusLine.text };
      }
      if (ev.retryWait !== undefined) {
        retryWait = ev.retryWait ? { ...ev.retryWait, until: now + ev.retryWait.seconds * 1000 } : null;
      } else if (ev.contentDelta || ev.reasoningDelta) {
        retryWait = null;
      }
      stream = { ...stream, statusLine, retryWait };
    }
    messages[index] = next;
  }

  const allPending = conv.pending.length || pending.length ? [...conv.pending, ...pending] : conv.pending;
  return {
    conv: {
      ...conv,
      messages,
      stream,
      pending: allPending.length > MAX_PENDING_EVENTS ? allPending.slice(-MAX_PENDING_EVENTS) : allPending,
    },
    finished,
  };
}

/** Adds messages that main just created, then applies the events that arrived for them before. */
export function withNewMessages(
  conv: ConversationChat,
  messages: Message[],
  stream: ActiveStream | null,
  now: number,
): { conv: ConversationChat; finished: Omit<ReplyFinished, 'seq'>[] } {
  const waiting = conv.pending;
  return applyStreamEvents({ ...conv, messages, stream, pending: [], busy: false, actionError: null }, waiting, now);
}

/** Drops the replies after the last user message (regenerate replaces the last reply). */
export function withoutTrailingReplies(messages: readonly Message[]): Message[] {
  let end = messages.length;
  while (end > 0 && messages[end - 1]!.role === 'assistant') end--;
  return messages.slice(0, end);
}
