/**
 * What to do when a window's page fails to load or its renderer process dies. Windows are created with
 * `show: false` and shown on `ready-to-show`, which never comes for a page that failed: without this the
 * window stayed hidden and the app looked dead. The shell shows the window, logs the failure and offers
 * Reload in a native dialog (the page itself cannot show anything).
 *
 * The values are Electron's (docs/api/web-contents.md): `did-fail-load` (errorCode, errorDescription,
 * validatedURL, isMainFrame) with Chromium's net error codes (ERR_ABORTED is -3, e.g. a load replaced by
 * another), and `render-process-gone` details.reason: clean-exit, abnormal-exit, killed, crashed, oom,
 * launch-failed, integrity-failure, memory-eviction.
 */
import type { ShellText } from './shell-text';

export const ERR_ABORTED = -3;

export type WindowFailure =
  | { type: 'load'; errorCode: number; errorDescription: string; url: string; isMainFrame: boolean }
  | { type: 'gone'; reason: string; exitCode: number };

export interface FailureReport {
  /** For the log (never shown to the window). */
  log: string;
  /** The dialog's message. */
  message: string;
}

/**
 * null when nothing is wrong for the user: a subframe's failure, an aborted load (a newer load replaced it),
 * or a renderer that exited cleanly because the app is quitting.
 */
export function describeWindowFailure(
  failure: WindowFailure,
  window: 'chat' | 'settings',
  text: ShellText,
  quitting = false,
): FailureReport | null {
  const name = text.windowName[window];
  if (failure.type === 'load') {
    if (!failure.isMainFrame || failure.errorCode === ERR_ABORTED) return null;
    const reason = `${failure.errorDescription || 'error'} ${failure.errorCode}`;
    return {
      log: `${window} window failed to load ${failure.url}: ${reason}`,
      message: text.loadFailed(name, reason),
    };
  }
  if (quitting || failure.reason === 'clean-exit') return null;
  return {
    log: `${window} window renderer gone: ${failure.reason} (exit code ${failure.exitCode})`,
    message: text.crashed(name, failure.reason),
  };
}
