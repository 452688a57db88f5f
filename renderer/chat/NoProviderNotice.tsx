import { useTranslation } from 'react-i18next';
import { getApi } from '../lib/api';

/** Shown until a provider exists: what is missing, and one click to fix it. */
export function NoProviderNotice() {
  const { t } = useTranslation('chat');
  return (
    <section className="empty-state no-provider" aria-labelledby="no-provider-title">
      <h2 id="no-provider-title">{t('noProvider.title')}</h2>
      <p>{t('noProvider.body')}</p>
      <button type="button" className="primary" onClick={() => void getApi().app.openSettings()}>
        {t('noProvider.action')}
      </button>
    </section>
  );
}
