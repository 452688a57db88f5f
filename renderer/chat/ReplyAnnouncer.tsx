import { useTranslation } from 'react-i18next';
import { errorText } from '../lib/error-text';
import { useChatStore } from '../stores/chat-store';

/**
 * The message list's live region. Screen readers hear each reply once, when it completes, stops or fails,
 * instead of every streamed token (and not the messages the virtualised list adds while scrolling).
 */
export function ReplyAnnouncer({ conversationId }: { conversationId: string | null }) {
  const { t } = useTranslation('chat');
  const finished = useChatStore((s) => s.lastFinished);
  let text = '';
  if (finished && finished.conversationId === conversationId) {
    if (finished.status === 'complete') text = t('announce.complete', { preview: finished.preview });
    else if (finished.status === 'stopped') text = t('announce.stopped');
    else text = t('announce.failed', { error: finished.error ? errorText(t, finished.error) : t('message.failedUnknown') });
  }
  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-atomic="true">
      {/* Keyed by the reply so the same words for two replies are announced twice. */}
      {text && <p key={finished?.seq}>{text}</p>}
    </div>
  );
}
