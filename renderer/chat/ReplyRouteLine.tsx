import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ReplyRoute, RouteAttempt } from '../../shared/models/conversation';
import type { AppError } from '../../shared/result';

function who(attempt: Pick<RouteAttempt, 'providerName' | 'model' | 'keyLabel' | 'keyHint'>, t: TFunction<'chat'>): string {
  const model = attempt.model || t('route.defaultModel');
  const key = attempt.keyHint ? [attempt.keyLabel, attempt.keyHint].filter(Boolean).join(' ') : '';
  return key ? t('route.whoWithKey', { provider: attempt.providerName, model, key }) : t('route.who', { provider: attempt.providerName, model });
}

function attemptText(a: RouteAttempt, t: TFunction<'chat'>): string {
  return t('route.attempt', { who: who(a, t), reason: t(`route.reasons.${a.reason}`, { until: a.until ? new Date(a.until).toLocaleTimeString() : '' }) });
}

/**
 * "No provider could answer. Tried: …" in the window's language: main's sentence lists the attempts in
 * English, the reply's route has them as data.
 */
export function localizedRouteError(error: AppError | undefined, route: ReplyRoute | undefined, t: TFunction<'chat'>): AppError | undefined {
  if (!error || error.code !== 'ALL_ROUTES_FAILED' || !route?.exhausted) return error;
  return { ...error, params: { ...error.params, tried: route.attempts.map((a) => attemptText(a, t)).join(t('route.separator')) } };
}

/**
 * Who answered a reply when there was a choice (several keys, or fallbacks): "Answered by Provider · model,
 * key …abcd", and, folded, what was tried before and why it was passed over.
 */
export function ReplyRouteLine({ route }: { route: ReplyRoute }) {
  const { t } = useTranslation('chat');
  const line = route.exhausted ? t('route.exhausted') : route.failed ? t('route.askedLast', { who: who(route, t) }) : t('route.answeredBy', { who: who(route, t) });
  return (
    <div className="reply-route">
      {route.attempts.length === 0 ? (
        <p className="message-note route-line">{line}</p>
      ) : (
        <details className="route-details">
          <summary className="message-note route-line">
            {route.exhausted ? line : `${line} ${t('route.triedCount', { count: route.attempts.length })}`}
          </summary>
          <ol className="route-attempts">
            {route.attempts.map((a, i) => (
              <li key={i}>{attemptText(a, t)}</li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
