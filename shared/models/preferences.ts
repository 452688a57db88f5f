export const SUPPORTED_LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export type LanguagePreference = Language | 'system';

export interface Preferences {
  language: LanguagePreference;
}

export interface PreferencesView extends Preferences {
  /** The language actually in use (the OS locale when `language` is `system`). */
  resolvedLanguage: Language;
}

/** Maps an OS locale (`zh-TW`, `zh-Hant-HK`, `en-GB`, …) to a language the UI ships in. */
export function resolveLanguage(pref: LanguagePreference, systemLocale: string): Language {
  if (pref !== 'system') return pref;
  const locale = systemLocale.toLowerCase();
  if (locale.startsWith('zh') && (locale.includes('hant') || /-(tw|hk|mo)\b/.test(locale))) return 'zh-TW';
  return 'en';
}

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  systemLocale: string;
  /** `electron` in the app; `browser` in the browser host used for end-to-end tests. */
  runtime: 'electron' | 'browser';
}

/** Something the user must be told once at start-up (e.g. a corrupted config was moved aside). */
export interface AppNotice {
  id: string;
  code: 'CONFIG_CORRUPT_MOVED' | 'CONVERSATION_CORRUPT_MOVED' | 'PROMPTS_CORRUPT_MOVED' | 'SANDBOX_OFF';
  message: string;
  params: Record<string, string>;
}
