/**
 * The thread of one Assistant turn: the conversation's own thread, lined up with the conversation first
 * (Regenerate, Retry, edit-and-resend), or a new one seeded with the history; then the user's message. A run
 * left over on the thread (the app quit mid-reply) is cancelled and awaited when it blocks a change.
 */
import type { Logger } from '../../logger';
import { parseServerError } from '../errors/request-failure';
import type { ChatRequest } from '../provider-kind';
import { turnKind } from '../wire/turn-alignment';
import { TERMINAL, type WireMessage } from './api-objects';
import { plainText } from './annotations';
import { HttpStatusError, NotApiError, pollAfterOf, POLL_BACKOFF, POLL_MAX_MS, type AssistantsClient } from './assistants-client';

/** What the thread steps of a turn work with. */
export interface ThreadTurn {
  request: ChatRequest;
  client: AssistantsClient;
  /** Aborted on Stop or when the run deadline passes. */
  signal: AbortSignal;
  log: Logger;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export async function prepareThread(turn: ThreadTurn): Promise<string> {
  const { conversation, history } = turn.request;
  const last = history.at(-1);
  const text = last?.role === 'user' ? last.content : '';
  const reusable = conversation.threadId && conversation.threadProviderId === turn.request.provider.config.id ? conversation.threadId : null;
  if (reusable) {
    try {
      if (await alignThreadTail(turn, reusable, history)) await addMessage(turn, reusable, text);
      return reusable;
    } catch (error) {
      // The thread is gone on the server (deleted elsewhere, or the server was reset): start a new one,
      // seeded with the conversation so far, rather than leave the conversation unusable.
      if (!(error instanceof HttpStatusError && error.status === 404 && /thread/i.test(parseServerError(error.bodyText).message ?? ''))) throw error;
      turn.log.warn('assistant', `thread of conversation ${conversation.id} is gone on the server; starting a new one`);
    }
  }
  const earlier = history
    .slice(0, last?.role === 'user' ? -1 : history.length)
    .filter((m) => m.content.trim() !== '')
    .map((m) => ({ role: m.role, content: m.content }));
  const { data } = await turn.client.json<{ id?: string }>('POST', '/threads', earlier.length ? { messages: earlier } : {}, turn.signal);
  if (typeof data.id !== 'string') throw new NotApiError('application/json', '');
  await turn.request.saveThreadId?.(data.id);
  await addMessage(turn, data.id, text);
  return data.id;
}

async function addMessage(turn: ThreadTurn, threadId: string, text: string): Promise<void> {
  const path = `/threads/${encodeURIComponent(threadId)}/messages`;
  await unblocked(turn, threadId, () => turn.client.json('POST', path, { role: 'user', content: text }, turn.signal));
}

/**
 * Runs a change to the thread. A run left over from before (the app quit mid-reply) blocks the thread
 * until it expires; then it is cancelled, awaited, and the change made again.
 */
async function unblocked<T>(turn: ThreadTurn, threadId: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    const message = error instanceof HttpStatusError && error.status === 400 ? (parseServerError(error.bodyText).message ?? '') : '';
    const stale = /\b(run_[A-Za-z0-9_-]+)\b.*\bactive\b/i.exec(message)?.[1];
    if (!stale) throw error;
    await endStaleRun(turn, threadId, stale);
    return change();
  }
}

/**
 * Regenerate, Retry and edit-and-resend send a user message the thread already has (or an edited
 * version of it). The thread then drops that turn's old reply (and the replaced message), or the
 * assistant would see the question twice next to its discarded answer. Decided by comparing the user
 * messages of the thread with the conversation's. Returns whether the new message must still be added.
 */
async function alignThreadTail(turn: ThreadTurn, threadId: string, history: ChatRequest['history']): Promise<boolean> {
  const local = history.filter((m) => m.role === 'user').map((m) => m.content);
  const query = new URLSearchParams({ order: 'desc', limit: '40' });
  const { data } = await turn.client.json<{ data?: WireMessage[]; has_more?: boolean }>(
    'GET',
    `/threads/${encodeURIComponent(threadId)}/messages?${query}`,
    undefined,
    turn.signal,
  );
  const newestFirst = data.data ?? [];
  const lastUser = newestFirst.findIndex((m) => m.role === 'user');
  if (lastUser < 0) return true;
  const threadUsers = newestFirst
    .filter((m) => m.role === 'user')
    .map((m) => plainText(m))
    .reverse();
  const kind = turnKind(threadUsers, local, data.has_more === false);
  if (kind === 'new') return true;
  const drop = newestFirst.slice(0, kind === 'repeat' ? lastUser : lastUser + 1);
  for (const message of drop) {
    await unblocked(turn, threadId, () =>
      turn.client.json('DELETE', `/threads/${encodeURIComponent(threadId)}/messages/${encodeURIComponent(message.id)}`, undefined, turn.signal),
    );
  }
  return kind === 'edited';
}

async function endStaleRun(turn: ThreadTurn, threadId: string, runId: string): Promise<void> {
  turn.log.info('assistant', `cancelling run ${runId} left over on the conversation's thread`);
  await turn.client.cancelRun(threadId, runId, turn.signal).catch((error: unknown) => {
    if (turn.signal.aborted) throw error;
  });
  let wait = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const { data, headers } = await turn.client.retrieveRun(threadId, runId, turn.signal);
    if (TERMINAL.has(data.status)) return;
    const hint = pollAfterOf(headers);
    wait = wait === 0 ? (hint ?? 250) : Math.min(wait * POLL_BACKOFF, POLL_MAX_MS);
    await turn.sleep(Math.max(wait, hint ?? 0), turn.signal);
  }
}
