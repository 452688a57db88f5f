import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogAction {
  label: string;
  onClick: () => void;
  variant?: 'primary' | 'danger';
  /** The button that has focus when the dialog opens (the safe choice, by convention). */
  initialFocus?: boolean;
  disabled?: boolean;
}

interface Props {
  title: string;
  children?: ReactNode;
  actions: DialogAction[];
  /** Esc, or the dialog closing any other way than through an action. */
  onCancel: () => void;
}

/**
 * An in-app modal dialog on the native <dialog>: the browser makes the rest of the page inert and keeps
 * focus inside. Mount it to open it; unmount it to close it. Focus goes back to what had it before, so a
 * keyboard user continues where they were.
 */
export function ConfirmDialog({ title, children, actions, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const onCancelRef = useRef(onCancel);
  useEffect(() => {
    onCancelRef.current = onCancel;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const preferred = dialog.querySelector<HTMLButtonElement>('button[data-initial-focus="true"]');
    preferred?.focus();
    const handleCancel = (event: Event) => {
      // Keep React in charge of unmounting; the browser would otherwise close the dialog behind its back.
      event.preventDefault();
      onCancelRef.current();
    };
    dialog.addEventListener('cancel', handleCancel);
    return () => {
      dialog.removeEventListener('cancel', handleCancel);
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="confirm-dialog" aria-labelledby={titleId} aria-describedby={children ? bodyId : undefined}>
      <h2 id={titleId}>{title}</h2>
      {children ? (
        <div id={bodyId} className="confirm-dialog-body">
          {children}
        </div>
      ) : null}
      <div className="confirm-dialog-actions">
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            className={action.variant}
            data-initial-focus={action.initialFocus ? 'true' : undefined}
            disabled={action.disabled}
            onClick={action.onClick}
          >
            {action.label}
          </button>
        ))}
      </div>
    </dialog>
  );
}
