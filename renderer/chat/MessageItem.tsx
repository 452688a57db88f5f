import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../shared/models/conversation';
import type { ActiveStream } from '../stores/chat-stream-reducer';
import { CopyButton } from './CopyButton';
import { MarkdownContent } from './markdown/MarkdownContent';
import { MessageEditor } from './MessageEditor';
import { MessageError } from './MessageError';
import { MessageAttachments } from './attachments/MessageAttachments';
import { ReplySettings } from './ReplySettings';
import { localizedRouteError, ReplyRouteLine } from './ReplyRouteLine';
import { RetryCountdown } from './RetryCountdown';
import { ThinkingBlock } from './ThinkingBlock';
import { splitThinkTags } from './think-tags';
import { TokenUsageLine } from './TokenUsageLine';
import { ToolRoundsView } from './tools/ToolRoundsView';

interface Props {
  message: Message;
  /** The conversation the message is in (tool call decisions name it). */
  conversationId?: string;
  /** The stream filling this message, when it is streaming now. */
  stream: ActiveStream | null;
  isLastUser: boolean;
  isLastReply: boolean;
  /** No reply streams and no request is on its way in this conversation. */
  idle: boolean;
  /** With `without`: "Send without it" for a parameter the server refused. */
  onRegenerate: (without?: string) => void;
  onEditAndResend: (messageId: string, text: string) => Promise<boolean>;
}

/** One message. Memoised: while a reply streams, only the streaming message renders again. */
export const MessageItem = memo(function MessageItem(props: Props) {
  return props.message.role === 'user' ? <UserMessage {...props} /> : <AssistantMessage {...props} />;
});

function UserMessage({ message, isLastUser, idle, onEditAndResend }: Props) {
  const { t } = useTranslation('chat');
  const [editing, setEditing] = useState(false);
  return (
    <article className="message message-user" aria-label={t('message.fromYou')}>
      {editing ? (
        <MessageEditor
          initialText={message.content}
          allowEmpty={(message.attachments?.length ?? 0) > 0}
          onCancel={() => setEditing(false)}
          onSubmit={async (text) => {
            const ok = await onEditAndResend(message.id, text);
            if (ok) setEditing(false);
            return ok;
          }}
        />
      ) : (
        <>
          {message.attachments && message.attachments.length > 0 && <MessageAttachments attachments={message.attachments} />}
          {(message.content !== '' || !message.attachments?.length) && <div className="message-bubble user-text">{message.content}</div>}
          <div className="message-actions">
            <CopyButton text={message.content} label={t('message.copy')} />
            {isLastUser && (
              <button type="button" className="ghost small" disabled={!idle} onClick={() => setEditing(true)}>
                {t('message.edit')}
              </button>
            )}
          </div>
        </>
      )}
    </article>
  );
}

function AssistantMessage({ message, conversationId, stream, isLastReply, idle, onRegenerate }: Props) {
  const { t } = useTranslation('chat');
  const live = stream !== null;
  const split = message.reasoning
    ? { answer: message.content, thinking: message.reasoning, thinkingOpen: live && !message.content }
    : splitThinkTags(message.content);
  const answer = split.answer;
  const finishNote =
    message.finishReason === 'length' && message.error?.code !== 'CUT_OFF_LENGTH'
      ? t('message.cutOff')
      : message.finishReason === 'content_filter' && message.error?.code !== 'CONTENT_FILTERED'
        ? t('message.contentFiltered')
        : null;

  return (
    <article
      className={`message message-assistant status-${message.status}`}
      aria-label={t('message.fromAssistant', { model: message.model || t('message.assistant') })}
      aria-busy={live}
    >
      <div className="message-meta">
        <span className="message-author">{message.model || t('message.assistant')}</span>
        {message.status === 'stopped' && <span className="badge badge-stopped">{t('message.stopped')}</span>}
      </div>
      {message.toolNotice && <p className="message-note tool-notice">{message.toolNotice}</p>}
      {split.thinking !== null && split.thinking !== '' && (
        <ThinkingBlock text={split.thinking} active={live && split.thinkingOpen} />
      )}
      {message.toolRounds && message.toolRounds.length > 0 ? (
        <ToolRoundsView content={message.content} rounds={message.toolRounds} live={live} conversationId={conversationId ?? ''} />
      ) : (
        answer !== '' && <MarkdownContent text={answer} streaming={live} />
      )}
      {live && answer === '' && !message.toolRounds?.length && !stream.retryWait && (
        <p className="typing" aria-hidden="true">
          <span />
          <span />
          <span />
        </p>
      )}
      {live && stream.statusLine && <p className="message-note status-line">{stream.statusLine.text}</p>}
      {live && stream.retryWait && (
        <RetryCountdown until={stream.retryWait.until} attempt={stream.retryWait.attempt} reason={stream.retryWait.reason} />
      )}
      {message.annotations && message.annotations.length > 0 && (
        <ul className="annotations" aria-label={t('message.sources')}>
          {message.annotations.map((a, i) => (
            <li key={`${a.fileId}-${i}`}>
              <span className="annotation-marker">{a.text}</span> {a.quote ? `“${a.quote}”` : a.fileId}
            </li>
          ))}
        </ul>
      )}
      {message.status === 'failed' && (
        <MessageError
          error={localizedRouteError(message.error, message.route, t)}
          onRetry={isLastReply && idle ? () => onRegenerate() : undefined}
          onSendWithout={isLastReply && idle ? (parameter) => onRegenerate(parameter) : undefined}
        />
      )}
      {message.status !== 'failed' && message.error && <MessageError error={message.error} />}
      {finishNote && <p className="message-note finish-note">{finishNote}</p>}
      {message.unsaved && (
        <p className="message-note unsaved-note" role="status">
          {t(message.unsaved === 'disk-full' ? 'message.notSavedDiskFull' : 'message.notSaved')}
        </p>
      )}
      {message.route && <ReplyRouteLine route={message.route} />}
      {!live && <ReplySettings message={message} />}
      {!live && (
        <div className="message-actions">
          {message.usage && <TokenUsageLine usage={message.usage} />}
          {message.content !== '' && <CopyButton text={answer} label={t('message.copy')} />}
          {isLastReply && message.status !== 'failed' && (
            <button type="button" className="ghost small" disabled={!idle} onClick={() => onRegenerate()}>
              {t('message.regenerate')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
