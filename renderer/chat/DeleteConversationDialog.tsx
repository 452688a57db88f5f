import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import { ConfirmDialog } from '../components/ConfirmDialog';

interface Props {
  summary: ConversationSummary;
  onConfirm: (deleteRemoteThread: boolean) => void;
  onCancel: () => void;
}

/**
 * Confirms deleting a conversation. An Assistants conversation also has a thread on the server; deleting
 * it there is offered, not assumed (the thread may be used elsewhere).
 */
export function DeleteConversationDialog({ summary, onConfirm, onCancel }: Props) {
  const { t } = useTranslation('chat');
  const [deleteThread, setDeleteThread] = useState(false);
  const title = summary.title || t('sidebar.untitled');
  return (
    <ConfirmDialog
      title={t('delete.title')}
      onCancel={onCancel}
      actions={[
        { label: t('common:actions.cancel'), onClick: onCancel, initialFocus: true },
        { label: t('delete.confirm'), onClick: () => onConfirm(deleteThread), variant: 'danger' },
      ]}
    >
      <p>{t('delete.body', { title })}</p>
      {summary.threadId && (
        <label className="checkbox-row">
          <input type="checkbox" checked={deleteThread} onChange={(e) => setDeleteThread(e.target.checked)} />
          <span>{t('delete.alsoThread')}</span>
        </label>
      )}
    </ConfirmDialog>
  );
}
