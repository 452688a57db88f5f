import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ToolCallRecord, ToolDecision } from '../../../shared/models/tools';
import type { AppError } from '../../../shared/result';
import { callApi, getApi } from '../../lib/api';
import { errorText } from '../../lib/error-text';

interface Props {
  call: ToolCallRecord;
  live: boolean;
  conversationId: string;
}

/** Arguments as the model wrote them, indented when they are JSON. */
function prettyArguments(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/**
 * One tool call: the tool, its server and arguments; while it waits, the user's choices; after it ran, its
 * result collapsed (plain text, never HTML).
 */
export function ToolCallCard({ call, live, conversationId }: Props) {
  const { t } = useTranslation('chat');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const waiting = live && call.state === 'pending';
  // A reply that ended (stopped, or the app quit) with a call still open: that call never finished.
  const state = !live && (call.state === 'pending' || call.state === 'running') ? 'cancelled' : call.state;

  const decide = async (decision: ToolDecision) => {
    setSending(true);
    setError(null);
    const result = await callApi(() => getApi().chat.decideTool({ conversationId, callId: call.id, decision }));
    setSending(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <section className={`tool-call tool-call-${state}`} aria-label={t('tools.card', { tool: call.tool })}>
      <header className="tool-call-header">
        <span className="tool-call-name">{call.tool}</span>
        {call.serverName && <span className="tool-call-server">{t('tools.onServer', { server: call.serverName })}</span>}
        <span className="tool-call-state">{t(`tools.state.${state}`)}</span>
      </header>
      <details className="tool-call-arguments" open={waiting}>
        <summary>{t('tools.arguments')}</summary>
        <pre>{prettyArguments(call.arguments)}</pre>
      </details>
      {waiting && (
        <div className="tool-call-actions" role="group" aria-label={t('tools.decide')}>
          <button type="button" className="primary" disabled={sending} onClick={() => void decide('once')}>
            {t('tools.allowOnce')}
          </button>
          <button type="button" disabled={sending} onClick={() => void decide('always-conversation')}>
            {t('tools.alwaysConversation')}
          </button>
          <button type="button" disabled={sending} onClick={() => void decide('always-global')}>
            {t('tools.alwaysGlobal')}
          </button>
          <button type="button" className="danger" disabled={sending} onClick={() => void decide('deny')}>
            {t('tools.deny')}
          </button>
        </div>
      )}
      {error && (
        <p className="tool-call-message" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {call.message && call.state !== 'done' && <p className="tool-call-message">{call.message}</p>}
      {call.result !== undefined && (
        <details className="tool-call-result">
          <summary>{t('tools.result', { count: call.result.length })}</summary>
          <pre>{call.result}</pre>
        </details>
      )}
    </section>
  );
}
