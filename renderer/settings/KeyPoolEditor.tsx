import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKeyDraft, KeyHealth, KeyStrategy, ProviderDraft, ProviderView } from '../../shared/models/provider';
import { KEY_STRATEGIES } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { errorText } from '../lib/error-text';
import { FieldMessages, messagesAria, type FieldMessage } from './FieldMessages';
import { keyRows, moveItem } from './key-pool-state';

interface Props {
  draft: ProviderDraft;
  view: ProviderView | null;
  onChange: (keys: ApiKeyDraft[]) => void;
  onStrategyChange: (strategy: KeyStrategy) => void;
  messagesFor: (field: string) => FieldMessage[];
}

/** How a key fared lately, in one line: fine, cooling until a time, or rejected until replaced. */
export function KeyHealthLine({ health }: { health: KeyHealth }) {
  const { t } = useTranslation('settings');
  const time = (iso: string) => new Date(iso).toLocaleTimeString();
  const error = health.lastErrorCode
    ? errorText(t, { code: health.lastErrorCode as AppError['code'], message: health.lastError ?? '', ...(health.lastErrorParams ? { params: health.lastErrorParams } : {}) })
    : (health.lastError ?? '');
  let text: string;
  if (health.state === 'invalid') text = t('keys.health.invalid', { error });
  else if (health.state === 'cooling') text = t('keys.health.cooling', { until: time(health.coolingUntil ?? '') });
  else if (health.lastUsedAt) text = t('keys.health.usedAt', { time: time(health.lastUsedAt) });
  else text = t('keys.health.unused');
  // A key that works may still have failed lately (its server was down): say so after the state.
  if (health.state === 'ok' && error) text = `${text} ${t('keys.health.lastError', { error })}`;
  return <p className={`field-note key-health key-health-${health.state}`}>{text}</p>;
}

/**
 * The key pool: every key masked (`…abcd`) with its label and health, in the order they are tried. Keys
 * can be added, replaced (type a new value), moved up or down and removed; nothing stored is ever read back.
 */
export function KeyPoolEditor({ draft, view, onChange, onStrategyChange, messagesFor }: Props) {
  const { t } = useTranslation('settings');
  const baseId = useId();
  const rows = keyRows(draft, view);
  const keys = rows.map((r) => r.draft);
  const update = (row: number, patch: Partial<ApiKeyDraft>) => onChange(keys.map((k, i) => (i === row ? { ...k, ...patch } : k)));
  const listMessages = messagesFor('keys');

  return (
    <fieldset className="key-pool-editor" aria-describedby={`${baseId}-help`}>
      <legend>{t('keys.legend')}</legend>
      <p id={`${baseId}-help`} className="field-note">
        {t('keys.help')}
      </p>
      <ol className="key-rows">
        {rows.map(({ draft: key, stored }, row) => {
          const messages = messagesFor(`keys.${row}`);
          const msgId = `${baseId}-${row}-msg`;
          const replacing = key.value !== undefined;
          return (
            <li key={key.id ?? `new-${row}`} className="key-row">
              <div className="key-row-fields">
                <input
                  type="text"
                  className="key-label"
                  aria-label={t('keys.label', { row: row + 1 })}
                  placeholder={t('keys.labelPlaceholder')}
                  maxLength={100}
                  value={key.label}
                  onChange={(e) => update(row, { label: e.target.value })}
                />
                {stored && !replacing ? (
                  <span className="key-hint" aria-label={t('keys.storedAria', { row: row + 1, hint: stored.hint ?? '' })}>
                    {stored.hint ?? t('keys.unreadable')}
                  </span>
                ) : (
                  <input
                    type="password"
                    className="key-value"
                    autoComplete="off"
                    spellCheck={false}
                    aria-label={t('keys.value', { row: row + 1 })}
                    placeholder={stored ? t('keys.replacePlaceholder') : t('apiKey.placeholder')}
                    value={key.value ?? ''}
                    {...messagesAria(msgId, messages)}
                    onChange={(e) => update(row, { value: e.target.value })}
                  />
                )}
                {stored ? (
                  <button type="button" onClick={() => update(row, replacing ? { value: undefined } : { value: '' })}>
                    {replacing ? t('keys.keep') : t('keys.replace')}
                  </button>
                ) : null}
                <button type="button" className="icon-button" disabled={row === 0} aria-label={t('keys.up', { row: row + 1 })} title={t('keys.up', { row: row + 1 })} onClick={() => onChange(moveItem(keys, row, row - 1))}>
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  className="icon-button"
                  disabled={row === rows.length - 1}
                  aria-label={t('keys.down', { row: row + 1 })}
                  title={t('keys.down', { row: row + 1 })}
                  onClick={() => onChange(moveItem(keys, row, row + 1))}
                >
                  <span aria-hidden="true">↓</span>
                </button>
                <button type="button" className="icon-button" aria-label={t('keys.remove', { row: row + 1 })} title={t('keys.remove', { row: row + 1 })} onClick={() => onChange(keys.filter((_, i) => i !== row))}>
                  <span aria-hidden="true">×</span>
                </button>
              </div>
              {stored ? <KeyHealthLine health={stored.health} /> : null}
              <FieldMessages id={msgId} messages={messages} />
            </li>
          );
        })}
      </ol>
      <FieldMessages id={`${baseId}-list-msg`} messages={listMessages} />
      <div className="input-row">
        <button type="button" onClick={() => onChange([...keys, { label: '', value: '' }])}>
          {t('keys.add')}
        </button>
        <label className="inline-label">
          {t('keys.strategy')}{' '}
          <select value={draft.keyStrategy ?? 'order'} onChange={(e) => onStrategyChange(e.target.value as KeyStrategy)}>
            {KEY_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {t(`keys.strategies.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </fieldset>
  );
}
