import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeychainStatus } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { getApi } from '../lib/api';
import { errorText } from '../lib/error-text';
import { providersStore } from '../stores/providers-store';

/**
 * Shown while the OS keychain cannot store keys: what is wrong, how to fix it, and the explicit choice to
 * keep keys in memory for this session only. There is no silent fallback, so this choice is the user's.
 */
export function KeychainBanner({ keychain }: { keychain: KeychainStatus }) {
  const { t } = useTranslation('settings');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  if (keychain.state === 'available') return null;

  const run = async (action: () => Promise<{ ok: true } | { ok: false; error: AppError }>) => {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  const setSessionOnly = (enabled: boolean) => run(() => providersStore.getState().setSessionOnlyKeys(enabled));

  const checkAgain = () =>
    run(async () => {
      const result = await getApi().providers.keychainStatus();
      // The list carries the status too; reloading it refreshes both and the keys' locations.
      if (result.ok) await providersStore.getState().load();
      return result;
    });

  return (
    <section className="banner banner-warn keychain-banner" role="alert" aria-labelledby="keychain-banner-title">
      <div className="banner-text">
        <h2 id="keychain-banner-title">{t(`keychain.title.${keychain.state}`)}</h2>
        <p>{t(`keychain.fix.${keychain.state}`, { defaultValue: keychain.message ?? '' })}</p>
        {keychain.detail ? <p className="banner-detail">{t('keychain.detail', { detail: keychain.detail })}</p> : null}
        {keychain.sessionOnly ? (
          <p>
            <strong>{t('keychain.sessionOnlyOn')}</strong>
          </p>
        ) : (
          <p>{t('keychain.sessionOnlyExplain')}</p>
        )}
        {error ? <p className="field-error">{errorText(t, error)}</p> : null}
      </div>
      <div className="banner-actions">
        {keychain.sessionOnly ? (
          <button type="button" disabled={busy} onClick={() => void setSessionOnly(false)}>
            {t('keychain.sessionOnlyOff')}
          </button>
        ) : (
          <button type="button" className="primary" disabled={busy} onClick={() => void setSessionOnly(true)}>
            {t('keychain.keepForSession')}
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => void checkAgain()}>
          {t('keychain.checkAgain')}
        </button>
      </div>
    </section>
  );
}
