import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { McpServerList, McpServerView } from '../../../shared/models/tools';
import type { AppError, Result } from '../../../shared/result';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { callApi, getApi } from '../../lib/api';
import { errorHint, errorText } from '../../lib/error-text';
import { McpServerForm } from './McpServerForm';
import { draftFromForm, emptyForm, formFromView, type McpForm } from './mcp-draft';

/** Settings › MCP servers: the list, the selected (or new) server's form, status and tools, and remembered approvals. */
export function McpServersPanel() {
  const { t } = useTranslation('settings');
  const [list, setList] = useState<McpServerList | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState<McpForm | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    const api = getApi();
    void callApi(() => api.mcp.list()).then((result) => (result.ok ? setList(result.value) : setError(result.error)));
    return api.on('mcp:changed', (next) => setList(next));
  }, []);

  const view: McpServerView | undefined = list?.servers.find((s) => s.id === selected);
  const select = (server: McpServerView) => {
    setSelected(server.id);
    setForm(formFromView(server));
    setError(null);
  };

  const run = async <T,>(call: () => Promise<Result<T>>): Promise<T | null> => {
    setError(null);
    const result = await callApi(call);
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    return result.value;
  };

  const save = async () => {
    if (!form) return;
    setSaving(true);
    const saved = await run(() => getApi().mcp.save(draftFromForm(form)));
    setSaving(false);
    if (saved) {
      setSelected(saved.id);
      setForm(formFromView(saved));
    }
  };

  const remove = async () => {
    setConfirmDelete(false);
    if (!view) return;
    if ((await run(() => getApi().mcp.delete({ id: view.id }))) !== null) {
      setSelected(null);
      setForm(null);
    }
  };

  return (
    <div className="settings-body mcp-settings">
      <nav className="provider-sidebar" aria-labelledby="mcp-heading">
        <h2 id="mcp-heading">{t('mcp.listLabel')}</h2>
        <ul className="provider-items">
          {(list?.servers ?? []).map((server) => (
            <li key={server.id}>
              <button
                type="button"
                className={server.id === selected ? 'provider-item selected' : 'provider-item'}
                aria-current={server.id === selected}
                onClick={() => select(server)}
              >
                <span className="provider-item-name">{server.name}</span>
                <span className={`provider-item-type mcp-state-${server.status.state}`}>{t(`mcp.state.${server.status.state}`)}</span>
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="add-provider"
          onClick={() => {
            setSelected(null);
            setForm(emptyForm());
            setError(null);
          }}
        >
          <span aria-hidden="true">+ </span>
          {t('mcp.add')}
        </button>
      </nav>
      <main className="provider-editor">
        {error && (
          <div className="banner banner-error" role="alert">
            <p>{errorText(t, error)}</p>
            {errorHint(t, error) ? <p className="banner-detail">{errorHint(t, error)}</p> : null}
          </div>
        )}
        {form ? (
          <McpServerForm
            key={selected ?? 'new'}
            form={form}
            onChange={setForm}
            view={view ?? null}
            saving={saving}
            onSave={() => void save()}
            onDelete={() => setConfirmDelete(true)}
            onRestart={() => view && void run(() => getApi().mcp.restart({ id: view.id }))}
          />
        ) : (
          <div className="settings-placeholder">
            <h2>{t('mcp.title')}</h2>
            <p>{t('mcp.intro')}</p>
          </div>
        )}
        {list && list.collisions && list.collisions.length > 0 && (
          <ul className="mcp-collisions">
            {list.collisions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        )}
        {list && list.alwaysAllowed.length > 0 && (
          <section className="mcp-allowed" aria-label={t('mcp.allowedTitle')}>
            <h3>{t('mcp.allowedTitle')}</h3>
            <ul>
              {list.alwaysAllowed.map((key) => {
                const [serverId, tool] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
                const server = list.servers.find((s) => s.id === serverId);
                return (
                  <li key={key}>
                    <span>{t('mcp.allowedItem', { tool, server: server?.name ?? serverId })}</span>{' '}
                    <button type="button" className="ghost small" onClick={() => void run(() => getApi().mcp.setAllowed({ key, allowed: false }))}>
                      {t('mcp.revoke')}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        )}
      </main>
      {confirmDelete && view && (
        <ConfirmDialog
          title={t('mcp.deleteTitle', { name: view.name })}
          onCancel={() => setConfirmDelete(false)}
          actions={[
            { label: t('mcp.delete'), variant: 'danger', onClick: () => void remove() },
            { label: t('common:actions.cancel'), initialFocus: true, onClick: () => setConfirmDelete(false) },
          ]}
        >
          <p>{t('mcp.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
