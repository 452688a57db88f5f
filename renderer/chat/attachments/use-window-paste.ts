import { useEffect, useRef } from 'react';
import { filesToAttach } from './pasted-files';

/** Whether a paste aimed at `target` belongs to it: a text field, or anything inside an open dialog. */
export function pasteBelongsTo(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"]')) return true;
  return false;
}

/**
 * A screenshot or copied file pasted while the focus is elsewhere in the Chat window (on a message, the
 * list, a button) attaches to the message being written, as it does in the message box. A paste into
 * another text field or a dialog is left to it, and one the message box handled is not taken twice.
 */
export function useWindowPaste(onFiles: (files: File[]) => void): void {
  const latest = useRef(onFiles);
  useEffect(() => {
    latest.current = onFiles;
  });
  useEffect(() => {
    const paste = (e: ClipboardEvent) => {
      if (e.defaultPrevented || !e.clipboardData || pasteBelongsTo(e.target)) return;
      const files = filesToAttach([...e.clipboardData.files], e.clipboardData.getData('text/plain'));
      if (files.length === 0) return;
      e.preventDefault();
      latest.current(files);
    };
    window.addEventListener('paste', paste);
    return () => window.removeEventListener('paste', paste);
  }, []);
}
