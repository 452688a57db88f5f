/**
 * The server conversation of a Responses turn (conversation state `server`): the conversation's own
 * Conversations API object, lined up with the conversation first (Regenerate, Retry, edit-and-resend drop
 * that turn's items), or a new one seeded with the history when there is none or it is gone.
 */
import type OpenAI from 'openai';
import { AppFailure } from '../../../../shared/result';
import type { Logger } from '../../logger';
import { notOpenAIApi, type ErrorContext } from '../errors/request-failure';
import type { ChatRequest, HistoryMessage } from '../provider-kind';
import { turnKind } from '../wire/turn-alignment';
import { IMAGES_PARAMETER, responsesMessage, sentText } from '../attachment-parts';
import { omittedFor } from '../generation-parameters';
import { ConversationStepError, serverMessage, statusOf } from './responses-errors';

/** Items read from the end of a server conversation to line it up with ours (Regenerate, edit). */
const ALIGN_WINDOW = 100;
/** The Conversations API takes at most 20 items per request. */
const ITEMS_PER_REQUEST = 20;

/** What the conversation steps of a turn work with. */
export interface ConversationTurn {
  request: ChatRequest;
  client: OpenAI;
  ctx: ErrorContext;
  log: Logger;
}

export async function prepareConversation(turn: ConversationTurn): Promise<string> {
  const { conversation, history } = turn.request;
  const saved = conversation.threadId && conversation.threadProviderId === turn.request.provider.config.id ? conversation.threadId : null;
  if (saved) {
    try {
      await alignConversation(turn, saved, history);
      return saved;
    } catch (error) {
      if (turn.request.signal.aborted || !isGone(error)) throw new ConversationStepError(error);
      turn.log.warn('responses', `the server conversation of ${conversation.id} is gone; starting a new one`);
    }
  }
  const earlier = history.slice(0, -1).filter((m) => m.content.trim() !== '');
  try {
    const created = await turn.client.conversations.create(
      earlier.length ? { items: earlier.slice(0, ITEMS_PER_REQUEST).map(inputMessage(turn.request)) } : {},
      { signal: turn.request.signal },
    );
    // A proxy's web page (or other non-API answer) parses as text, not as a conversation object.
    if (typeof created !== 'object' || created === null || typeof created.id !== 'string') throw new AppFailure(notOpenAIApi(null, '', turn.ctx));
    for (let i = ITEMS_PER_REQUEST; i < earlier.length; i += ITEMS_PER_REQUEST) {
      await turn.client.conversations.items.create(created.id, { items: earlier.slice(i, i + ITEMS_PER_REQUEST).map(inputMessage(turn.request)) }, { signal: turn.request.signal });
    }
    // Kept only once seeded: one refused part way (its images, say) is not taken for the whole history next time.
    await turn.request.saveThreadId?.(created.id);
    // Later requests of this reply (a tool loop's next round) continue in it.
    turn.request.conversation.threadId = created.id;
    turn.request.conversation.threadProviderId = turn.request.provider.config.id;
    return created.id;
  } catch (error) {
    throw new ConversationStepError(error);
  }
}

/**
 * Regenerate, Retry and edit-and-resend send a user message the server conversation already has (or an
 * edited version of it): that turn's items (the question, the discarded answer, its reasoning) are
 * deleted first, and the message goes again as the new input. Decided by comparing the user messages
 * of the server conversation with ours.
 */
async function alignConversation(turn: ConversationTurn, conversationId: string, history: readonly HistoryMessage[]): Promise<void> {
  const page = await turn.client.conversations.items.list(conversationId, { order: 'desc', limit: ALIGN_WINDOW }, { signal: turn.request.signal });
  const newestFirst = page.data;
  const isUser = (item: OpenAI.Conversations.ConversationItem) => item.type === 'message' && item.role === 'user';
  const lastUser = newestFirst.findIndex(isUser);
  if (lastUser < 0) return;
  const serverUsers = newestFirst
    .filter(isUser)
    .map((item) => (item.type === 'message' ? messageText(item) : ''))
    .reverse();
  // The server gives back all the text parts a message sent (its own text and its text files', and the words
  // that stand for images left out).
  const omitImages = omittedFor(turn.request.provider.quirks, turn.request.model).has(IMAGES_PARAMETER);
  const local = history.filter((m) => m.role === 'user').map((m) => sentText(m, omitImages));
  if (turnKind(serverUsers, local, !page.has_more) === 'new') return;
  for (const item of newestFirst.slice(0, lastUser + 1)) {
    if (!item.id) continue;
    await turn.client.conversations.items.delete(item.id, { conversation_id: conversationId }, { signal: turn.request.signal });
  }
}

/** A history message as Responses input; its images left out when this provider and model refused them. */
export function inputMessage(request: Pick<ChatRequest, 'provider' | 'model'>): (message: HistoryMessage) => OpenAI.Responses.EasyInputMessage {
  const omitImages = omittedFor(request.provider.quirks, request.model).has(IMAGES_PARAMETER);
  return (message) => responsesMessage(message, omitImages);
}

function messageText(item: OpenAI.Conversations.Message): string {
  return item.content
    .map((part) => (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text' ? part.text : ''))
    .join('');
}

/** The conversation object is gone on the server (404 naming it, or an id it does not accept). */
function isGone(error: unknown): boolean {
  const status = statusOf(error);
  const message = serverMessage(error);
  if (/invalid url/i.test(message)) return false;
  return (status === 404 || status === 400) && /conversation/i.test(message) && /not found|invalid|does not exist|expected an id/i.test(message);
}
