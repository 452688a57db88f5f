import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import type { ProviderView } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { errorText } from '../lib/error-text';
import { useProvidersStore } from '../stores/providers-store';

/**
 * What a conversation keeps on its server, named as that provider's API names it: an Assistants thread,
 * or a Responses conversation; `remote` when the provider that owns it is gone and its kind is unknown.
 */
export type RemoteStateKind = 'thread' | 'conversation' | 'remote';

export function remoteStateKind(summary: ConversationSummary, providers: readonly ProviderView[]): RemoteStateKind {
  const ownerId = summary.threadProviderId ?? summary.providerId;
  const type = providers.find((p) => p.id === ownerId)?.type;
  return type === 'openai-responses' ? 'conversation' : type === 'openai-assistant' ? 'thread' : 'remote';
}

const ALSO_DELETE = { thread: 'delete.alsoThread', conversation: 'delete.alsoConversation', remote: 'delete.alsoRemote' } as const;
export const REMOTE_FAILED = {
  thread: 'delete.remoteFailed',
  conversation: 'delete.remoteFailedConversation',
  remote: 'delete.remoteFailedRemote',
} as const;

/**
 * The note after a conversation was deleted here but not on its server: main's reason in the window's
 * language (by its code), and when the thread was kept because its uploaded images could not be deleted,
 * a sentence that says so.
 */
export function remoteFailureNote(t: TFunction, kind: RemoteStateKind, failure: AppError | undefined): string {
  const error = failure ? errorText(t, failure) : '';
  return failure?.params?.keptFor === 'images' ? t('chat:delete.remoteKeptForImages', { error }) : t(`chat:${REMOTE_FAILED[kind]}`, { error });
}

interface Props {
  summary: ConversationSummary;
  onConfirm: (deleteRemoteThread: boolean) => void;
  onCancel: () => void;
}

/**
 * Confirms deleting a conversation. An Assistants conversation also has a thread on the server, a
 * Responses one a conversation object; deleting it there is offered, not assumed (it may be used elsewhere).
 */
export function DeleteConversationDialog({ summary, onConfirm, onCancel }: Props) {
  const { t } = useTranslation('chat');
  const [deleteThread, setDeleteThread] = useState(false);
  const kind = useProvidersStore((s) => remoteStateKind(summary, s.providers));
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
          <span>{t(ALSO_DELETE[kind])}</span>
        </label>
      )}
    </ConfirmDialog>
  );
}
