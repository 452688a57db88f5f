import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../shared/models/attachments';
import { errorText } from '../../lib/error-text';
import { removeAttachment, type PendingAttachment } from '../../stores/attachment-drafts-store';
import { Icon } from '../icons';
import { withTranslatedType } from './attachment-error';

/** Element Timing names the thumbnail, so its paint can be timed (npm run bench). */
const ELEMENT_TIMING = { elementtiming: 'attachment-thumbnail' };

/**
 * The composer's attachments before sending: a thumbnail (images) or the name and size (files), a
 * spinner-free "Preparing…" while the file is read, a refusal in one sentence, and a remove button each.
 */
export function AttachmentChips({ draftKey, attachments }: { draftKey: string; attachments: PendingAttachment[] }) {
  const { t } = useTranslation('chat');
  if (attachments.length === 0) return null;
  return (
    <ul className="attachment-chips" aria-label={t('attachments.listLabel')}>
      {attachments.map((a) => (
        <li
          key={a.localId}
          className={`attachment-chip ${a.status}`}
          data-status={a.status}
          aria-busy={a.status === 'preparing' ? true : undefined}
        >
          {a.thumbnailUrl ? (
            <img className="attachment-thumb" src={a.thumbnailUrl} alt={a.name} width={56} height={56} {...ELEMENT_TIMING} />
          ) : (
            <span className="attachment-file-icon" aria-hidden="true">
              <Icon name="paperclip" />
            </span>
          )}
          <span className="attachment-meta">
            <span className="attachment-name" title={a.name}>
              {a.name}
            </span>
            <span className="attachment-size">
              {a.status === 'preparing'
                ? t('attachments.preparing')
                : a.status === 'failed' && a.error
                  ? errorText(t, withTranslatedType(t, a.error))
                  : formatBytes(a.size)}
            </span>
          </span>
          <button
            type="button"
            className="ghost icon attachment-remove"
            aria-label={t('attachments.remove', { name: a.name })}
            title={t('attachments.remove', { name: a.name })}
            onClick={() => removeAttachment(draftKey, a.localId)}
          >
            <Icon name="close" />
          </button>
        </li>
      ))}
    </ul>
  );
}
