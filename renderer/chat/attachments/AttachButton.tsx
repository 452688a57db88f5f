import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../icons';

/**
 * The composer's file picker: any number of files, read by their bytes (never by path). The picker forgets
 * the choice at once, so the same file can be chosen again.
 */
export function AttachButton({ disabled, onFiles }: { disabled?: boolean; onFiles: (files: File[]) => void }) {
  const { t } = useTranslation('chat');
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="composer-button attach"
        aria-label={t('attachments.add')}
        title={t('attachments.add')}
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        <Icon name="paperclip" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t('attachments.add')}
        data-testid="attach-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
