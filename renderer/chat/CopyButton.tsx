import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  text: string;
  /** Accessible name, e.g. "Copy code (python)". */
  label: string;
  className?: string;
}

/** Copies text to the clipboard and says so for a moment (visibly and to screen readers). */
export function CopyButton({ text, label, className }: Props) {
  const { t } = useTranslation('chat');
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1800);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };

  return (
    <button type="button" className={className ?? 'ghost small'} aria-label={label} title={label} onClick={copy}>
      <span aria-live="polite">
        {state === 'copied' ? t('copy.done') : state === 'failed' ? t('copy.failed') : t('copy.action')}
      </span>
    </button>
  );
}
