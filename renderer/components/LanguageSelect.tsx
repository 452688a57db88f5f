import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LanguagePreference } from '../../shared/models/preferences';
import { getApi } from '../lib/api';

/** Language switch: follows the OS locale by default; the choice is saved in main and applies to every window. */
export function LanguageSelect() {
  const { t } = useTranslation();
  const [value, setValue] = useState<LanguagePreference>('system');

  useEffect(() => {
    const api = getApi();
    void api.app.getPreferences().then((r) => r.ok && setValue(r.value.language));
    return api.on('app:preferencesChanged', (view) => setValue(view.language));
  }, []);

  return (
    <label className="language-select">
      <span>{t('language.label')}</span>
      <select
        value={value}
        onChange={(e) => void getApi().app.setPreferences({ language: e.target.value as LanguagePreference })}
      >
        <option value="system">{t('language.system')}</option>
        <option value="en">{t('language.en')}</option>
        <option value="zh-TW">{t('language.zh-TW')}</option>
      </select>
    </label>
  );
}
