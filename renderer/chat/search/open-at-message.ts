import { MESSAGE_PAGE_SIZE } from '../../../shared/models/conversation';
import type { SearchHit } from '../../../shared/models/search';
import { chatStore } from '../../stores/chat-store';
import { conversationsStore } from '../../stores/conversations-store';
import { messageFocusStore } from '../../stores/message-focus-store';

/**
 * Opens a search result: shows its conversation, loads older pages until the message is among the loaded
 * ones (one page when it is near the end; every older message at once when it is far back, as Home does),
 * then asks the message list to scroll it into view and mark it.
 */
export async function openSearchHit(hit: SearchHit): Promise<void> {
  const { conversationId, messageId } = hit;
  conversationsStore.getState().setActive(conversationId);
  const chat = chatStore.getState();
  await chat.open(conversationId);
  if (messageId === null) return;
  // The window may have started opening it already (its own effect): wait for that load to end.
  await loaded(conversationId);
  for (let guard = 0; guard < 200; guard++) {
    const conv = chatStore.getState().conversations[conversationId];
    if (!conv || conv.loadStatus !== 'ready') return;
    if (conv.messages.some((m) => m.id === messageId) || conv.olderCount === 0) break;
    const before = conv.olderCount;
    // `position` counts from the start: how many older messages are still to load to reach it.
    const missing = conv.olderCount - hit.position;
    await chatStore.getState().loadOlder(conversationId, { all: missing > MESSAGE_PAGE_SIZE });
    const after = chatStore.getState().conversations[conversationId];
    if (!after || after.older === 'error' || after.olderCount === before) break;
  }
  messageFocusStore.getState().focus(conversationId, messageId);
}

function loaded(conversationId: string): Promise<void> {
  const done = () => chatStore.getState().conversations[conversationId]?.loadStatus !== 'loading';
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = chatStore.subscribe(() => {
      if (!done()) return;
      stop();
      resolve();
    });
  });
}
