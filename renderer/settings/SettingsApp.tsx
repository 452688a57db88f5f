import { useTranslation } from 'react-i18next';
import { LanguageSelect } from '../components/LanguageSelect';

export function SettingsApp() {
  const { t } = useTranslation();
  return (
    <div className="app settings-app">
      <header className="app-header">
        <h1>{t('actions.openSettings')}</h1>
        <LanguageSelect />
      </header>
    </div>
  );
}
