import { useTranslation } from 'react-i18next';
import { errorHint, errorText } from '../lib/error-text';
import type { AppError } from '../../shared/result';
import type { TestState } from './use-connection-check';

/** The result of Test Connection, inside a live region that is always in the page so it is announced. */
export function TestOutcome({ state }: { state: TestState }) {
  const { t } = useTranslation('settings');
  let content = null;
  if (state.state === 'ok') {
    const r = state.result;
    let text: string;
    if (r.method === 'assistant' && r.assistant) {
      const name = r.assistant.name ?? r.assistant.id;
      text = r.assistant.model ? t('test.okAssistant', { name, model: r.assistant.model }) : t('test.okAssistantNoModel', { name });
    } else if (r.method === 'responses' && r.responses) {
      text = t('test.okResponses', { model: r.responses.model });
    } else if (r.method === 'completion') {
      text = t('test.okCompletion');
    } else {
      const count = r.modelCount ?? r.models?.length ?? 0;
      text = count === 0 ? t('test.okNoModels') : t('test.okModels', { count });
    }
    content = (
      <div className="banner banner-success">
        <p>{text}</p>
        {r.keyResults ? (
          <ul className="key-results">
            {r.keyResults.map((k) => (
              <li key={k.keyId} className={k.ok ? 'key-ok' : 'key-failed'}>
                {k.ok
                  ? t('test.keyOk', { key: [k.label, k.hint].filter(Boolean).join(' ') })
                  : t('test.keyFailed', { key: [k.label, k.hint].filter(Boolean).join(' '), error: k.error ? errorText(t, { code: k.error.code as AppError['code'], message: k.error.message, ...(k.error.params ? { params: k.error.params } : {}) }) : '' })}
              </li>
            ))}
          </ul>
        ) : null}
        {r.warnings.map((w) => (
          <p key={w.code} className="banner-detail">
            {t(`test.warnings.${w.code}`, { ...w.params, defaultValue: w.message })}
          </p>
        ))}
      </div>
    );
  } else if (state.state === 'error') {
    const hint = errorHint(t, state.error);
    const perKey = typeof state.error.params?.failedKeys === 'number' ? keyFailures(state.error) : [];
    content = (
      <div className="banner banner-error" role="alert">
        {perKey.length > 0 ? (
          <>
            <p>{t('test.allKeysFailed', { count: perKey.length })}</p>
            <ul className="key-results">
              {perKey.map((k) => (
                <li key={k.row} className="key-failed">
                  {t('test.keyFailed', { key: k.key, error: errorText(t, k.error) })}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{errorText(t, state.error)}</p>
        )}
        {hint ? <p className="banner-detail">{hint}</p> : null}
      </div>
    );
  }
  return (
    <div className="test-outcome" aria-live="polite">
      {content}
    </div>
  );
}

/** What each key of a pool got when none worked (`keys.<row>` of the error, see routing/key-tests.ts). */
function keyFailures(error: AppError): { row: number; key: string; error: AppError }[] {
  return Object.entries(error.fields ?? {})
    .map(([field, issue]) => ({ row: Number(/^keys\.(\d+)$/.exec(field)?.[1] ?? Number.NaN), issue }))
    .filter(({ row }) => Number.isInteger(row))
    .sort((a, b) => a.row - b.row)
    .map(({ row, issue }) => {
      const { keyLabel, keyHint, ...params } = issue.params ?? {};
      return {
        row,
        key: [keyLabel, keyHint].filter((v) => typeof v === 'string' && v !== '').join(' ') || String(row + 1),
        error: { code: issue.code as AppError['code'], message: issue.message, params },
      };
    });
}
