import type { TFunction } from 'i18next';
import type { AppError } from '../../shared/result';

/** One translated sentence for an AppError: by its code when the UI knows it, else main's English text. */
export function errorText(t: TFunction, error: AppError): string {
  return t(`errors:${error.code}`, { ...error.params, defaultValue: error.message });
}

/** The translated hint, if the error has one. */
export function errorHint(t: TFunction, error: AppError): string | undefined {
  if (!error.hint) return undefined;
  return t(`errors:hints.${error.code}`, { ...error.params, defaultValue: error.hint });
}
