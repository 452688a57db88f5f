import type { TFunction } from 'i18next';
import type { AppError } from '../../../shared/result';

/** A refused type in the window's language (main names it in English, with a key for this). */
export function withTranslatedType(t: TFunction, error: AppError): AppError {
  const key = error.params?.typeKey;
  if (error.code !== 'ATTACHMENT_UNSUPPORTED' || typeof key !== 'string') return error;
  const type = t(`attachments.types.${key}`, { ext: error.params?.ext ?? '', defaultValue: String(error.params?.type ?? '') });
  return { ...error, params: { ...error.params, type } };
}

