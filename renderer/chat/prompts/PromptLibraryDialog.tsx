import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROMPT_NAME_MAX, PROMPT_TEXT_MAX, promptMatches, type Prompt } from '../../../shared/models/prompts';
import { parseVariables } from '../../../shared/prompts/prompt-variables';
import type { AppError } from '../../../shared/result';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { callApi, getApi } from '../../lib/api';
import { errorText } from '../../lib/error-text';
import { usePrompts } from '../../stores/prompts-store';
import { downloadExport } from '../archive/file-transfer';
import { FileImportButton } from '../../components/FileImportButton';

interface Props {
  onClose: () => void;
}

type Editing = { id?: string; name: string; text: string } | null;

/**
 * The prompt library: search by name and text, create, edit, duplicate, delete (confirmed), import and
 * export JSON. Every change goes to main, which broadcasts the new list to every window.
 */
export function PromptLibraryDialog({ onClose }: Props) {
  const { t } = useTranslation('chat');
  const prompts = usePrompts((s) => s.prompts);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Prompt | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const shown = prompts.filter((p) => promptMatches(p, query));

  const run = async <T,>(call: () => ReturnType<typeof callApi<T>>, done?: (value: T) => void) => {
    setError(null);
    setNote(null);
    const result = await call();
    if (result.ok) done?.(result.value);
    else setError(result.error);
    return result.ok;
  };

  const importFile = async (file: File) => {
    const data = await file.text();
    await run(
      () => callApi(() => getApi().prompts.import({ fileName: file.name, data })),
      (summary) => setNote(t('prompts.imported', { count: summary.imported, skipped: summary.skipped })),
    );
  };

  const exportAll = () =>
    run(
      () => callApi(() => getApi().prompts.export()),
      (outcome) => {
        if (outcome.delivery === 'download') downloadExport(outcome);
        if (outcome.delivery !== 'cancelled') setNote(t('prompts.exported', { count: prompts.length }));
      },
    );

  if (editing) {
    return (
      <PromptEditor
        initial={editing}
        onCancel={() => setEditing(null)}
        onSave={async (draft) => {
          const result = await callApi(() => getApi().prompts.save(draft));
          if (!result.ok) return result.error;
          setEditing(null);
          return null;
        }}
      />
    );
  }

  return (
    <ConfirmDialog title={t('prompts.libraryTitle')} onCancel={onClose} actions={[{ label: t('prompts.close'), onClick: onClose }]}>
      <div className="prompt-library">
        <div className="prompt-library-toolbar">
          <input
            type="search"
            aria-label={t('prompts.search')}
            placeholder={t('prompts.search')}
            value={query}
            autoFocus
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="button" className="primary small" onClick={() => setEditing({ name: '', text: '' })}>
            {t('prompts.new')}
          </button>
          <FileImportButton label={t('prompts.import')} accept=".json,application/json" onFile={(file) => void importFile(file)} />
          <button type="button" className="ghost small" disabled={prompts.length === 0} onClick={() => void exportAll()}>
            {t('prompts.export')}
          </button>
        </div>
        {note && (
          <p className="prompt-library-note" role="status">
            {note}
          </p>
        )}
        {error && (
          <p className="field-error" role="alert">
            {errorText(t, error)}
          </p>
        )}
        {prompts.length === 0 ? (
          <p className="prompt-library-empty">{t('prompts.empty')}</p>
        ) : shown.length === 0 ? (
          <p className="prompt-library-empty">{t('prompts.noMatch')}</p>
        ) : (
          <ul className="prompt-library-list" aria-label={t('prompts.libraryTitle')}>
            {shown.map((prompt) => (
              <li key={prompt.id} className="prompt-library-item">
                <div className="prompt-library-text">
                  <strong>{prompt.name}</strong>
                  <span className="prompt-library-preview">{prompt.text.slice(0, 160)}</span>
                </div>
                <div className="prompt-library-actions">
                  <button
                    type="button"
                    className="ghost small"
                    aria-label={t('prompts.editNamed', { name: prompt.name })}
                    onClick={() => setEditing({ id: prompt.id, name: prompt.name, text: prompt.text })}
                  >
                    {t('prompts.edit')}
                  </button>
                  <button
                    type="button"
                    className="ghost small"
                    aria-label={t('prompts.duplicateNamed', { name: prompt.name })}
                    onClick={() => void run(() => callApi(() => getApi().prompts.duplicate({ id: prompt.id })))}
                  >
                    {t('prompts.duplicate')}
                  </button>
                  <button
                    type="button"
                    className="ghost small danger"
                    aria-label={t('prompts.deleteNamed', { name: prompt.name })}
                    onClick={() => setDeleting(prompt)}
                  >
                    {t('prompts.delete')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title={t('prompts.deleteTitle', { name: deleting.name })}
          onCancel={() => setDeleting(null)}
          actions={[
            { label: t('prompts.cancel'), onClick: () => setDeleting(null), initialFocus: true },
            {
              label: t('prompts.delete'),
              variant: 'danger',
              onClick: () => {
                const id = deleting.id;
                setDeleting(null);
                void run(() => callApi(() => getApi().prompts.delete({ id })));
              },
            },
          ]}
        >
          <p>{t('prompts.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </ConfirmDialog>
  );
}

interface EditorProps {
  initial: NonNullable<Editing>;
  onSave: (draft: { id?: string; name: string; text: string }) => Promise<AppError | null>;
  onCancel: () => void;
}

function PromptEditor({ initial, onSave, onCancel }: EditorProps) {
  const { t } = useTranslation('chat');
  const [name, setName] = useState(initial.name);
  const [text, setText] = useState(initial.text);
  const [problems, setProblems] = useState<{ name?: string; text?: string }>({});
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const base = useId();
  const variables = parseVariables(text);

  const save = async () => {
    const found: { name?: string; text?: string } = {};
    if (name.trim() === '') found.name = t('prompts.errors.nameRequired');
    else if (name.trim().length > PROMPT_NAME_MAX) found.name = t('prompts.errors.nameTooLong', { max: PROMPT_NAME_MAX });
    if (text === '') found.text = t('prompts.errors.textRequired');
    else if (text.length > PROMPT_TEXT_MAX) found.text = t('prompts.errors.textTooLong', { max: PROMPT_TEXT_MAX.toLocaleString() });
    setProblems(found);
    if (found.name || found.text) {
      document.getElementById(found.name ? `${base}-name` : `${base}-text`)?.focus();
      return;
    }
    setSaving(true);
    const error = await onSave({ ...(initial.id ? { id: initial.id } : {}), name: name.trim(), text });
    setSaving(false);
    setSaveError(error);
  };

  return (
    <ConfirmDialog
      title={initial.id ? t('prompts.editTitle') : t('prompts.newTitle')}
      onCancel={onCancel}
      actions={[
        { label: t('prompts.cancel'), onClick: onCancel },
        { label: t('prompts.save'), onClick: () => void save(), variant: 'primary', disabled: saving },
      ]}
    >
      <form
        className="prompt-editor"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label htmlFor={`${base}-name`}>{t('prompts.name')}</label>
        <input
          id={`${base}-name`}
          type="text"
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          {...(problems.name ? { 'aria-invalid': true, 'aria-describedby': `${base}-name-error` } : {})}
        />
        {problems.name && (
          <p id={`${base}-name-error`} className="field-error" role="alert">
            {problems.name}
          </p>
        )}
        <label htmlFor={`${base}-text`}>{t('prompts.text')}</label>
        <textarea
          id={`${base}-text`}
          rows={8}
          value={text}
          aria-describedby={`${base}-text-help`}
          onChange={(e) => setText(e.target.value)}
          {...(problems.text ? { 'aria-invalid': true } : {})}
        />
        <p id={`${base}-text-help`} className="settings-panel-note">
          {variables.length > 0 ? t('prompts.variablesFound', { names: variables.join(', ') }) : t('prompts.variablesHelp', { example: '{{name}}' })}
        </p>
        {problems.text && (
          <p className="field-error" role="alert">
            {problems.text}
          </p>
        )}
        {saveError && (
          <p className="field-error" role="alert">
            {errorText(t, saveError)}
          </p>
        )}
      </form>
    </ConfirmDialog>
  );
}
