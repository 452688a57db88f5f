import { useEndKeptOnResize } from './use-end-kept-on-resize';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../shared/models/conversation';
import { chatStore, useChatStore } from '../stores/chat-store';
import { messageFocusStore, useMessageFocus } from '../stores/message-focus-store';
import { MessageError } from './MessageError';
import { MessageItem } from './MessageItem';

interface Props {
  conversationId: string;
}

const NO_MESSAGES: Message[] = [];

/**
 * Older messages are asked for when the first message rendered is this close to the top of what is
 * loaded: a page arrives before a user scrolling at reading speed reaches the top.
 */
const LOAD_OLDER_AHEAD = 30;

/**
 * A guess of a message's height before it is measured, from its length alone: the virtualizer asks for
 * every unmeasured message after each measurement, so this must cost next to nothing.
 */
function estimateHeight(message: Message | undefined): number {
  if (!message) return 120;
  return Math.min(2000, (message.role === 'user' ? 56 : 84) + Math.ceil(message.content.length / 100) * 22 + attachmentsHeight(message));
}

/** Sent images (rows of up to three 180 px boxes) and file chips: a user row that is estimated too short would
 * grow on measuring and leave the end of the list, and the list would stop following new replies. */
function attachmentsHeight(message: Message): number {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return 0;
  const images = attachments.filter((a) => a.kind === 'image').length;
  const files = attachments.length - images;
  return Math.ceil(images / 3) * 188 + (files > 0 ? 34 : 0) + 6;
}

/**
 * The messages of one conversation, virtualised: only the messages near the viewport are in the DOM, so a
 * conversation with 10,000 messages opens and scrolls as fast as a short one. The list follows the end
 * while the user is there (a reply streaming in stays in view) and stays put when they scrolled up to read.
 *
 * A long conversation opens with its latest messages only; older pages are loaded as the user scrolls up
 * and prepended without moving what they are reading (the virtualizer keeps its anchor row in place).
 * Positions for assistive technology count the whole conversation, loaded or not.
 */
export function MessageList({ conversationId }: Props) {
  const { t } = useTranslation('chat');
  const messages = useChatStore((s) => s.conversations[conversationId]?.messages ?? NO_MESSAGES);
  const stream = useChatStore((s) => s.conversations[conversationId]?.stream ?? null);
  const busy = useChatStore((s) => s.conversations[conversationId]?.busy ?? false);
  const olderCount = useChatStore((s) => s.conversations[conversationId]?.olderCount ?? 0);
  const older = useChatStore((s) => s.conversations[conversationId]?.older ?? 'idle');
  const olderError = useChatStore((s) => s.conversations[conversationId]?.olderError ?? null);
  const scrollRef = useRef<HTMLDivElement>(null);
  /** A search result to show: scrolled into view and marked once it is loaded. */
  const focus = useMessageFocus((s) => (s.target?.conversationId === conversationId ? s.target : null));
  /** Home was pressed: go to the first message once every older one is loaded. */
  const homePending = useRef(false);
  const idle = stream === null && !busy;

  let lastUser = -1;
  let lastReply = -1;
  for (let i = messages.length - 1; i >= 0 && (lastUser < 0 || lastReply < 0); i--) {
    if (messages[i]!.role === 'user' && lastUser < 0) lastUser = i;
    if (messages[i]!.role === 'assistant' && lastReply < 0) lastReply = i;
  }
  // Regenerate replaces the reply to the last user message, so it is offered only on a reply after it.
  if (lastReply < lastUser) lastReply = -1;

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateHeight(messages[index]),
    overscan: 4,
    getItemKey: (index) => messages[index]?.id ?? index,
    // Start at the end: the first render is the latest messages, not the first ones rendered for nothing.
    initialOffset: () => Number.MAX_SAFE_INTEGER,
    // Chat behaviour: keep the end in view while the user is at the end (new messages, a growing reply).
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 48,
  });

  useEndKeptOnResize(scrollRef, 48);

  // Open at the latest message.
  useLayoutEffect(() => {
    if (messages.length > 0) virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    // Only when the list mounts (one mount per conversation); later growth is followed by the virtualizer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const focusIndex = focus ? messages.findIndex((m) => m.id === focus.messageId) : -1;
  useLayoutEffect(() => {
    if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'center' });
    // Once per request (`seq`), not again as the list grows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.seq, focusIndex >= 0]);

  // Leaving the conversation ends the mark: coming back later opens it at its end as usual.
  useEffect(
    () => () => {
      const { target, clear } = messageFocusStore.getState();
      if (target?.conversationId === conversationId) clear();
    },
    [conversationId],
  );

  const onRegenerate = useCallback((without?: string) => void chatStore.getState().regenerate(conversationId, without), [conversationId]);
  const onEditAndResend = useCallback(
    (messageId: string, text: string) => chatStore.getState().editAndResend(conversationId, messageId, text),
    [conversationId],
  );

  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index;
  // Near the top of what is loaded: ask for the page before it.
  useEffect(() => {
    if (firstShown !== undefined && firstShown < LOAD_OLDER_AHEAD && olderCount > 0 && older === 'idle') {
      void chatStore.getState().loadOlder(conversationId);
    }
  }, [firstShown, olderCount, older, conversationId]);

  // After Home, once the start of the conversation is loaded and rendered.
  useLayoutEffect(() => {
    if (!homePending.current || older === 'loading') return;
    homePending.current = false;
    if (olderCount === 0 && messages.length > 0) virtualizer.scrollToIndex(0, { align: 'start' });
  }, [older, olderCount, messages.length, virtualizer]);

  // Home/End jump through the virtualizer: the browser's own (smooth) keyboard scroll is cut short when
  // messages coming into view are measured and the scroll position is corrected.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || messages.length === 0) return;
    if (e.key === 'Home') {
      e.preventDefault();
      if (olderCount === 0) {
        virtualizer.scrollToIndex(0, { align: 'start' });
        return;
      }
      homePending.current = true;
      void chatStore.getState().loadOlder(conversationId, { all: true });
    } else if (e.key === 'End') {
      e.preventDefault();
      virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    }
  };

  const total = olderCount + messages.length;
  return (
    <>
      {older === 'loading' && (
        <p className="older-status" role="status">
          {t('messages.loadingOlder')}
        </p>
      )}
      {older === 'error' && (
        <MessageError
          className="older-status older-error"
          error={olderError}
          onRetry={() => void chatStore.getState().loadOlder(conversationId, homePending.current ? { all: true } : {})}
        />
      )}
      <div
        ref={scrollRef}
        className="message-scroll"
        // Focusable so keyboard users can scroll the conversation with the arrow and page keys.
        tabIndex={0}
        role="region"
        aria-label={t('messages.label')}
        onKeyDown={onKeyDown}
      >
        <div className="message-canvas" role="list" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const message = messages[item.index]!;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={focus?.messageId === message.id ? 'message-row search-focus' : 'message-row'}
                aria-current={focus?.messageId === message.id ? 'true' : undefined}
                role="listitem"
                aria-setsize={total}
                aria-posinset={olderCount + item.index + 1}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <MessageItem
                  message={message}
                  conversationId={conversationId}
                  stream={stream?.messageId === message.id ? stream : null}
                  isLastUser={item.index === lastUser}
                  isLastReply={item.index === lastReply}
                  idle={idle}
                  onRegenerate={onRegenerate}
                  onEditAndResend={onEditAndResend}
                />
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}
