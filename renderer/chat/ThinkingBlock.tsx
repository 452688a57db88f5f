import { useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  text: string;
  /** The model is still thinking (reasoning streams, no answer yet). */
  active: boolean;
}

/** The model's reasoning, collapsed by default and apart from the answer. */
export function ThinkingBlock({ text, active }: Props) {
  const { t } = useTranslation('chat');
  const [open, setOpen] = useState(false);
  return (
    <details className="thinking" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{active ? t('thinking.active') : t('thinking.label')}</summary>
      {/* Rendered only when open: long reasoning would otherwise cost layout on every streamed update. */}
      {open && <div className="thinking-text">{text}</div>}
    </details>
  );
}
