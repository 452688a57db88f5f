/**
 * i18next with the two languages the UI ships in. Strings live in locales/<lang>/<namespace>.json, one
 * namespace per window or domain; the zh-TW files must have every key the English files have (a unit test
 * checks it).
 */
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/models/preferences';
import enCommon from './locales/en/common.json';
import enErrors from './locales/en/errors.json';
import enSettings from './locales/en/settings.json';
import enChat from './locales/en/chat.json';
import zhCommon from './locales/zh-TW/common.json';
import zhErrors from './locales/zh-TW/errors.json';
import zhSettings from './locales/zh-TW/settings.json';
import zhChat from './locales/zh-TW/chat.json';

export const resources = {
  en: { common: enCommon, errors: enErrors, settings: enSettings, chat: enChat },
  'zh-TW': { common: zhCommon, errors: zhErrors, settings: zhSettings, chat: zhChat },
} as const;

export const NAMESPACES = ['common', 'errors', 'settings', 'chat'] as const;

export async function initI18n(language: Language): Promise<I18n> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    ns: NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function changeLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
