import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/models/conversation';
import type { McpServerView } from '../../../shared/models/tools';
import type { AppError } from '../../../shared/result';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { callApi, getApi } from '../../lib/api';
import { errorText } from '../../lib/error-text';

interface Props {
  summary: ConversationSummary;
  onClose: () => void;
}

/** Which MCP servers' tools this conversation offers its model (`conversations:setTools`). */
export function ConversationToolsDialog({ summary, onClose }: Props) {
  const { t } = useTranslation('chat');
  const [servers, setServers] = useState<McpServerView[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(summary.tools?.serverIds ?? []));
  const [disabled, setDisabled] = useState<Set<string>>(() => new Set(summary.tools?.disabledTools ?? []));
  const [approvals, setApprovals] = useState<string[]>(() => summary.toolApprovals ?? []);
  const toggle = (set: (update: (current: Set<string>) => Set<string>) => void, key: string, on: boolean) =>
    set((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let alive = true;
    void callApi(() => getApi().mcp.list()).then((result) => {
      if (!alive) return;
      if (result.ok) setServers(result.value.servers);
      else setError(result.error);
    });
    return () => {
      alive = false;
    };
  }, []);

  const save = async () => {
    const result = await callApi(() => getApi().conversations.setTools({ id: summary.id, serverIds: [...chosen], disabledTools: [...disabled], toolApprovals: approvals }));
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <ConfirmDialog
      title={t('tools.chooseTitle')}
      onCancel={onClose}
      actions={[
        { label: t('tools.save'), variant: 'primary', onClick: () => void save(), disabled: servers === null },
        { label: t('tools.cancel'), initialFocus: true, onClick: onClose },
      ]}
    >
      <p className="field-hint">{t('tools.chooseHint')}</p>
      {servers !== null && servers.length === 0 && <p>{t('tools.noServers')}</p>}
      {servers !== null && servers.length > 0 && (
        <ul className="tool-server-choices">
          {servers.map((server) => (
            <li key={server.id}>
              <label>
                <input type="checkbox" checked={chosen.has(server.id)} onChange={(e) => toggle(setChosen, server.id, e.target.checked)} />
                <span>{server.name}</span>{' '}
                <span className="field-hint">
                  {server.status.state === 'ready' ? t('tools.serverTools', { count: server.status.tools.length }) : t('tools.notRunning')}
                </span>
              </label>
              {chosen.has(server.id) && server.status.state === 'ready' && server.status.tools.length > 0 && (
                <ul className="tool-choices" aria-label={t('tools.toolsOf', { server: server.name })}>
                  {server.status.tools.map((tool) => {
                    const key = `${server.id}/${tool.name}`;
                    return (
                      <li key={key}>
                        <label title={tool.description}>
                          <input type="checkbox" checked={!disabled.has(key)} onChange={(e) => toggle(setDisabled, key, !e.target.checked)} />{' '}
                          <code>{tool.name}</code>
                        </label>
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {approvals.length > 0 && (
        <section aria-label={t('tools.allowedHere')}>
          <p>{t('tools.allowedHere')}</p>
          <ul className="tool-server-choices">
            {approvals.map((key) => {
              const serverId = key.slice(0, key.indexOf('/'));
              const tool = key.slice(key.indexOf('/') + 1);
              const server = servers?.find((s) => s.id === serverId)?.name ?? serverId;
              return (
                <li key={key}>
                  <code>{tool}</code> {t('tools.onServer', { server })}{' '}
                  <button type="button" className="ghost small" onClick={() => setApprovals((list) => list.filter((k) => k !== key))}>
                    {t('tools.revoke')}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {error && <p role="alert">{errorText(t, error)}</p>}
    </ConfirmDialog>
  );
}
