import { fieldAria, FormField } from './FormField';
import type { FieldMessage } from './FieldMessages';

interface Props {
  id: string;
  label: string;
  value: string;
  messages: readonly FieldMessage[];
  onChange: (value: string) => void;
  onBlur: () => void;
  autoFocus?: boolean;
  /** Identifiers (an assistant ID) are not words: no spell checking. */
  spellCheck?: boolean;
  placeholder?: string;
}

/** A one-line text field of the provider form. */
export function TextField({ id, label, value, messages, onChange, onBlur, autoFocus, spellCheck, placeholder }: Props) {
  const aria = fieldAria(id, messages);
  return (
    <FormField id={id} label={label} messages={messages}>
      <input
        id={id}
        type="text"
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={spellCheck}
        placeholder={placeholder}
        value={value}
        aria-invalid={aria.invalid || undefined}
        aria-describedby={aria.describedBy}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
    </FormField>
  );
}
