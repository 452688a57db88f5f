import { useTranslation } from 'react-i18next';
import { getApi } from '../lib/api';

export function ChatApp() {
  const { t } = useTranslation();
  return (
    <div className="app chat-app">
      <header className="app-header">
        <h1>{t('appName')}</h1>
        <button type="button" onClick={() => void getApi().app.openSettings()}>
          {t('actions.openSettings')}
        </button>
      </header>
    </div>
  );
}
