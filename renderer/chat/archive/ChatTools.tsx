import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat, ExportOutcome, ImportSummary } from '../../../shared/models/archive';
import type { AppError, Result } from '../../../shared/result';
import { callApi, getApi } from '../../lib/api';
import { conversationsStore } from '../../stores/conversations-store';
import { MessageError } from '../MessageError';
import { shortcutLabel } from '../shortcut-label';
import { downloadExport, readImportFile } from './file-transfer';
import { PromptLibraryDialog } from '../prompts/PromptLibraryDialog';
import { FileImportButton } from '../../components/FileImportButton';

interface Props {
  conversationId: string | null;
  onSearch: () => void;
}

type Busy = { kind: 'export' } | { kind: 'import'; done: number; total: number } | null;

/**
 * Search, export (this conversation as Markdown, JSON or HTML; every conversation as one zip) and import
 * (our JSON or zip, ChatGPT's conversations.json or zip), with a progress bar while an import runs.
 */
export function ChatTools({ conversationId, onSearch }: Props) {
  const { t, i18n } = useTranslation('chat');
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [libraryOpen, setLibraryOpen] = useState(false);
  const importId = useRef<string | null>(null);
  const language = i18n.language === 'zh-TW' ? 'zh-TW' : 'en';

  useEffect(
    () =>
      getApi().on('archive:importProgress', (progress) => {
        if (progress.importId !== importId.current) return;
        setBusy({ kind: 'import', done: progress.done, total: progress.total });
      }),
    [],
  );

  const runExport = async (call: () => Promise<Result<ExportOutcome>>) => {
    setError(null);
    setNote(null);
    setBusy({ kind: 'export' });
    const got = await callApi(call);
    setBusy(null);
    if (!got.ok) return setError(got.error);
    const outcome = got.value;
    if (outcome.delivery === 'download') downloadExport(outcome);
    if (outcome.delivery !== 'cancelled') setNote(t('archive.exported', { file: outcome.fileName }));
  };

  const exportOne = (format: ExportFormat) => {
    if (!conversationId) return;
    void runExport(() => getApi().archive.export({ id: conversationId, format, language }));
  };

  const importFile = async (file: File) => {
    setError(null);
    setNote(null);
    const id = `import-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    importId.current = id;
    setBusy({ kind: 'import', done: 0, total: 0 });
    const payload = await readImportFile(file);
    const got: Result<ImportSummary> = await callApi(() => getApi().archive.import({ ...payload, importId: id }));
    importId.current = null;
    setBusy(null);
    if (!got.ok) return setError(got.error);
    await conversationsStore.getState().load();
    const first = got.value.ids[0];
    if (first) conversationsStore.getState().setActive(first);
    setNote(t('archive.imported', { count: got.value.imported, skipped: got.value.skipped }));
  };

  return (
    <div className="chat-tools" role="toolbar" aria-label={t('archive.toolbar')}>
      <button type="button" className="ghost small" onClick={onSearch} title={t('search.shortcut', { shortcut: shortcutLabel('K') })}>
        {t('search.open')}
      </button>
      <label className="chat-tools-export">
        <span className="visually-hidden">{t('archive.exportLabel')}</span>
        <select
          value=""
          disabled={!conversationId || busy !== null}
          aria-label={t('archive.exportLabel')}
          onChange={(e) => {
            const format = e.target.value as ExportFormat;
            e.target.value = '';
            exportOne(format);
          }}
        >
          <option value="" disabled>
            {t('archive.export')}
          </option>
          <option value="markdown">{t('archive.asMarkdown')}</option>
          <option value="json">{t('archive.asJson')}</option>
          <option value="html">{t('archive.asHtml')}</option>
        </select>
      </label>
      <button
        type="button"
        className="ghost small"
        disabled={busy !== null}
        onClick={() => void runExport(() => getApi().archive.exportAll({ language }))}
      >
        {t('archive.exportAll')}
      </button>
      <FileImportButton
        label={t('archive.import')}
        accept=".json,.zip,application/json,application/zip"
        disabled={busy !== null}
        onFile={(file) => void importFile(file)}
      />
      {busy?.kind === 'import' && (
        <progress
          className="import-progress"
          aria-label={t('archive.importing')}
          max={Math.max(1, busy.total)}
          value={busy.total ? busy.done : undefined}
        />
      )}
      {busy && (
        <span className="chat-tools-status" role="status">
          {busy.kind === 'import' ? t('archive.importingCount', { done: busy.done, total: busy.total }) : t('archive.exporting')}
        </span>
      )}
      {note && (
        <span className="chat-tools-status" role="status">
          {note}
        </span>
      )}
      <button type="button" className="ghost small" aria-haspopup="dialog" onClick={() => setLibraryOpen(true)}>
        {t('prompts.open')}
      </button>
      {libraryOpen && <PromptLibraryDialog onClose={() => setLibraryOpen(false)} />}
      {error && <MessageError className="chat-tools-error" error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}
