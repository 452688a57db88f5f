/**
 * The typed window API, the renderer's only way to reach main. In Electron the preload defines it; in the
 * browser host a WebSocket bridge defines the same object before our scripts run.
 */
import { WINDOW_API_GLOBAL } from '../../shared/ipc/channels';
import type { SwitchboardApi } from '../../shared/ipc/window-api';
import type { AppError, Result } from '../../shared/result';

export function getApi(): SwitchboardApi {
  const api = (window as unknown as Record<string, SwitchboardApi | undefined>)[WINDOW_API_GLOBAL];
  if (!api) throw new Error('Switchboard window API is missing: this page must run inside Switchboard.');
  return api;
}

/** Thrown by `unwrap` so a component can catch an AppError from a failed call. */
export class ApiError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'ApiError';
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/**
 * Runs a window-API call and turns a rejected promise (the transport failed, e.g. the browser host went away)
 * into an INTERNAL AppError, so stores handle every failure as a Result.
 */
export async function callApi<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), retryable: true },
    };
  }
}
