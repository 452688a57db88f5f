import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import { filterByTitle, useConversationsStore } from '../stores/conversations-store';
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
  const { t } = useTranslation('chat');
  const summaries = useConversationsStore((s) => s.summaries);
  const activeId = useConversationsStore((s) => s.activeId);
  const status = useConversationsStore((s) => s.status);
  const [query, setQuery] = useState('');
  // Typing stays responsive with a long list: filtering renders at lower priority.
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => filterByTitle(summaries, deferredQuery), [summaries, deferredQuery]);

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
        <ul className="conversation-list">
          {shown.map((s) => (
            <ConversationListItem
              key={s.id}
              summary={s}
              active={s.id === activeId}
              onSelect={onSelect}
              onRename={onRename}
              onDelete={onDelete}
            />
          ))}
        </ul>
      </nav>
    </aside>
  );
}
