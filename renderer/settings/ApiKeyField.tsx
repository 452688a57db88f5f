import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKeyChange, KeyLocation, ProviderType } from '../../shared/models/provider';

interface Props {
  id: string;
  type: ProviderType;
  change: ApiKeyChange;
  onChange: (change: ApiKeyChange) => void;
  onBlur?: () => void;
  /** What main says is stored for the saved provider (never the key itself). */
  stored: { hasApiKey: boolean; apiKeyHint: string | null; keyLocation: KeyLocation } | null;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * Write-only key entry: the stored key is never shown or fetched, only that one is stored and its last
 * four characters. Typing replaces it on Save; Remove clears it on Save.
 */
export function ApiKeyField({ id, type, change, onChange, onBlur, stored, describedBy, invalid }: Props) {
  const { t } = useTranslation('settings');
  const [visible, setVisible] = useState(false);
  const statusId = useId();
  const typed = change.action === 'set' ? change.value : '';
  const hasStored = stored?.hasApiKey === true;
  const clearing = change.action === 'clear';

  let status: string;
  if (clearing) status = t('apiKey.willClear');
  else if (hasStored && typed) status = t('apiKey.willReplace');
  else if (hasStored) {
    status =
      stored?.keyLocation === 'session'
        ? t('apiKey.storedSession', { hint: stored.apiKeyHint ?? '' })
        : t('apiKey.stored', { hint: stored?.apiKeyHint ?? '' });
  } else if (type === 'openai-compatible') status = t('apiKey.optional');
  else status = t('apiKey.none');

  return (
    <div className="api-key-field">
      <div className="input-row">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          value={typed}
          disabled={clearing}
          placeholder={hasStored ? t('apiKey.replacePlaceholder') : t('apiKey.placeholder')}
          aria-describedby={[statusId, describedBy].filter(Boolean).join(' ')}
          aria-invalid={invalid || undefined}
          onChange={(e) => onChange(e.target.value === '' ? { action: 'keep' } : { action: 'set', value: e.target.value })}
          onBlur={onBlur}
        />
        <button type="button" aria-pressed={visible} disabled={clearing || !typed} onClick={() => setVisible((v) => !v)}>
          {t('apiKey.show')}
        </button>
      </div>
      <p className="field-note key-status">
        <span id={statusId}>{status}</span>
        {clearing ? (
          <button type="button" className="link-button" onClick={() => onChange({ action: 'keep' })}>
            {t('apiKey.undoClear')}
          </button>
        ) : hasStored ? (
          <button type="button" className="link-button" onClick={() => onChange({ action: 'clear' })}>
            {t('apiKey.clear')}
          </button>
        ) : null}
      </p>
    </div>
  );
}
