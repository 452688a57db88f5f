import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_ASSISTANT_RUN_TIMEOUT_MS } from '../../shared/models/provider';
import { RUN_TIMEOUT_MINUTES } from '../../shared/validation/provider-validation';
import { FieldMessages, hasError, type FieldMessage } from './FieldMessages';
import { minutesToRunTimeoutMs, runTimeoutMinutesText } from './provider-form-state';

interface Props {
  id: string;
  /** The draft's value in ms: undefined means the default, NaN what the user typed is not a number. */
  valueMs: number | undefined;
  onChange: (valueMs: number) => void;
  onBlur: () => void;
  messages: readonly FieldMessage[];
}

/**
 * The Assistant run timeout, edited in minutes. The text is kept as typed ("1.", "") so editing is never
 * fought; the draft gets the parsed value (NaN while it is not a number, which validation reports).
 */
export function RunTimeoutField({ id, valueMs, onChange, onBlur, messages }: Props) {
  const { t } = useTranslation('settings');
  const shownMs = valueMs ?? DEFAULT_ASSISTANT_RUN_TIMEOUT_MS;
  const [text, setText] = useState(() => runTimeoutMinutesText(shownMs));
  const [lastMs, setLastMs] = useState(shownMs);
  // The draft changed from elsewhere (discarded edits, a save in another window): show its value.
  if (!Object.is(lastMs, shownMs)) {
    setLastMs(shownMs);
    setText(runTimeoutMinutesText(shownMs));
  }
  const helpId = `${id}-help`;
  const messagesId = `${id}-msg`;
  return (
    <div className="field">
      <label htmlFor={id}>{t('fields.runTimeout')}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={RUN_TIMEOUT_MINUTES.min}
        max={RUN_TIMEOUT_MINUTES.max}
        step={1}
        value={text}
        aria-invalid={hasError(messages) || undefined}
        aria-describedby={messages.length ? `${helpId} ${messagesId}` : helpId}
        onChange={(e) => {
          const ms = minutesToRunTimeoutMs(e.target.value);
          setText(e.target.value);
          setLastMs(ms);
          onChange(ms);
        }}
        onBlur={onBlur}
      />
      <p id={helpId} className="field-note">
        {t('runTimeout.help', {
          min: RUN_TIMEOUT_MINUTES.min,
          max: RUN_TIMEOUT_MINUTES.max,
          default: DEFAULT_ASSISTANT_RUN_TIMEOUT_MS / 60_000,
        })}
      </p>
      <FieldMessages id={messagesId} messages={messages} />
    </div>
  );
}
