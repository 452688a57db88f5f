import { memo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import { useChatStore } from '../stores/chat-store';
import { Icon } from './icons';

interface Props {
  summary: ConversationSummary;
  active: boolean;
  onSelect: (id: string) => void;
  onRename: (id: string, title: string) => Promise<boolean>;
  onDelete: (summary: ConversationSummary) => void;
}

const formats = new Map<string, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat }>();

function activityLabel(iso: string, language: string): string {
  let f = formats.get(language);
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }),
      date: new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' }),
    };
    formats.set(language, f);
  }
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return '';
  return when.toDateString() === new Date().toDateString() ? f.time.format(when) : f.date.format(when);
}

/** One conversation in the sidebar: open it, rename it in place (F2), delete it (Delete). */
export const ConversationListItem = memo(function ConversationListItem({
  summary,
  active,
  onSelect,
  onRename,
  onDelete,
}: Props) {
  const { t, i18n } = useTranslation('chat');
  const [renaming, setRenaming] = useState(false);
  const streaming = useChatStore((s) => s.conversations[summary.id]?.stream != null);
  const title = summary.title || t('sidebar.untitled');

  const finishRename = async (value: string) => {
    const next = value.trim();
    if (next && next !== summary.title && !(await onRename(summary.id, next))) return;
    setRenaming(false);
  };

  const onItemKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'F2') {
      e.preventDefault();
      setRenaming(true);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      onDelete(summary);
    }
  };

  const onRenameKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void finishRename(e.currentTarget.value);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setRenaming(false);
    }
  };

  return (
    <li className={`conversation-item${active ? ' active' : ''}`}>
      {renaming ? (
        <input
          className="conversation-rename"
          aria-label={t('sidebar.renameLabel')}
          defaultValue={summary.title}
          maxLength={500}
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
          onKeyDown={onRenameKey}
          onBlur={(e) => void finishRename(e.currentTarget.value)}
        />
      ) : (
        <button
          type="button"
          className="conversation-open"
          aria-current={active ? 'true' : undefined}
          onClick={() => onSelect(summary.id)}
          onKeyDown={onItemKey}
        >
          <span className="conversation-title">{title}</span>
          <span className="conversation-meta">
            {streaming && <span className="conversation-streaming">{t('sidebar.streaming')}</span>}
            <time dateTime={summary.updatedAt}>{activityLabel(summary.updatedAt, i18n.language)}</time>
          </span>
        </button>
      )}
      {!renaming && (
        <div className="conversation-actions">
          <button
            type="button"
            className="icon-button"
            aria-label={t('sidebar.rename', { title })}
            title={t('sidebar.rename', { title })}
            onClick={() => setRenaming(true)}
          >
            <Icon name="pencil" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('sidebar.delete', { title })}
            title={t('sidebar.delete', { title })}
            onClick={() => onDelete(summary)}
          >
            <Icon name="trash" />
          </button>
        </div>
      )}
    </li>
  );
});
