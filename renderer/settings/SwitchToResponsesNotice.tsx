import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderView } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { getApi } from '../lib/api';
import { errorHint, errorText } from '../lib/error-text';

/** OpenAI's own Assistants API is gone; an Assistant provider pointed elsewhere (a gateway) may still work. */
export function offersSwitchToResponses(view: ProviderView | null): view is ProviderView {
  if (!view || view.type !== 'openai-assistant') return false;
  try {
    return new URL(view.baseUrl).hostname.toLowerCase() === 'api.openai.com';
  } catch {
    return false;
  }
}

interface Props {
  view: ProviderView;
  /** Unsaved edits would be overwritten by the switch: it waits until they are saved or discarded. */
  dirty: boolean;
  onSwitched: () => void;
}

/**
 * Explains why an OpenAI Assistant provider on api.openai.com stopped working and switches it to OpenAI
 * Responses in place: main saves the same provider id with the new type, so the name, base URL and the key
 * in the keychain stay as they are (the key never comes to this window).
 */
export function SwitchToResponsesNotice({ view, dirty, onSwitched }: Props) {
  const { t } = useTranslation('settings');
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const switchNow = async () => {
    setSwitching(true);
    setError(null);
    const result = await getApi().providers.save({
      id: view.id,
      type: 'openai-responses',
      name: view.name,
      baseUrl: view.baseUrl,
      model: '',
      assistantId: '',
      customHeaders: [],
      conversationState: 'server',
      instructions: '',
      apiKey: { action: 'keep' },
    });
    setSwitching(false);
    if (result.ok) onSwitched();
    else setError(result.error);
  };

  const hint = error ? errorHint(t, error) : undefined;
  return (
    <section className="banner banner-warn switch-notice" aria-labelledby="switch-notice-title">
      <div className="banner-text">
        <h2 id="switch-notice-title">{t('switchToResponses.title')}</h2>
        <p>{t('switchToResponses.body')}</p>
        {dirty ? <p className="banner-detail">{t('switchToResponses.unsavedFirst')}</p> : null}
        {error ? (
          <p className="banner-detail" role="alert">
            {errorText(t, error)}
            {hint ? ` ${hint}` : ''}
          </p>
        ) : null}
      </div>
      <div className="banner-actions">
        <button type="button" className="primary" disabled={dirty || switching} aria-busy={switching} onClick={() => void switchNow()}>
          {switching ? t('switchToResponses.switching') : t('switchToResponses.button')}
        </button>
      </div>
    </section>
  );
}
