import type { AppError, ErrorCode } from '../../shared/result';

/** Errors the user fixes in the provider's settings (key, model, address), so the UI offers to go there. */
const FIXED_IN_SETTINGS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NO_PROVIDER',
  'MISSING_API_KEY',
  'MISSING_ASSISTANT_ID',
  'AUTH_FAILED',
  'PERMISSION_DENIED',
  'MODEL_NOT_FOUND',
  'NOT_FOUND_PATH',
  'NOT_OPENAI_API',
  'ASSISTANT_NOT_FOUND',
]);

export function isFixedInSettings(error: AppError | null | undefined): boolean {
  return !!error && FIXED_IN_SETTINGS.has(error.code);
}
