import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { REASONING_EFFORTS, type GenerationSettings } from '../../shared/models/generation-settings';
import type { AppError } from '../../shared/result';
import { errorText } from '../lib/error-text';
import { ConfirmDialog } from './ConfirmDialog';
import './generation-settings.css';
import { usePrompts } from '../stores/prompts-store';
import { useSavedPrompt } from './use-saved-prompt';
import { draftOf, readDraft, type DraftField, type FieldProblem, type SettingsDraft } from './generation-settings-form';

interface Props {
  title: string;
  initial: GenerationSettings | undefined;
  /** Keeps the settings; resolves to the error to show, or null when done (the caller then closes the dialog). */
  onSave: (settings: GenerationSettings) => Promise<AppError | null>;
  onClose: () => void;
  /** More fields of the same dialog, after the parameters (a conversation's fallbacks). */
  children?: ReactNode;
}

type NumberField = Exclude<DraftField, 'systemPrompt' | 'stop' | 'reasoningEffort'>;
const NUMBER_FIELDS: NumberField[] = ['temperature', 'topP', 'maxOutputTokens', 'presencePenalty', 'frequencyPenalty', 'seed', 'historyLimit'];

/**
 * A system prompt and generation parameters in a modal dialog (Esc cancels; focus stays inside): a
 * conversation's settings in the Chat window, a provider's defaults in Settings.
 */
export function GenerationSettingsDialog({ title, initial, onSave, onClose, children }: Props) {
  const { t } = useTranslation('chat');
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(initial));
  const [problems, setProblems] = useState<Partial<Record<DraftField, FieldProblem>>>({});
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const base = useId();
  const idOf = (field: DraftField) => `${base}-${field}`;

  const set = (field: DraftField, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    if (problems[field]) setProblems((p) => ({ ...p, [field]: undefined }));
  };

  const prompts = usePrompts((s) => s.prompts);
  const savedPrompt = useSavedPrompt((text) => {
    set('systemPrompt', text);
    document.getElementById(idOf('systemPrompt'))?.focus();
  });

  const save = async () => {
    const read = readDraft(draft);
    const found = Object.fromEntries(Object.entries(read.problems).filter(([, p]) => p !== undefined));
    setProblems(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0] as DraftField;
      document.getElementById(idOf(first))?.focus();
      return;
    }
    setSaving(true);
    const error = await onSave(read.settings);
    setSaving(false);
    setSaveError(error);
  };

  const problemText = (field: DraftField) => {
    const problem = problems[field];
    return problem ? t(`settingsPanel.errors.${problem.key}`, problem.values ?? {}) : null;
  };

  const message = (field: DraftField) => {
    const text = problemText(field);
    return text ? (
      <p id={`${idOf(field)}-error`} className="field-error" role="alert">
        {text}
      </p>
    ) : null;
  };

  const invalid = (field: DraftField) =>
    problems[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${idOf(field)}-error` } : {};

  return (
    <ConfirmDialog
      title={title}
      onCancel={onClose}
      actions={[
        { label: t('settingsPanel.cancel'), onClick: onClose },
        { label: t('settingsPanel.save'), onClick: () => void save(), variant: 'primary', disabled: saving },
      ]}
    >
      <form
        className="conversation-settings"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <p className="settings-panel-note">{t('settingsPanel.emptyNote')}</p>
        {prompts.length > 0 && (
          <div className="settings-panel-field saved-prompt-picker">
            <label htmlFor={`${base}-saved-prompt`}>{t('prompts.useSaved')}</label>
            <select
              id={`${base}-saved-prompt`}
              value=""
              onChange={(e) => {
                const prompt = prompts.find((p) => p.id === e.target.value);
                if (prompt) savedPrompt.use(prompt);
              }}
            >
              <option value="">{t('prompts.choose')}</option>
              {prompts.map((prompt) => (
                <option key={prompt.id} value={prompt.id}>
                  {prompt.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <label htmlFor={idOf('systemPrompt')}>{t('settingsPanel.systemPrompt')}</label>
        <textarea
          id={idOf('systemPrompt')}
          rows={4}
          value={draft.systemPrompt}
          autoFocus
          onChange={(e) => set('systemPrompt', e.target.value)}
        />
        <div className="settings-panel-grid">
          {NUMBER_FIELDS.map((field) => (
            <div key={field} className="settings-panel-field">
              <label htmlFor={idOf(field)}>{t(`settingsPanel.fields.${field}`)}</label>
              <input
                id={idOf(field)}
                type="text"
                inputMode="decimal"
                value={draft[field]}
                placeholder={field === 'historyLimit' ? t('settingsPanel.allMessages') : t('settingsPanel.serverDefault')}
                onChange={(e) => set(field, e.target.value)}
                {...invalid(field)}
              />
              {message(field)}
            </div>
          ))}
          <div className="settings-panel-field">
            <label htmlFor={idOf('reasoningEffort')}>{t('settingsPanel.fields.reasoningEffort')}</label>
            <select id={idOf('reasoningEffort')} value={draft.reasoningEffort} onChange={(e) => set('reasoningEffort', e.target.value)}>
              <option value="">{t('settingsPanel.serverDefault')}</option>
              {REASONING_EFFORTS.map((effort) => (
                <option key={effort} value={effort}>
                  {t(`settingsPanel.efforts.${effort}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <label htmlFor={idOf('stop')}>{t('settingsPanel.fields.stop')}</label>
        <textarea id={idOf('stop')} rows={2} value={draft.stop} onChange={(e) => set('stop', e.target.value)} {...invalid('stop')} />
        {message('stop')}
        {children}
        {saveError && (
          <p className="field-error" role="alert">
            {errorText(t, saveError)}
          </p>
        )}
      </form>
      {savedPrompt.dialog}
    </ConfirmDialog>
  );
}
