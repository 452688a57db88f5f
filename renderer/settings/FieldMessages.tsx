/** A message shown under a form field; only errors block Save. */
export interface FieldMessage {
  severity: 'error' | 'warning' | 'hint';
  text: string;
}

/** The messages under one field; `id` is what the field's aria-describedby points at. */
export function FieldMessages({ id, messages }: { id: string; messages: readonly FieldMessage[] }) {
  if (messages.length === 0) return null;
  return (
    <ul id={id} className="field-messages">
      {messages.map((m) => (
        <li key={`${m.severity}:${m.text}`} className={`field-${m.severity}`}>
          {m.text}
        </li>
      ))}
    </ul>
  );
}

export function hasError(messages: readonly FieldMessage[]): boolean {
  return messages.some((m) => m.severity === 'error');
}

/** The attributes that tie a control to its messages (`msgId`: the id of their FieldMessages list). */
export function messagesAria(msgId: string, messages: readonly FieldMessage[]): { 'aria-invalid': true | undefined; 'aria-describedby': string | undefined } {
  return { 'aria-invalid': hasError(messages) || undefined, 'aria-describedby': messages.length ? msgId : undefined };
}
