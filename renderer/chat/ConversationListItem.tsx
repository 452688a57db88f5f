import type { TFunction } from 'i18next';
import { memo, type KeyboardEvent } from 'react';
import type { ConversationSummary } from '../../shared/models/conversation';
import { Icon } from './icons';

interface Props {
  summary: ConversationSummary;
  /** Position in the (filtered) list: the virtualizer's index, and aria-posinset - 1. */
  index: number;
  setSize: number;
  /** Offset from the top of the list, in px. */
  start: number;
  /** The virtualizer measures the row through this. */
  rowRef: (element: HTMLLIElement | null) => void;
  /** The list's one tab stop (the arrow keys move it). */
  tabStop: boolean;
  active: boolean;
  /** A reply streams in this conversation (in this window). */
  streaming: boolean;
  /** Rename and delete buttons: only on the open row and the row under the pointer or holding focus. */
  showActions: boolean;
  renaming: boolean;
  /** When it was last active, ready to show ("14:05" today, "Mar 3" before). */
  activity: string;
  /**
   * The list's translator, handed down: a thousand rows each subscribing to i18n (or keeping their own
   * state) made the list slow to appear. The row is a plain function of its props.
   */
  t: TFunction<'chat'>;
  onSelect: (id: string) => void;
  onStartRename: (id: string) => void;
  /** The new title, or null to cancel. */
  onFinishRename: (id: string, title: string | null) => void;
  onDelete: (summary: ConversationSummary) => void;
}

/**
 * One conversation in the sidebar: open it, rename it in place (F2), delete it (Delete). Placed by the
 * virtualised list (absolute, at `start`); only the list's tab stop row is in the Tab order.
 */
export const ConversationListItem = memo(function ConversationListItem({
  summary,
  index,
  setSize,
  start,
  rowRef,
  tabStop,
  active,
  streaming,
  showActions,
  renaming,
  activity,
  t,
  onSelect,
  onStartRename,
  onFinishRename,
  onDelete,
}: Props) {
  const title = summary.title || t('sidebar.untitled');

  const onItemKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'F2') {
      e.preventDefault();
      onStartRename(summary.id);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      onDelete(summary);
    }
  };

  const onRenameKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onFinishRename(summary.id, e.currentTarget.value);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onFinishRename(summary.id, null);
    }
  };

  return (
    <li
      ref={rowRef}
      className={`conversation-item${active ? ' active' : ''}`}
      data-id={summary.id}
      data-index={index}
      aria-setsize={setSize}
      aria-posinset={index + 1}
      style={{ transform: `translateY(${start}px)` }}
    >
      {renaming ? (
        <input
          className="conversation-rename"
          aria-label={t('sidebar.renameLabel')}
          defaultValue={summary.title}
          maxLength={500}
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
          onKeyDown={onRenameKey}
          onBlur={(e) => onFinishRename(summary.id, e.currentTarget.value)}
        />
      ) : (
        <button
          type="button"
          className="conversation-open"
          aria-current={active ? 'true' : undefined}
          aria-keyshortcuts="F2 Delete"
          tabIndex={tabStop ? 0 : -1}
          onClick={() => onSelect(summary.id)}
          onKeyDown={onItemKey}
        >
          <span className="conversation-title">{title}</span>
          <span className="conversation-meta">
            {streaming && <span className="conversation-streaming">{t('sidebar.streaming')}</span>}
            <time dateTime={summary.updatedAt}>{activity}</time>
          </span>
        </button>
      )}
      {!renaming && showActions && (
        <div className="conversation-actions">
          <button
            type="button"
            className="icon-button"
            tabIndex={tabStop ? 0 : -1}
            aria-label={t('sidebar.rename', { title })}
            title={t('sidebar.rename', { title })}
            onClick={() => onStartRename(summary.id)}
          >
            <Icon name="pencil" />
          </button>
          <button
            type="button"
            className="icon-button"
            tabIndex={tabStop ? 0 : -1}
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
