import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomHeader } from '../../shared/models/provider';
import { isSecretHeaderName } from '../../shared/validation/provider-validation';
import { FieldMessages, messagesAria, type FieldMessage } from './FieldMessages';

interface Props {
  headers: CustomHeader[];
  /** The saved rows: a secret header's value comes back masked and is kept as long as it is not edited. */
  savedHeaders: readonly CustomHeader[];
  onChange: (headers: CustomHeader[]) => void;
  messagesFor: (row: number, part: 'name' | 'value') => FieldMessage[];
  onBlurRow?: (row: number, part: 'name' | 'value') => void;
}

/** Extra headers sent with every request (e.g. `HTTP-Referer`, Azure's `api-key`), as name/value rows. */
export function CustomHeadersEditor({ headers, savedHeaders, onChange, messagesFor, onBlurRow }: Props) {
  const { t } = useTranslation('settings');
  const baseId = useId();
  const listRef = useRef<HTMLDivElement>(null);

  const update = (row: number, patch: Partial<CustomHeader>) =>
    onChange(headers.map((h, i) => (i === row ? { ...h, ...patch } : h)));

  const focusRow = (row: number) => {
    // After React renders the new rows: focus the name of the row, or the Add button when none is left.
    requestAnimationFrame(() => {
      const inputs = listRef.current?.querySelectorAll<HTMLInputElement>('input[data-part="name"]');
      const target = inputs?.[Math.min(row, (inputs?.length ?? 1) - 1)];
      if (target) target.focus();
      else listRef.current?.parentElement?.querySelector<HTMLButtonElement>('button[data-add-header]')?.focus();
    });
  };

  return (
    <fieldset className="headers-editor" aria-describedby={`${baseId}-help`}>
      <legend>{t('fields.customHeaders')}</legend>
      <p id={`${baseId}-help`} className="field-note">
        {t('headers.help')}
      </p>
      <div ref={listRef} className="header-rows">
        {headers.map((header, row) => {
          const nameMessages = messagesFor(row, 'name');
          const valueMessages = messagesFor(row, 'value');
          const nameMsgId = `${baseId}-${row}-name-msg`;
          const valueMsgId = `${baseId}-${row}-value-msg`;
          const saved = savedHeaders[row];
          const secret = isSecretHeaderName(header.name);
          // The masked value main returned is shown as-is (it reads "…a1b2"); anything typed is hidden.
          const showsSavedMask = secret && saved !== undefined && saved.name === header.name && saved.value === header.value;
          return (
            <div key={row} className="header-row">
              <div className="header-cell">
                <input
                  type="text"
                  data-part="name"
                  aria-label={t('headers.name', { row: row + 1 })}
                  placeholder={t('headers.namePlaceholder')}
                  autoComplete="off"
                  spellCheck={false}
                  value={header.name}
                  {...messagesAria(nameMsgId, nameMessages)}
                  onChange={(e) => update(row, { name: e.target.value })}
                  onBlur={() => onBlurRow?.(row, 'name')}
                />
                <FieldMessages id={nameMsgId} messages={nameMessages} />
              </div>
              <div className="header-cell">
                <input
                  type={secret && !showsSavedMask ? 'password' : 'text'}
                  aria-label={t('headers.value', { row: row + 1 })}
                  placeholder={t('headers.valuePlaceholder')}
                  autoComplete="off"
                  spellCheck={false}
                  value={header.value}
                  {...messagesAria(valueMsgId, valueMessages)}
                  onFocus={(e) => {
                    // A masked value cannot be edited in part: select it so typing replaces it.
                    if (showsSavedMask) e.currentTarget.select();
                  }}
                  onChange={(e) => update(row, { value: e.target.value })}
                  onBlur={() => onBlurRow?.(row, 'value')}
                />
                <FieldMessages id={valueMsgId} messages={valueMessages} />
              </div>
              <button
                type="button"
                className="icon-button"
                aria-label={t('headers.remove', { row: row + 1 })}
                title={t('headers.remove', { row: row + 1 })}
                onClick={() => {
                  onChange(headers.filter((_, i) => i !== row));
                  focusRow(row);
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
            </div>
          );
        })}
      </div>
      <button
        type="button"
        data-add-header
        onClick={() => {
          onChange([...headers, { name: '', value: '' }]);
          focusRow(headers.length);
        }}
      >
        {t('headers.add')}
      </button>
    </fieldset>
  );
}
