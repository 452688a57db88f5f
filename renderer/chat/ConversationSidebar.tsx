import { useCallback, useDeferredValue, useMemo, useRef, useState, type FocusEvent } from 'react';
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
  // Which rows show their rename/delete buttons, tracked here for the whole list (one listener each, not
  // one per row). Pointer and focus are kept apart, so moving the mouse never removes a focused button.
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const rowOf = (target: EventTarget | null) =>
    target instanceof Element ? (target.closest('li[data-id]')?.getAttribute('data-id') ?? null) : null;

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
      <nav className="conversation-nav" aria-label={t('sidebar.listLabel')}>
        {status === 'ready' && summaries.length === 0 && <p className="sidebar-empty">{t('sidebar.empty')}</p>}
        {status === 'ready' && summaries.length > 0 && shown.length === 0 && (
          <p className="sidebar-empty">{t('sidebar.noMatch', { query: deferredQuery })}</p>
        )}
        <ul
          className="conversation-list"
          onMouseOver={(e) => setHoveredId(rowOf(e.target))}
          onMouseLeave={() => setHoveredId(null)}
          onFocus={(e) => setFocusedId(rowOf(e.target))}
          onBlur={(e: FocusEvent) => {
            if (!rowOf(e.relatedTarget)) setFocusedId(null);
          }}
        >
          {shown.map((s) => (
            <ConversationListItem
              key={s.id}
              summary={s}
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
          ))}
        </ul>
      </nav>
    </aside>
  );
}
