/**
 * The window's `t` for renderer unit tests: a fresh i18next instance with the real `chat` and `errors`
 * locale files of English and Traditional Chinese, so a test reads the sentence a user would.
 */
import i18next from 'i18next';
import enChat from '../../renderer/i18n/locales/en/chat.json';
import enErrors from '../../renderer/i18n/locales/en/errors.json';
import zhChat from '../../renderer/i18n/locales/zh-TW/chat.json';
import zhErrors from '../../renderer/i18n/locales/zh-TW/errors.json';

export async function translator(lng: 'en' | 'zh-TW') {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    ns: ['chat', 'errors'],
    defaultNS: 'chat',
    resources: { en: { chat: enChat, errors: enErrors }, 'zh-TW': { chat: zhChat, errors: zhErrors } },
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}
