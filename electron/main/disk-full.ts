/**
 * A full disk (ENOSPC, or a quota: EDQUOT) on any write path becomes one AppError the user can act on,
 * instead of the generic "something went wrong". Whatever the user typed is still in the window (the
 * composer keeps its text when a send fails; Settings keeps the form), so the sentence can say so.
 */
import { AppFailure, type AppError } from '../../shared/result';

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** True when `error`, or any error in its cause chain, is the file system saying it has no room. */
export function isDiskFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
    if (current instanceof AppFailure) return current.appError.code === 'DISK_FULL';
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function diskFullError(): AppError {
  return {
    code: 'DISK_FULL',
    message: 'The disk is full: free some space, then retry. Nothing you typed is lost.',
    retryable: true,
  };
}
