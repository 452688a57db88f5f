import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { localizedRouteError } from '../../../../renderer/chat/ReplyRouteLine';
import en from '../../../../renderer/i18n/locales/en/chat.json';
import zhTW from '../../../../renderer/i18n/locales/zh-TW/chat.json';
import type { ReplyRoute } from '../../../../shared/models/conversation';
import type { AppError } from '../../../../shared/result';

const route: ReplyRoute = {
  providerId: 'p',
  providerName: 'Primary',
  model: 'gpt-4o-mini',
  exhausted: true,
  attempts: [
    { providerId: 'p', providerName: 'Primary', model: 'gpt-4o-mini', keyLabel: 'team', keyHint: '…A111', reason: 'rate-limited' },
    { providerId: 'b', providerName: 'Backup', model: '', reason: 'unavailable' },
  ],
};
const error: AppError = { code: 'ALL_ROUTES_FAILED', message: 'No provider could answer. Tried: …', params: { tried: 'English list', count: 2 } };

describe('the "no provider could answer" sentence', () => {
  const i18n = i18next.createInstance();
  beforeAll(async () => {
    await i18n.init({ lng: 'en', ns: ['chat'], resources: { en: { chat: en }, 'zh-TW': { chat: zhTW } }, interpolation: { escapeValue: false } });
  });

  it('lists what was tried in the window’s language, from the reply’s route', async () => {
    const t = i18n.getFixedT('en', 'chat') as TFunction<'chat'>;
    expect(localizedRouteError(error, route, t)?.params?.tried).toBe('Primary · gpt-4o-mini, key team …A111: rate limited; Backup · default model: server unavailable');
    const zh = i18n.getFixedT('zh-TW', 'chat') as TFunction<'chat'>;
    expect(localizedRouteError(error, route, zh)?.params?.tried).toBe('Primary · gpt-4o-mini，金鑰 team …A111：已達速率限制；Backup · 預設模型：伺服器無法使用');
  });

  it('leaves every other error alone', () => {
    const t = i18n.getFixedT('en', 'chat') as TFunction<'chat'>;
    const other: AppError = { code: 'SERVER_ERROR', message: 'x' };
    expect(localizedRouteError(other, route, t)).toBe(other);
    expect(localizedRouteError(error, { ...route, exhausted: false }, t)).toBe(error);
  });
});
