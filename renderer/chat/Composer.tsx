import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { promptMatches, type Prompt } from '../../shared/models/prompts';
import { useSavedPrompt } from '../components/use-saved-prompt';
import { usePrompts } from '../stores/prompts-store';
import { SLASH_LIST_ID, SlashPromptList, slashOptionId } from './prompts/SlashPromptList';
import { chatStore, useChatStore } from '../stores/chat-store';
import { Icon } from './icons';
import { MessageError } from './MessageError';
import { AttachButton } from './attachments/AttachButton';
import { AttachmentChips } from './attachments/AttachmentChips';
import { useFileDrop } from './attachments/use-file-drop';
import { useWindowPaste } from './attachments/use-window-paste';
import { filesToAttach } from './attachments/pasted-files';
import {
  addFiles,
  clearAttachments,
  dismissNotice,
  moveAttachments,
  useAttachmentDrafts,
  type PendingAttachment,
} from '../stores/attachment-drafts-store';

const NO_ATTACHMENTS: PendingAttachment[] = [];

/** Draft key for text typed before any conversation exists. */
export const NEW_CONVERSATION_DRAFT = '';
export const COMPOSER_INPUT_ID = 'composer-input';
/** The longest message `chat:send` accepts (its schema in shared/ipc/contract.ts). */
const MAX_MESSAGE_LENGTH = 1_000_000;
/** The `/` list shows at most this many prompts (typing narrows it). */
const SLASH_LIST_MAX = 8;

/** What follows a `/` that starts the text (on its first line only), or null when the list does not apply. */
function slashQuery(draft: string): string | null {
  return draft.startsWith('/') && !draft.includes('\n') ? draft.slice(1) : null;
}

interface Props {
  conversationId: string | null;
  /** Creates a conversation for the first message when none is open; null when that failed. */
  ensureConversation: () => Promise<string | null>;
  /** Sending is impossible right now (no provider configured); typing still works. */
  sendBlocked: boolean;
}

/**
 * Enter sends, Shift+Enter adds a line, and the box grows with the text (CSS `field-sizing`). While a reply
 * streams here the button becomes Stop; other conversations keep their own composer state and stay usable.
 */
export function Composer({ conversationId, ensureConversation, sendBlocked }: Props) {
  const { t, i18n } = useTranslation('chat');
  const key = conversationId ?? NEW_CONVERSATION_DRAFT;
  const draft = useChatStore((s) => s.drafts[key] ?? '');
  const streaming = useChatStore((s) => (conversationId ? s.conversations[conversationId]?.stream != null : false));
  const busy = useChatStore((s) => (conversationId ? (s.conversations[conversationId]?.busy ?? false) : false));
  const actionError = useChatStore((s) => (conversationId ? (s.conversations[conversationId]?.actionError ?? null) : null));
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const attachments = useAttachmentDrafts((s) => s.drafts[key] ?? NO_ATTACHMENTS);
  const attachNotice = useAttachmentDrafts((s) => s.notice[key] ?? null);
  const dragging = useFileDrop((files) => addFiles(key, files));
  useWindowPaste((files) => addFiles(key, files));
  const prompts = usePrompts((s) => s.prompts);
  // Esc closes the `/` list for this `/…` text; it opens again once the text no longer starts with `/`.
  const [slashClosed, setSlashClosed] = useState(false);
  const [slashActive, setSlashActive] = useState(0);
  const query = slashQuery(draft);
  const slashOpen = query !== null && !slashClosed && prompts.length > 0;
  const matches = slashOpen ? prompts.filter((p) => promptMatches(p, query)).slice(0, SLASH_LIST_MAX) : [];
  const active = Math.min(slashActive, Math.max(0, matches.length - 1));
  const savedPrompt = useSavedPrompt((text) => {
    chatStore.getState().setDraft(key, text);
    inputRef.current?.focus();
  });
  const pick = (prompt: Prompt) => {
    setSlashClosed(true);
    savedPrompt.use(prompt);
  };

  // The conversation the user switched to is where they will type next.
  useEffect(() => {
    inputRef.current?.focus();
  }, [conversationId]);

  const tooLong = draft.length > MAX_MESSAGE_LENGTH;
  const ready = attachments.filter((a) => a.status === 'ready');
  const preparing = attachments.some((a) => a.status === 'preparing');
  const canSend = !streaming && !busy && !sendBlocked && !tooLong && !preparing && (draft.trim() !== '' || ready.length > 0);

  const submit = async () => {
    if (!canSend) return;
    const text = draft;
    const id = conversationId ?? (await ensureConversation());
    if (!id) return;
    const chat = chatStore.getState();
    if (id !== key) {
      chat.setDraft(id, text);
      chat.setDraft(key, '');
      moveAttachments(key, id);
    }
    const sending = ready.flatMap((a) => (a.ref ? [a.ref] : []));
    const sent = await chat.send(id, text, sending);
    // Clear only what was sent: the user may have typed on (or attached more) while the request was on its way.
    if (sent && (chatStore.getState().drafts[id] ?? '') === text) chatStore.getState().setDraft(id, '');
    if (sent) clearAttachments(id, new Set(ready.map((a) => a.localId)));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (slashOpen && !e.nativeEvent.isComposing) {
      if (e.key === 'Escape') {
        // Closes the list only; Esc does not also stop a streaming reply.
        e.preventDefault();
        e.stopPropagation();
        e.nativeEvent.stopImmediatePropagation();
        setSlashClosed(true);
        return;
      }
      if (matches.length > 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setSlashActive((active + step + matches.length) % matches.length);
        return;
      }
      if (matches.length > 0 && (e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.altKey) {
        e.preventDefault();
        pick(matches[active]!);
        return;
      }
    }
    // isComposing: Enter confirms an IME candidate (Chinese, Japanese input) and must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <div className="composer">
      {conversationId && actionError && (
        <MessageError
          className="composer-error"
          error={actionError}
          onDismiss={() => chatStore.getState().dismissActionError(conversationId)}
        />
      )}
      {attachNotice && (
        <MessageError className="composer-error" error={attachNotice} onDismiss={() => dismissNotice(key)} />
      )}
      <AttachmentChips draftKey={key} attachments={attachments} />
      {dragging && (
        <div className="drop-hint" role="status">
          {t('attachments.dropHere')}
        </div>
      )}
      {slashOpen && <SlashPromptList prompts={matches} active={active} onPick={pick} onHover={setSlashActive} />}
      <form
        className="composer-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <textarea
          id={COMPOSER_INPUT_ID}
          ref={inputRef}
          className="composer-input"
          rows={1}
          aria-label={t('composer.label')}
          aria-describedby="composer-help"
          placeholder={t('composer.placeholder')}
          value={draft}
          aria-autocomplete={slashOpen ? 'list' : undefined}
          aria-controls={slashOpen && matches.length > 0 ? SLASH_LIST_ID : undefined}
          aria-activedescendant={slashOpen && matches.length > 0 ? slashOptionId(active) : undefined}
          onChange={(e) => {
            setSlashActive(0);
            // A `/` typed anew (the text did not start with one) opens the list again.
            if (query === null || !e.target.value.startsWith('/')) setSlashClosed(false);
            chatStore.getState().setDraft(key, e.target.value);
          }}
          onKeyDown={onKeyDown}
          onPaste={(e) => {
            // Ctrl/Cmd+V of an image or a copied file attaches it; pasted text goes into the box as usual.
            const files = filesToAttach([...e.clipboardData.files], e.clipboardData.getData('text/plain'));
            if (files.length === 0) return;
            e.preventDefault();
            addFiles(key, files);
          }}
        />
        <AttachButton onFiles={(files) => addFiles(key, files)} />
        {streaming && conversationId ? (
          <button
            type="button"
            className="composer-button stop"
            aria-label={t('composer.stopLabel')}
            title={t('composer.stopLabel')}
            onClick={() => void chatStore.getState().stop(conversationId)}
          >
            <Icon name="stop" />
            <span>{t('composer.stop')}</span>
          </button>
        ) : (
          <button
            type="submit"
            className="composer-button primary"
            disabled={!canSend}
            aria-label={t('composer.sendLabel')}
            title={t('composer.sendLabel')}
          >
            <Icon name="send" />
            <span>{t('composer.send')}</span>
          </button>
        )}
      </form>
      <p id="composer-help" className={tooLong ? 'composer-help too-long' : 'composer-help'}>
        {tooLong
          ? t('composer.tooLong', {
              length: draft.length.toLocaleString(i18n.language),
              max: MAX_MESSAGE_LENGTH.toLocaleString(i18n.language),
            })
          : streaming
            ? t('composer.helpStreaming')
            : t('composer.help')}
      </p>
      {savedPrompt.dialog}
    </div>
  );
}
