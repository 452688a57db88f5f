import { FormField } from './FormField';
import { messagesAria, type FieldMessage } from './FieldMessages';

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
        {...messagesAria(`${id}-msg`, messages)}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
    </FormField>
  );
}
