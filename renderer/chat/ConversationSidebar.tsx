import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import { useShallow } from 'zustand/react/shallow';
import { useChatStore } from '../stores/chat-store';
import { conversationsStore, filterByTitle, useConversationsStore } from '../stores/conversations-store';
import { activityLabel, startOfToday } from './activity-label';
import { ConversationListItem } from './ConversationListItem';
import { Icon } from './icons';
import { shortcutLabel } from './shortcut-label';

interface Props {
  onNewChat: () => void;
  onSelect: (id: string) => void;
  onRename: (id: string, title: string) => Promise<boolean>;
  onDelete: (summary: ConversationSummary) => void;
}

/** A row before it is measured: title line and meta line (measured rows correct it). */
const ROW_ESTIMATE = 46;
const ROW_GAP = 2;

/**
 * The conversation list, virtualised: with a thousand conversations only the rows in view (plus a few) are
 * in the DOM, so the list appears as fast as a short one. It is one tab stop: the arrow keys, Home, End,
 * Page Up and Page Down move focus between rows (scrolling them into view), F2 renames and Delete deletes
 * the focused one. The focused row and the one being renamed stay rendered when scrolled away, so neither
 * focus nor a half-typed title is lost. Rows carry aria-setsize/aria-posinset for the whole list.
 */
export function ConversationSidebar({ onNewChat, onSelect, onRename, onDelete }: Props) {
  const { t, i18n } = useTranslation('chat');
  const streamingIds = useChatStore(
    useShallow((s) => Object.values(s.conversations).flatMap((c) => (c.stream ? [c.id] : []))),
  );
  const todayStart = startOfToday();
  const summaries = useConversationsStore((s) => s.summaries);
  const activeId = useConversationsStore((s) => s.activeId);
  const status = useConversationsStore((s) => s.status);
  const [query, setQuery] = useState('');
  // Typing stays responsive with a long list: filtering renders at lower priority.
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => filterByTitle(summaries, deferredQuery), [summaries, deferredQuery]);
  const indexById = useMemo(() => new Map(shown.map((s, i) => [s.id, i])), [shown]);
  // Which rows show their rename/delete buttons, tracked here for the whole list (one listener each, not
  // one per row). Pointer and focus are kept apart, so moving the mouse never removes a focused button.
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  /** The row that takes focus when Tab enters the list: the last one focused, else the open one, else the first. */
  const [cursorId, setCursorId] = useState<string | null>(null);
  const tabStopId =
    cursorId !== null && indexById.has(cursorId)
      ? cursorId
      : activeId !== null && indexById.has(activeId)
        ? activeId
        : (shown[0]?.id ?? null);
  const rowOf = (target: EventTarget | null) =>
    target instanceof Element ? (target.closest('li[data-id]')?.getAttribute('data-id') ?? null) : null;

  const scrollRef = useRef<HTMLElement>(null);
  const keep = useRef<number[]>([]);
  keep.current = [tabStopId, renamingId].flatMap((id) => {
    const i = id === null ? undefined : indexById.get(id);
    return i === undefined ? [] : [i];
  });
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const extra = keep.current.filter((i) => i < range.count && !indexes.includes(i));
    return extra.length ? [...indexes, ...extra].sort((a, b) => a - b) : indexes;
  }, []);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    gap: ROW_GAP,
    overscan: 6,
    getItemKey: (index) => shown[index]?.id ?? index,
    rangeExtractor,
  });

  // The open conversation is in view when it changes (restored after a reload, or opened from elsewhere).
  useEffect(() => {
    const i = activeId === null ? undefined : indexById.get(activeId);
    if (i !== undefined) virtualizer.scrollToIndex(i, { align: 'auto' });
    // Only when another conversation is opened, not when the list reorders under it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeId]);

  /** Focus moves to this row once it is rendered. */
  const focusPending = useRef<string | null>(null);
  useLayoutEffect(() => {
    const id = focusPending.current;
    if (id === null) return;
    const button = scrollRef.current?.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"] .conversation-open`);
    if (!button) return;
    focusPending.current = null;
    button.focus({ preventScroll: true });
  });

  const moveFocus = (index: number) => {
    const target = shown[index];
    if (!target) return;
    setCursorId(target.id);
    focusPending.current = target.id;
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (!(e.target instanceof HTMLElement) || !e.target.classList.contains('conversation-open')) return;
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const id = rowOf(e.target);
    const current = id === null ? undefined : indexById.get(id);
    if (current === undefined) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / (ROW_ESTIMATE + ROW_GAP)) - 1);
    const last = shown.length - 1;
    const next =
      e.key === 'ArrowDown'
        ? current + 1
        : e.key === 'ArrowUp'
          ? current - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : e.key === 'PageDown'
                ? current + page
                : e.key === 'PageUp'
                  ? current - page
                  : null;
    if (next === null) return;
    e.preventDefault();
    const clamped = Math.min(last, Math.max(0, next));
    if (clamped !== current) moveFocus(clamped);
  };

  // Enter ends a rename, and so does the blur of the box it removes: only the first one counts.
  const renaming = useRef<string | null>(null);
  const startRename = useCallback((id: string) => {
    renaming.current = id;
    setRenamingId(id);
  }, []);
  const finishRename = useCallback(
    (id: string, value: string | null) => {
      if (renaming.current !== id) return;
      renaming.current = null;
      setRenamingId(null);
      const next = value?.trim();
      // A failed rename keeps the old title; ChatApp says why.
      if (next && next !== conversationsStore.getState().summaries.find((s) => s.id === id)?.title) void onRename(id, next);
      // Enter or Esc in the box: back to the row, so a keyboard user carries on from where they were (a
      // click elsewhere keeps its own focus).
      if (document.activeElement?.classList.contains('conversation-rename')) {
        setCursorId(id);
        focusPending.current = id;
      }
    },
    [onRename],
  );

  return (
    <aside className="chat-sidebar" aria-label={t('sidebar.label')}>
      <div className="sidebar-head">
        <span className="app-name">{t('common:appName')}</span>
        <button
          type="button"
          className="primary new-chat"
          title={t('sidebar.newChatShortcut', { shortcut: shortcutLabel('N') })}
          onClick={onNewChat}
        >
          <Icon name="plus" />
          <span>{t('sidebar.newChat')}</span>
        </button>
      </div>
      <input
        type="search"
        className="sidebar-search"
        aria-label={t('sidebar.search')}
        placeholder={t('sidebar.searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <nav ref={scrollRef} className="conversation-nav" aria-label={t('sidebar.listLabel')}>
        {status === 'ready' && summaries.length === 0 && <p className="sidebar-empty">{t('sidebar.empty')}</p>}
        {status === 'ready' && summaries.length > 0 && shown.length === 0 && (
          <p className="sidebar-empty">{t('sidebar.noMatch', { query: deferredQuery })}</p>
        )}
        <ul
          className="conversation-list"
          style={{ height: virtualizer.getTotalSize() }}
          onMouseOver={(e) => setHoveredId(rowOf(e.target))}
          onMouseLeave={() => setHoveredId(null)}
          onFocus={(e) => {
            const id = rowOf(e.target);
            setFocusedId(id);
            if (id !== null) setCursorId(id);
          }}
          onBlur={(e: FocusEvent) => {
            if (!rowOf(e.relatedTarget)) setFocusedId(null);
          }}
          onKeyDown={onListKey}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const s = shown[item.index]!;
            return (
              <ConversationListItem
                key={s.id}
                summary={s}
                index={item.index}
                setSize={shown.length}
                start={item.start}
                rowRef={virtualizer.measureElement}
                tabStop={s.id === tabStopId}
                active={s.id === activeId}
                streaming={streamingIds.includes(s.id)}
                showActions={s.id === activeId || s.id === hoveredId || s.id === focusedId}
                renaming={s.id === renamingId}
                activity={activityLabel(s.updatedAt, i18n.language, todayStart)}
                t={t}
                onSelect={onSelect}
                onStartRename={startRename}
                onFinishRename={finishRename}
                onDelete={onDelete}
              />
            );
          })}
        </ul>
      </nav>
    </aside>
  );
}
