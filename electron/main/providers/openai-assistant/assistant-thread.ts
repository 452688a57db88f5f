/**
 * The thread of one Assistant turn: the conversation's own thread, lined up with the conversation first
 * (Regenerate, Retry, edit-and-resend), or a new one seeded with the history; then the user's message. A run
 * left over on the thread (the app quit mid-reply) is cancelled and awaited when it blocks a change.
 */
import type { Logger } from '../../logger';
import { parseServerError } from '../errors/request-failure';
import type { ChatRequest, HistoryAttachment, HistoryMessage } from '../provider-kind';
import { assistantContent, IMAGES_PARAMETER, sentText } from '../attachment-parts';
import { omittedFor } from '../generation-parameters';
import { turnKind } from '../wire/turn-alignment';
import { TERMINAL, type WireMessage } from './api-objects';
import { plainText } from './annotations';
import { HttpStatusError, NotApiError, pollAfterOf, POLL_BACKOFF, POLL_MAX_MS, type AssistantsClient } from './assistants-client';
import { deleteFiles, uploadedImageIds } from './thread-files';

/** What the thread steps of a turn work with. */
export interface ThreadTurn {
  request: ChatRequest;
  client: AssistantsClient;
  /** Aborted on Stop or when the run deadline passes. */
  signal: AbortSignal;
  log: Logger;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** File ids of the images uploaded in this turn, by attachment id. */
  uploaded?: Map<string, Promise<string>>;
}

export async function prepareThread(turn: ThreadTurn): Promise<string> {
  const { conversation, history } = turn.request;
  const last = history.at(-1);
  const message: HistoryMessage = last?.role === 'user' ? last : { role: 'user', content: '' };
  const reusable = conversation.threadId && conversation.threadProviderId === turn.request.provider.config.id ? conversation.threadId : null;
  if (reusable) {
    try {
      if (await alignThreadTail(turn, reusable, history)) await addMessage(turn, reusable, message);
      return reusable;
    } catch (error) {
      // The thread is gone on the server (deleted elsewhere, or the server was reset): start a new one,
      // seeded with the conversation so far, rather than leave the conversation unusable.
      if (!(error instanceof HttpStatusError && error.status === 404 && /thread/i.test(parseServerError(error.bodyText).message ?? ''))) throw error;
      turn.log.warn('assistant', `thread of conversation ${conversation.id} is gone on the server; starting a new one`);
    }
  }
  const earlier: { role: string; content: unknown }[] = [];
  for (const m of history.slice(0, last?.role === 'user' ? -1 : history.length)) {
    if (m.content.trim() === '' && !m.attachments?.length) continue;
    earlier.push({ role: m.role, content: await contentOf(turn, m) });
  }
  const { data } = await turn.client.json<{ id?: string }>('POST', '/threads', earlier.length ? { messages: earlier } : {}, turn.signal);
  if (typeof data.id !== 'string') throw new NotApiError('application/json', '');
  await turn.request.saveThreadId?.(data.id);
  await addMessage(turn, data.id, message);
  return data.id;
}

async function addMessage(turn: ThreadTurn, threadId: string, message: HistoryMessage): Promise<void> {
  const path = `/threads/${encodeURIComponent(threadId)}/messages`;
  const content = await contentOf(turn, message);
  await unblocked(turn, threadId, () => turn.client.json('POST', path, { role: 'user', content }, turn.signal));
}

/** A message's content; its images are uploaded first (Files API, purpose `vision`), once per turn each. */
async function contentOf(turn: ThreadTurn, message: HistoryMessage): Promise<unknown> {
  const omitImages = omittedFor(turn.request.provider.quirks, turn.request.model).has(IMAGES_PARAMETER);
  const uploaded = (turn.uploaded ??= new Map<string, Promise<string>>());
  const upload = (attachment: HistoryAttachment): Promise<string> => {
    let id = uploaded.get(attachment.id);
    if (!id) {
      id = turn.client.uploadFile(Buffer.from(attachment.base64 ?? '', 'base64'), attachment.name, attachment.mime, 'vision', turn.signal);
      uploaded.set(attachment.id, id);
      // A failed upload (a 429 waited out) is made again when the thread is prepared again.
      id.catch(() => uploaded.delete(attachment.id));
    }
    return id;
  };
  return assistantContent(message, omitImages, upload);
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
  // The thread gives back all the text parts a message sent (its own text and its text files', and the
  // words that stand for images left out): a message refused with its images is then replaced, not kept.
  const omitImages = omittedFor(turn.request.provider.quirks, turn.request.model).has(IMAGES_PARAMETER);
  const local = history.filter((m) => m.role === 'user').map((m) => sentText(m, omitImages));
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
  // An edited question is added again with its images uploaded again: the old uploads go, without holding
  // up the reply (a failure is only logged; the thread no longer refers to them).
  const orphaned = uploadedImageIds(drop);
  if (orphaned.length > 0) {
    void deleteFiles(turn.client, orphaned, new AbortController().signal).catch((error: unknown) =>
      turn.log.warn('assistant', `could not delete ${orphaned.length} image(s) no message of the thread uses any more`, error),
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
