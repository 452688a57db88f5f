import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  initialText: string;
  onSubmit: (text: string) => Promise<boolean>;
  onCancel: () => void;
  /** The message keeps attachments, so it may be sent with no text. */
  allowEmpty?: boolean;
}

/** Edits the last user message in place; sending drops the reply after it and asks again. */
export function MessageEditor({ initialText, onSubmit, onCancel, allowEmpty = false }: Props) {
  const { t } = useTranslation('chat');
  const [text, setText] = useState(initialText);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    if ((!text.trim() && !allowEmpty) || sending) return;
    setSending(true);
    const ok = await onSubmit(text);
    // On failure the editor stays open with the text; the composer area shows why.
    if (!ok) setSending(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') {
      // Esc here cancels the edit; it must not also stop a reply.
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <form
      className="message-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        aria-label={t('edit.label')}
        value={text}
        // Focus moves into the editor the user just opened, as a keyboard user expects.
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="message-editor-actions">
        <button type="button" onClick={onCancel}>
          {t('edit.cancel')}
        </button>
        <button type="submit" className="primary" disabled={(!text.trim() && !allowEmpty) || sending}>
          {t('edit.send')}
        </button>
      </div>
    </form>
  );
}
