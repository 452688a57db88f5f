import type { ReactNode } from 'react';
import { FieldMessages, hasError, type FieldMessage } from './FieldMessages';

/** What a field's control is told about its messages: whether it is invalid, and where they are. */
export function fieldAria(id: string, messages: readonly FieldMessage[]): { invalid: boolean; describedBy: string | undefined } {
  return { invalid: hasError(messages), describedBy: messages.length ? `${id}-msg` : undefined };
}

/** One labelled field of the provider form with its messages underneath (see fieldAria for the control). */
export function FormField({ id, label, messages, children }: { id: string; label: string; messages: readonly FieldMessage[]; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      <FieldMessages id={`${id}-msg`} messages={messages} />
    </div>
  );
}
