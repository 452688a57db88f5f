import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeSettings, type GenerationSettings } from '../../shared/models/generation-settings';
import { GenerationSettingsDialog } from '../components/GenerationSettingsDialog';

interface Props {
  value: GenerationSettings | undefined;
  onChange: (settings: GenerationSettings) => void;
}

/**
 * A provider's default conversation settings: what a new conversation on it starts from. Edited in the
 * same dialog as a conversation's settings; kept in the form's draft and saved with the provider.
 */
export function ProviderDefaultsField({ value, onChange }: Props) {
  const { t } = useTranslation('settings');
  const [open, setOpen] = useState(false);
  const count = Object.keys(normalizeSettings(value ?? {})).length;
  return (
    <fieldset className="field provider-defaults">
      <legend>{t('defaults.label')}</legend>
      <p className="field-note" id="provider-defaults-summary">
        {count === 0 ? t('defaults.none') : t('defaults.some', { count })}
      </p>
      <button type="button" className="provider-defaults-edit" aria-describedby="provider-defaults-summary" onClick={() => setOpen(true)}>
        {t('defaults.edit')}
      </button>
      {open && (
        <GenerationSettingsDialog
          title={t('defaults.title')}
          initial={value}
          onClose={() => setOpen(false)}
          onSave={async (settings) => {
            onChange(settings);
            setOpen(false);
            return null;
          }}
        />
      )}
    </fieldset>
  );
}
