import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The fallback when the async clipboard API is refused (the app's windows deny permission checks, and
 * Electron treats clipboard writes as one): copy through a selection, which needs no permission.
 */
function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  previous?.focus();
  return copied;
}

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
      () => setState(copyWithSelection(text) ? 'copied' : 'failed'),
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
