import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RetryReason } from '../../shared/models/chat-event';

interface Props {
  /** `Date.now()` at which the next attempt starts. */
  until: number;
  attempt: number;
  reason?: RetryReason | undefined;
}

/** "Rate limited, retrying in N s" (or "The server is unavailable…"), counting down. */
export function RetryCountdown({ until, attempt, reason }: Props) {
  const { t } = useTranslation('chat');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <p className="message-note retry-wait">
      {seconds > 0
        ? t('message.retryWait', { seconds, attempt, ...(reason === 'unavailable' ? { context: 'unavailable' } : {}) })
        : t('message.retrying', { attempt })}
    </p>
  );
}
