import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderDraft, ProviderView } from '../../shared/models/provider';
import type { AppError, FieldIssue } from '../../shared/result';
import { validateProviderDraft } from '../../shared/validation/provider-validation';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { LanguageSelect } from '../components/LanguageSelect';
import { NoticeBanner } from '../components/NoticeBanner';
import { errorHint, errorText } from '../lib/error-text';
import { providersStore, startProvidersSync, useProvidersStore } from '../stores/providers-store';
import { KeychainBanner } from './KeychainBanner';
import { ProviderForm, type SaveFeedback } from './ProviderForm';
import { ProviderListPanel } from './ProviderListPanel';
import { McpServersPanel } from './mcp/McpServersPanel';
import { draftForSubmit, draftFromView, isDraftDirty, newDraft } from './provider-form-state';
import './settings.css';

/** The provider being edited: the saved view (null while new), what Save compares against, and the edits. */
interface Editor extends SaveFeedback {
  view: ProviderView | null;
  baseline: ProviderDraft;
  draft: ProviderDraft;
  /** Changes when another provider is selected, so the form starts fresh (touched fields, test result). */
  instance: number;
}

let instances = 0;

function editorFor(view: ProviderView): Editor {
  const draft = draftFromView(view);
  return {
    view,
    baseline: draft,
    draft,
    instance: ++instances,
    revealAll: false,
    serverErrors: {},
    saveError: null,
    status: null,
  };
}

function editorForNew(): Editor {
  const draft = newDraft();
  return { view: null, baseline: draft, draft, instance: ++instances, revealAll: false, serverErrors: {}, saveError: null, status: null };
}

/** The same saved provider; key health (which changes as keys are used) does not count. */
function sameView(a: ProviderView, b: ProviderView): boolean {
  const settled = (v: ProviderView) => JSON.stringify({ ...v, keys: v.keys.map(({ health: _health, ...k }) => k) });
  return settled(a) === settled(b);
}

/** Server-side field errors go away once the user edits that field. */
function clearEditedFieldErrors(errors: Record<string, FieldIssue>, before: ProviderDraft, after: ProviderDraft) {
  const next: Record<string, FieldIssue> = {};
  for (const [field, issue] of Object.entries(errors)) {
    const top = field.split('.')[0] as keyof ProviderDraft;
    if (before[top] === after[top]) next[field] = issue;
  }
  return next;
}

/** Where focus goes after a change the user did not make by pointing at something (a save error, a delete). */
type FocusTarget = 'invalid' | 'selected';

function focusElement(target: FocusTarget) {
  const element =
    target === 'invalid'
      ? document.querySelector<HTMLElement>('.provider-form [aria-invalid="true"]')
      : (document.querySelector<HTMLElement>('.provider-item[aria-current="true"]') ??
        document.querySelector<HTMLElement>('.add-provider'));
  element?.focus();
}

export function SettingsApp() {
  const { t } = useTranslation('settings');
  const status = useProvidersStore((s) => s.status);
  const providers = useProvidersStore((s) => s.providers);
  const keychain = useProvidersStore((s) => s.keychain);
  const loadError = useProvidersStore((s) => s.loadError);

  const [editor, setEditor] = useState<Editor | null>(null);
  const [saving, setSaving] = useState(false);
  const [pendingLeave, setPendingLeave] = useState<{ proceed: () => void } | null>(null);
  const [pendingDelete, setPendingDelete] = useState<{ id: string | null; name: string } | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [section, setSection] = useState<'providers' | 'mcp'>('providers');
  // Read inside the store subscription, which must not see a save or delete of ours as someone else's change.
  const busyIdRef = useRef<string | null>(null);
  // Focus moves in an effect, after React has committed the change that calls for it (an update made after
  // an await renders later than a requestAnimationFrame would fire).
  const [focusRequest, setFocusRequest] = useState<{ target: FocusTarget; seq: number } | null>(null);
  const requestFocus = (target: FocusTarget) => setFocusRequest((r) => ({ target, seq: (r?.seq ?? 0) + 1 }));
  useEffect(() => {
    if (focusRequest) focusElement(focusRequest.target);
  }, [focusRequest]);

  const dirty = editor ? isDraftDirty(editor.draft, editor.baseline, editor.view) : false;

  useEffect(() => {
    const reconcile = (list: ProviderView[]) =>
      setEditor((e) => {
        if (!e) return list[0] ? editorFor(list[0]) : null;
        if (!e.view) return e;
        const id = e.view.id;
        if (busyIdRef.current === id) return e;
        const view = list.find((p) => p.id === id);
        const isDirty = isDraftDirty(e.draft, e.baseline, e.view);
        if (!view) {
          if (!isDirty) return list[0] ? editorFor(list[0]) : null;
          // Someone deleted it elsewhere while it had edits: keep them as a new provider rather than lose them.
          const { id: _gone, ...rest } = e.draft;
          return { ...e, view: null, baseline: newDraft(e.draft.type), draft: { ...rest, apiKey: e.draft.apiKey }, status: 'deletedElsewhere' };
        }
        // Only key health moved: the form stays as it is and shows the new health.
        if (sameView(view, e.view)) return view === e.view ? e : { ...e, view };
        const baseline = draftFromView(view);
        if (!isDirty) return { ...e, view, baseline, draft: baseline };
        return { ...e, view, baseline, status: 'changedElsewhere' };
      });
    const unsubscribe = providersStore.subscribe((state, prev) => {
      if (state.providers !== prev.providers || (state.status === 'ready' && prev.status !== 'ready')) reconcile(state.providers);
    });
    const stop = startProvidersSync();
    if (providersStore.getState().status === 'ready') reconcile(providersStore.getState().providers);
    return () => {
      unsubscribe();
      stop();
    };
  }, []);

  useEffect(() => {
    if (!dirty) return;
    // Closing or reloading the window with edits: the browser (or Electron, on will-prevent-unload) asks first.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = true;
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const save = async (): Promise<boolean> => {
    if (!editor || saving) return false;
    const validation = validateProviderDraft(editor.draft, { hasStoredKey: editor.view?.hasApiKey ?? false });
    if (!validation.ok) {
      setEditor((e) => (e ? { ...e, revealAll: true, saveError: null, status: null } : e));
      requestFocus('invalid');
      return false;
    }
    const submitted = editor.draft;
    const instance = editor.instance;
    busyIdRef.current = editor.view?.id ?? null;
    setSaving(true);
    const result = await providersStore.getState().save(draftForSubmit(submitted));
    busyIdRef.current = null;
    setSaving(false);
    if (result.ok) {
      const view = result.value;
      setEditor((e) => {
        if (!e || e.instance !== instance) return e;
        const baseline = draftFromView(view);
        // Edits made while saving stay; only what was saved becomes the new baseline.
        const draft = e.draft === submitted ? baseline : { ...e.draft, id: view.id, apiKey: e.draft.apiKey === submitted.apiKey ? baseline.apiKey : e.draft.apiKey };
        return { ...e, view, baseline, draft, revealAll: false, serverErrors: {}, saveError: null, status: 'saved' };
      });
      return true;
    }
    const error = result.error;
    setEditor((e) =>
      e && e.instance === instance ? { ...e, revealAll: true, serverErrors: error.fields ?? {}, saveError: error, status: null } : e,
    );
    if (error.fields) requestFocus('invalid');
    return false;
  };

  const onSaveShortcut = useEffectEvent((event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (editor && !pendingLeave && !pendingDelete) void save();
    }
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onSaveShortcut(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  /** Runs `proceed` now, or after the user decides what to do with unsaved changes. */
  const leaveThen = (proceed: () => void) => {
    setActionError(null);
    if (dirty) setPendingLeave({ proceed });
    else proceed();
  };

  const select = (id: string) => {
    if (editor?.view?.id === id) return;
    const view = providers.find((p) => p.id === id);
    if (view) leaveThen(() => setEditor(editorFor(view)));
  };

  const add = () => leaveThen(() => setEditor(editorForNew()));

  const duplicate = () => {
    const id = editor?.view?.id;
    if (!id) return;
    leaveThen(async () => {
      const result = await providersStore.getState().duplicate(id);
      if (result.ok) {
        setEditor(editorFor(result.value));
        requestFocus('selected');
      } else setActionError(result.error);
    });
  };

  const confirmDelete = async () => {
    const target = pendingDelete;
    setPendingDelete(null);
    if (!target) return;
    if (target.id === null) {
      // A provider never saved: nothing to delete in main, only the draft to drop.
      const first = providersStore.getState().providers[0];
      setEditor(first ? editorFor(first) : null);
      requestFocus('selected');
      return;
    }
    const before = providersStore.getState().providers;
    const index = before.findIndex((p) => p.id === target.id);
    busyIdRef.current = target.id;
    const result = await providersStore.getState().remove(target.id);
    busyIdRef.current = null;
    if (!result.ok) {
      setActionError(result.error);
      return;
    }
    const remaining = providersStore.getState().providers;
    const next = remaining[Math.min(index, remaining.length - 1)];
    setEditor(next ? editorFor(next) : null);
    requestFocus('selected');
  };

  let main;
  if (status === 'idle' || status === 'loading') {
    main = <p className="settings-placeholder">{t('common:loading')}</p>;
  } else if (status === 'error' && loadError) {
    main = (
      <div className="banner banner-error" role="alert">
        <p>{errorText(t, loadError)}</p>
        {errorHint(t, loadError) ? <p className="banner-detail">{errorHint(t, loadError)}</p> : null}
        <button type="button" onClick={() => void providersStore.getState().load()}>
          {t('actions.retry')}
        </button>
      </div>
    );
  } else if (!editor) {
    main = (
      <div className="settings-placeholder">
        <h2>{t('list.emptyTitle')}</h2>
        <p>{t('list.emptyBody')}</p>
      </div>
    );
  } else {
    main = (
      <ProviderForm
        key={editor.instance}
        draft={editor.draft}
        onDraftChange={(update) =>
          setEditor((e) => {
            if (!e) return e;
            const draft = update(e.draft);
            return { ...e, draft, serverErrors: clearEditedFieldErrors(e.serverErrors, e.draft, draft), saveError: null, status: e.status === 'saved' ? null : e.status };
          })
        }
        view={editor.view}
        dirty={dirty}
        canSave={dirty || editor.view === null}
        saving={saving}
        revealAll={editor.revealAll}
        serverErrors={editor.serverErrors}
        saveError={editor.saveError}
        status={editor.status}
        onSave={() => void save()}
        onDelete={() => setPendingDelete({ id: editor.view?.id ?? null, name: editor.draft.name.trim() || editor.view?.name || '' })}
        onDuplicate={duplicate}
        onRevealErrors={() => {
          setEditor((e) => (e ? { ...e, revealAll: true } : e));
          requestFocus('invalid');
        }}
      />
    );
  }

  return (
    <div className="app settings-app">
      <header className="app-header">
        <h1>{t('title')}</h1>
        <LanguageSelect />
      </header>
      <nav className="settings-sections" aria-label={t('mcp.sections')}>
        <button type="button" className="ghost" aria-current={section === 'providers'} onClick={() => leaveThen(() => setSection('providers'))}>
          {t('mcp.providersTab')}
        </button>
        <button type="button" className="ghost" aria-current={section === 'mcp'} onClick={() => leaveThen(() => setSection('mcp'))}>
          {t('mcp.tab')}
        </button>
      </nav>
      <NoticeBanner />
      {keychain ? <KeychainBanner keychain={keychain} /> : null}
      {actionError ? (
        <div className="banner banner-error" role="alert">
          <p>{errorText(t, actionError)}</p>
          {errorHint(t, actionError) ? <p className="banner-detail">{errorHint(t, actionError)}</p> : null}
          <button type="button" onClick={() => setActionError(null)}>
            {t('common:actions.dismiss')}
          </button>
        </div>
      ) : null}
      {section === 'mcp' && <McpServersPanel />}
      <div className="settings-body" hidden={section !== 'providers'}>
        <ProviderListPanel
          providers={providers}
          selectedId={editor ? (editor.view?.id ?? null) : undefined}
          dirty={dirty}
          newProviderName={editor && !editor.view ? editor.draft.name : null}
          onSelect={select}
          onAdd={add}
        />
        <main className="provider-editor">{main}</main>
      </div>

      {pendingLeave ? (
        <ConfirmDialog
          title={t('unsaved.title')}
          onCancel={() => setPendingLeave(null)}
          actions={[
            {
              label: t('unsaved.save'),
              variant: 'primary',
              disabled: saving,
              onClick: () => {
                const { proceed } = pendingLeave;
                setPendingLeave(null);
                void save().then((saved) => saved && proceed());
              },
            },
            {
              label: t('unsaved.discard'),
              variant: 'danger',
              onClick: () => {
                const { proceed } = pendingLeave;
                setPendingLeave(null);
                proceed();
              },
            },
            { label: t('unsaved.keepEditing'), initialFocus: true, onClick: () => setPendingLeave(null) },
          ]}
        >
          <p>{t('unsaved.body', { name: editor?.draft.name.trim() || t('list.newProvider') })}</p>
        </ConfirmDialog>
      ) : null}

      {pendingDelete ? (
        <ConfirmDialog
          title={pendingDelete.id ? t('delete.title', { name: pendingDelete.name }) : t('delete.discardTitle')}
          onCancel={() => setPendingDelete(null)}
          actions={[
            { label: t('delete.confirm'), variant: 'danger', onClick: () => void confirmDelete() },
            { label: t('common:actions.cancel'), initialFocus: true, onClick: () => setPendingDelete(null) },
          ]}
        >
          <p>{pendingDelete.id ? t('delete.body') : t('delete.discardBody')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
