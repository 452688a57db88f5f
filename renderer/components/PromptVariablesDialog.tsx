import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fillVariables } from '../../shared/prompts/prompt-variables';
import { ConfirmDialog } from './ConfirmDialog';

interface Props {
  promptName: string;
  text: string;
  variables: string[];
  /** The prompt's text with each `{{variable}}` replaced by what the user typed. */
  onConfirm: (filled: string) => void;
  onCancel: () => void;
}

/** Asks for each `{{variable}}` of a saved prompt (all empty at first). Enter confirms; Esc cancels. */
export function PromptVariablesDialog({ promptName, text, variables, onConfirm, onCancel }: Props) {
  const { t } = useTranslation('chat');
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(variables.map((v) => [v, ''])));
  const base = useId();
  const confirm = () => onConfirm(fillVariables(text, values));
  return (
    <ConfirmDialog
      title={t('prompts.variables.title', { name: promptName })}
      onCancel={onCancel}
      actions={[
        { label: t('prompts.cancel'), onClick: onCancel },
        { label: t('prompts.variables.use'), onClick: confirm, variant: 'primary' },
      ]}
    >
      <form
        className="prompt-variables"
        onSubmit={(event) => {
          event.preventDefault();
          confirm();
        }}
      >
        <p className="settings-panel-note">{t('prompts.variables.note')}</p>
        {variables.map((name, i) => (
          <div key={name} className="settings-panel-field">
            <label htmlFor={`${base}-${i}`}>{name}</label>
            <input
              id={`${base}-${i}`}
              type="text"
              autoFocus={i === 0}
              value={values[name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
            />
          </div>
        ))}
        {/* Enter in any field submits the form. */}
        <button type="submit" hidden />
      </form>
    </ConfirmDialog>
  );
}
