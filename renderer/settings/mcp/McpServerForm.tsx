import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { McpServerView } from '../../../shared/models/tools';
import type { McpForm } from './mcp-draft';

interface Props {
  form: McpForm;
  onChange: (form: McpForm) => void;
  view: McpServerView | null;
  saving: boolean;
  onSave: () => void;
  onDelete: () => void;
  onRestart: () => void;
}

/** One MCP server: how it is reached (a command or a URL), its status and its tools. */
export function McpServerForm({ form, onChange, view, saving, onSave, onDelete, onRestart }: Props) {
  const { t } = useTranslation('settings');
  const id = useId();
  const set = <K extends keyof McpForm>(key: K, value: McpForm[K]) => onChange({ ...form, [key]: value });
  const field = (key: 'name' | 'command' | 'cwd' | 'url', label: string, placeholder?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type="text" value={form[key]} placeholder={placeholder} spellCheck={false} onChange={(e) => set(key, e.target.value)} />
    </div>
  );
  const area = (key: 'args' | 'env' | 'headers', label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <textarea id={`${id}-${key}`} rows={3} className="mcp-textarea" value={form[key]} spellCheck={false} onChange={(e) => set(key, e.target.value)} />
      <p className="field-note">{hint}</p>
    </div>
  );
  const status = view?.status;

  return (
    <form
      className="provider-form mcp-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <h2>{view ? view.name : t('mcp.newServer')}</h2>
      {status && (
        <p className={`mcp-status mcp-state-${status.state}`} role="status">
          {status.state === 'ready' ? t('mcp.readyWith', { count: status.tools.length }) : t(`mcp.state.${status.state}`)}
          {status.message ? ` — ${status.message}` : ''}
        </p>
      )}
      {field('name', t('mcp.name'))}
      <div className="field mcp-enabled">
        <label>
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {t('mcp.enabled')}
        </label>
      </div>
      <fieldset className="field mcp-transport">
        <legend>{t('mcp.transport')}</legend>
        <label>
          <input type="radio" name={`${id}-transport`} checked={form.transport === 'stdio'} onChange={() => set('transport', 'stdio')} /> {t('mcp.stdio')}
        </label>{' '}
        <label>
          <input type="radio" name={`${id}-transport`} checked={form.transport === 'http'} onChange={() => set('transport', 'http')} /> {t('mcp.http')}
        </label>
      </fieldset>
      {form.transport === 'stdio' ? (
        <>
          {field('command', t('mcp.command'), 'npx')}
          {area('args', t('mcp.args'), t('mcp.argsHint'))}
          {field('cwd', t('mcp.cwd'))}
          {area('env', t('mcp.env'), t('mcp.envHint'))}
        </>
      ) : (
        <>
          {field('url', t('mcp.url'), 'http://127.0.0.1:3000/mcp')}
          {area('headers', t('mcp.headers'), t('mcp.headersHint'))}
        </>
      )}
      <div className="form-footer">
        {view && (
          <button type="button" className="danger" onClick={onDelete}>
            {t('mcp.delete')}
          </button>
        )}
        {view && (
          <button type="button" disabled={!view.enabled} onClick={onRestart}>
            {t('mcp.restart')}
          </button>
        )}
        <span className="spacer" />
        <button type="submit" className="primary" disabled={saving}>
          {t('mcp.save')}
        </button>
      </div>
      {status && status.tools.length > 0 && (
        <section className="mcp-tools" aria-label={t('mcp.tools')}>
          <h3>{t('mcp.tools')}</h3>
          <dl>
            {status.tools.map((tool) => (
              <div key={tool.name}>
                <dt>{tool.name}</dt>
                <dd>{tool.description}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </form>
  );
}
