import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/result';
import { getApi } from '../lib/api';
import { errorHint, errorText } from '../lib/error-text';
import { isFixedInSettings } from './settings-fixable';

interface Props {
  error: AppError | null | undefined;
  /** Absent when a retry is not possible now (another reply streams, or this is not the last reply). */
  onRetry?: () => void;
  onDismiss?: () => void;
  /** For a parameter the server refused (PARAMETER_REJECTED): answer again without it. */
  onSendWithout?: (parameter: string) => void;
  className?: string;
}

/** Why something failed, in one translated sentence with its hint, and what the user can do about it. */
export function MessageError({ error, onRetry, onDismiss, onSendWithout, className }: Props) {
  const { t } = useTranslation('chat');
  const refused = error?.code === 'PARAMETER_REJECTED' && typeof error.params?.parameter === 'string' ? error.params.parameter : null;
  // A model without vision: the same way out, for the images of the conversation (pseudo-parameter 'images').
  const imagesRefused = error?.code === 'IMAGES_REJECTED';
  const text = error ? errorText(t, error) : t('message.failedUnknown');
  const hint = error ? errorHint(t, error) : undefined;
  return (
    <div className={className ?? 'message-error'}>
      <div className="message-error-body">
        <p className="message-error-text">{text}</p>
        {hint && <p className="message-error-hint">{hint}</p>}
      </div>
      <div className="message-error-actions">
        {isFixedInSettings(error) && (
          <button type="button" onClick={() => void getApi().app.openSettings()}>
            {t('error.openSettings')}
          </button>
        )}
        {refused !== null && onSendWithout && (
          <button type="button" onClick={() => onSendWithout(refused)}>
            {t('error.sendWithout', { parameter: refused })}
          </button>
        )}
        {imagesRefused && onSendWithout && (
          <button type="button" onClick={() => onSendWithout('images')}>
            {t('error.sendWithoutImages')}
          </button>
        )}
        {onRetry && (
          <button type="button" onClick={onRetry}>
            {t('message.retry')}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="ghost" onClick={onDismiss}>
            {t('error.dismiss')}
          </button>
        )}
      </div>
    </div>
  );
}
