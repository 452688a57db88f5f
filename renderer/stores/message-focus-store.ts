/**
 * The message a window was asked to show (a search result): the message list scrolls it into view and
 * marks it once it is loaded. `seq` makes asking twice for the same message scroll again.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface MessageFocus {
  conversationId: string;
  messageId: string;
  seq: number;
}

interface MessageFocusState {
  target: MessageFocus | null;
  focus(conversationId: string, messageId: string): void;
  clear(): void;
}

export const messageFocusStore = createStore<MessageFocusState>()((set, get) => ({
  target: null,
  focus(conversationId, messageId) {
    set({ target: { conversationId, messageId, seq: (get().target?.seq ?? 0) + 1 } });
  },
  clear() {
    set({ target: null });
  },
}));

export function useMessageFocus<T>(selector: (state: MessageFocusState) => T): T {
  return useStore(messageFocusStore, selector);
}
