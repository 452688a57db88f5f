import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ProviderDraft, ProviderType, ProviderView } from '../../shared/models/provider';
import { COMPATIBLE_PRESETS, PROVIDER_TYPES } from '../../shared/models/provider';
import type { AppError, FieldIssue } from '../../shared/result';
import { validateProviderDraft, type ValidationIssue } from '../../shared/validation/provider-validation';
import { errorHint, errorText } from '../lib/error-text';
import { ApiKeyField } from './ApiKeyField';
import { validateFallbacks, validateKeyDrafts } from '../../shared/validation/routing-validation';
import { useProvidersStore } from '../stores/providers-store';
import { FallbacksEditor } from '../components/FallbacksEditor';
import { KeyHealthLine, KeyPoolEditor } from './KeyPoolEditor';
import { startPool } from './key-pool-state';
import { CustomHeadersEditor } from './CustomHeadersEditor';
import { messagesAria, type FieldMessage } from './FieldMessages';
import { fieldAria, FormField } from './FormField';
import { ModelCombobox } from './ModelCombobox';
import { ProviderDefaultsField } from './ProviderDefaultsField';
import { ResponsesFields } from './ResponsesFields';
import { RunTimeoutField } from './RunTimeoutField';
import { offersSwitchToResponses, SwitchToResponsesNotice } from './SwitchToResponsesNotice';
import { TestOutcome } from './TestOutcome';
import { TextField } from './TextField';
import { showsField } from './provider-form-state';
import { useConnectionCheck } from './use-connection-check';

/** What the last Save (or a change made elsewhere) left for the form to show; kept by the Settings window. */
export interface SaveFeedback {
  /** After a Save attempt every blocking error is shown, touched or not. */
  revealAll: boolean;
  serverErrors: Record<string, FieldIssue>;
  saveError: AppError | null;
  status: 'saved' | 'changedElsewhere' | 'deletedElsewhere' | null;
}

interface Props extends SaveFeedback {
  draft: ProviderDraft;
  onDraftChange: (update: (draft: ProviderDraft) => ProviderDraft) => void;
  /** The saved provider, or null for one not saved yet. */
  view: ProviderView | null;
  dirty: boolean;
  /** Save is offered for any change, and always for a provider not saved yet. */
  canSave: boolean;
  saving: boolean;
  onSave: () => void;
  onDelete: () => void;
  onDuplicate: () => void;
  /** Shows every error and focuses the first invalid field (Test Connection on an invalid form). */
  onRevealErrors: () => void;
}

function issueText(t: TFunction, issue: { code: string; message: string; params?: Record<string, string | number> }) {
  // BASE_URL_INVALID reads differently with and without a suggested fix.
  const key =
    issue.code === 'BASE_URL_INVALID' && issue.params?.suggestion ? 'validation.BASE_URL_INVALID_suggestion' : `validation.${issue.code}`;
  return t(key, { ...issue.params, defaultValue: issue.message });
}

export function ProviderForm(props: Props) {
  const { draft, onDraftChange, view, dirty, saving, revealAll, serverErrors, saveError, status } = props;
  const { t } = useTranslation('settings');
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const { testState, models, runTest: testConnection, refreshModels } = useConnectionCheck(draft);
  const baseUrlRef = useRef<HTMLInputElement>(null);
  const [presetChoice, setPresetChoice] = useState('');
  // Set once this provider was switched from OpenAI Assistant to OpenAI Responses: the Model comes next.
  const [switched, setSwitched] = useState(false);
  const switchedToResponses = switched && draft.type === 'openai-responses';
  useEffect(() => {
    if (switchedToResponses) document.getElementById('provider-model')?.focus();
  }, [switchedToResponses]);

  const validation = useMemo(() => validateProviderDraft(draft, { hasStoredKey: view?.hasApiKey ?? false }), [draft, view]);
  const providers = useProvidersStore((s) => s.providers);
  // Key pool and fallback chain: the same sentences main answers a refused save with, shown as the user edits.
  const routingIssues = useMemo(
    () => ({
      ...validateKeyDrafts(draft.keys ?? []),
      ...validateFallbacks(draft, (draft.fallbacks ?? []).filter((f) => f.providerId !== ''), providers),
    }),
    [draft, providers],
  );
  const pooled = draft.keys !== undefined || (view?.keys.length ?? 0) > 1;

  const touch = (field: string) =>
    setTouched((prev) => {
      if (prev.has(field)) return prev;
      const next = new Set(prev);
      next.add(field);
      return next;
    });

  const messagesFor = (field: string): FieldMessage[] => {
    const issues = validation.issues.filter((i: ValidationIssue) => i.field === field);
    const showErrors = revealAll || touched.has(field);
    const out: FieldMessage[] = [];
    for (const issue of issues) {
      if (issue.severity === 'error' && !showErrors) continue;
      out.push({ severity: issue.severity, text: issueText(t, issue) });
    }
    const routing = routingIssues[field];
    // A blank key row is only an error once the user tries to save; the other routing issues show at once.
    if (routing && (routing.code !== 'KEY_EMPTY' || revealAll)) out.push({ severity: 'error', text: issueText(t, routing) });
    const server = serverErrors[field];
    if (server && !out.some((m) => m.severity === 'error')) out.push({ severity: 'error', text: issueText(t, server) });
    return out;
  };

  const set = <K extends keyof ProviderDraft>(key: K, value: ProviderDraft[K]) =>
    onDraftChange((d) => ({ ...d, [key]: value }));

  const runTest = async () => {
    if (!validation.ok) {
      props.onRevealErrors();
      return;
    }
    await testConnection();
  };

  const applyPreset = (presetId: string) => {
    const preset = COMPATIBLE_PRESETS.find((p) => p.id === presetId);
    setPresetChoice('');
    if (!preset) return;
    onDraftChange((d) => ({ ...d, baseUrl: preset.baseUrl, name: d.name.trim() === '' ? preset.label : d.name }));
    if (preset.needsEditing) {
      // Put the cursor on the part the user must replace (the Azure resource name).
      requestAnimationFrame(() => {
        const input = baseUrlRef.current;
        if (!input) return;
        input.focus();
        const start = preset.baseUrl.indexOf('YOUR-RESOURCE');
        if (start >= 0) input.setSelectionRange(start, start + 'YOUR-RESOURCE'.length);
      });
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onSave();
  };

  const baseUrlMessages = messagesFor('baseUrl');
  const apiKeyMessages = messagesFor('apiKey');
  const modelMessages = messagesFor('model');
  const isNew = view === null;

  return (
    <form className="provider-form" onSubmit={onSubmit} noValidate aria-labelledby="provider-form-title">
      <div className="form-header">
        <h2 id="provider-form-title">
          {draft.name.trim() || (isNew ? t('list.newProvider') : t('list.unnamed'))}
          {dirty ? <span className="dirty-badge">{t('form.unsaved')}</span> : null}
        </h2>
        <button type="button" disabled={isNew} onClick={props.onDuplicate}>
          {t('actions.duplicate')}
        </button>
      </div>

      {status === 'changedElsewhere' ? (
        <p className="banner banner-info" role="status">
          {t('form.changedElsewhere')}
        </p>
      ) : null}
      {switchedToResponses ? (
        <p className="banner banner-success" role="status">
          {t('switchToResponses.done')}
        </p>
      ) : null}
      {status === 'deletedElsewhere' ? (
        <p className="banner banner-info" role="status">
          {t('form.deletedElsewhere')}
        </p>
      ) : null}

      <TextField
        id="provider-name"
        label={t('fields.name')}
        // A provider just added starts with its name; a saved one leaves focus where the user was.
        autoFocus={isNew}
        value={draft.name}
        messages={messagesFor('name')}
        onChange={(value) => set('name', value)}
        onBlur={() => touch('name')}
      />

      <div className="field">
        <label htmlFor="provider-type">{t('fields.type')}</label>
        <select
          id="provider-type"
          value={draft.type}
          aria-describedby="provider-type-help"
          onChange={(e) => set('type', e.target.value as ProviderType)}
        >
          {PROVIDER_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`types.${type}`)}
            </option>
          ))}
        </select>
        <p id="provider-type-help" className="field-note">
          {t(`typeHelp.${draft.type}`)}
        </p>
      </div>

      {showsField(draft.type, 'baseUrl') ? (
        <FormField id="provider-base-url" label={t('fields.baseUrl')} messages={baseUrlMessages}>
          <div className="input-row">
            <input
              ref={baseUrlRef}
              id="provider-base-url"
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder={draft.type === 'openai-assistant' ? t('baseUrl.optionalPlaceholder') : 'https://api.example.com/v1'}
              value={draft.baseUrl}
              {...messagesAria('provider-base-url-msg', baseUrlMessages)}
              onChange={(e) => set('baseUrl', e.target.value)}
              onBlur={() => touch('baseUrl')}
            />
            {draft.type === 'openai-compatible' ? (
              <select
                aria-label={t('presets.label')}
                className="preset-select"
                value={presetChoice}
                onChange={(e) => applyPreset(e.target.value)}
              >
                <option value="">{t('presets.choose')}</option>
                {COMPATIBLE_PRESETS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {t(`presets.${p.id}`, { defaultValue: p.label })}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
        </FormField>
      ) : null}

      {pooled ? (
        <KeyPoolEditor
          draft={draft}
          view={view}
          onChange={(keys) => onDraftChange((d) => ({ ...d, apiKey: { action: 'keep' }, keys }))}
          onStrategyChange={(strategy) => set('keyStrategy', strategy)}
          messagesFor={messagesFor}
        />
      ) : (
        <FormField id="provider-api-key" label={t('fields.apiKey')} messages={apiKeyMessages}>
          <ApiKeyField
            id="provider-api-key"
            type={draft.type}
            change={draft.apiKey}
            onChange={(change) => set('apiKey', change)}
            onBlur={() => touch('apiKey')}
            stored={view}
            {...fieldAria('provider-api-key', apiKeyMessages)}
          />
          {view?.keys[0] && view.keys[0].health.state !== 'ok' ? <KeyHealthLine health={view.keys[0].health} /> : null}
          <button type="button" className="link-button" onClick={() => onDraftChange((d) => startPool(d, view))}>
            {t('keys.addAnother')}
          </button>
        </FormField>
      )}

      {showsField(draft.type, 'model') ? (
        <FormField id="provider-model" label={t('fields.model')} messages={modelMessages}>
          <ModelCombobox
            id="provider-model"
            value={draft.model}
            onChange={(value) => set('model', value)}
            onBlur={() => touch('model')}
            list={models}
            onRefresh={() => void refreshModels()}
            {...fieldAria('provider-model', modelMessages)}
          />
        </FormField>
      ) : null}

      {showsField(draft.type, 'assistantId') ? (
        <TextField
          id="provider-assistant-id"
          label={t('fields.assistantId')}
          spellCheck={false}
          placeholder="asst_…"
          value={draft.assistantId}
          messages={messagesFor('assistantId')}
          onChange={(value) => set('assistantId', value)}
          onBlur={() => touch('assistantId')}
        />
      ) : null}

      {showsField(draft.type, 'runTimeout') ? (
        <RunTimeoutField
          id="provider-run-timeout"
          valueMs={draft.runTimeoutMs}
          onChange={(ms) => set('runTimeoutMs', ms)}
          onBlur={() => touch('runTimeoutMs')}
          messages={messagesFor('runTimeoutMs')}
        />
      ) : null}

      {draft.type === 'openai-assistant' && offersSwitchToResponses(view) ? (
        <SwitchToResponsesNotice view={view} dirty={dirty} onSwitched={() => setSwitched(true)} />
      ) : null}

      {showsField(draft.type, 'instructions') ? (
        <ResponsesFields
          instructions={draft.instructions ?? ''}
          conversationState={draft.conversationState}
          onInstructionsChange={(value) => set('instructions', value)}
          onConversationStateChange={(value) => set('conversationState', value)}
        />
      ) : null}

      <ProviderDefaultsField value={draft.defaults} onChange={(settings) => set('defaults', settings)} />

      <FallbacksEditor
        self={draft}
        fallbacks={draft.fallbacks ?? []}
        providers={providers}
        onChange={(fallbacks) => set('fallbacks', fallbacks)}
        messagesFor={messagesFor}
      />

      {showsField(draft.type, 'customHeaders') ? (
        <CustomHeadersEditor
          headers={draft.customHeaders}
          savedHeaders={view?.customHeaders ?? []}
          onChange={(headers) => set('customHeaders', headers)}
          messagesFor={(row, part) => messagesFor(`customHeaders.${row}.${part}`)}
          onBlurRow={(row, part) => touch(`customHeaders.${row}.${part}`)}
        />
      ) : null}

      <TestOutcome state={testState} />

      {saveError ? (
        <div className="banner banner-error" role="alert">
          <p>{saveError.code === 'VALIDATION' ? t('form.fixFields') : errorText(t, saveError)}</p>
          {saveError.code !== 'VALIDATION' && errorHint(t, saveError) ? <p className="banner-detail">{errorHint(t, saveError)}</p> : null}
        </div>
      ) : null}

      <div className="form-footer">
        <button type="button" className="danger" onClick={props.onDelete}>
          {t('actions.delete')}
        </button>
        <span className="spacer" />
        <p className="save-status" role="status">
          {saving ? t('form.saving') : status === 'saved' && !dirty ? t('form.saved') : ''}
        </p>
        <button type="button" disabled={testState.state === 'running'} aria-busy={testState.state === 'running'} onClick={() => void runTest()}>
          {testState.state === 'running' ? t('test.running') : t('actions.test')}
        </button>
        <button type="submit" className="primary" disabled={!props.canSave || saving}>
          {t('actions.save')}
        </button>
      </div>
    </form>
  );
}
