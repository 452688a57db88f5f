import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import type { AppError } from '../../shared/result';
import { NoticeBanner } from '../components/NoticeBanner';
import { getApi } from '../lib/api';
import { chatStore, useChatStore } from '../stores/chat-store';
import { conversationsStore, useConversationsStore } from '../stores/conversations-store';
import { startProvidersSync, useProvidersStore } from '../stores/providers-store';
import { prepareActivityLabels } from './activity-label';
import { ChatHeader } from './ChatHeader';
import { Composer, COMPOSER_INPUT_ID, NEW_CONVERSATION_DRAFT } from './Composer';
import { ConversationSidebar } from './ConversationSidebar';
import { DeleteConversationDialog, remoteFailureNote, remoteStateKind } from './DeleteConversationDialog';
import { MessageError } from './MessageError';
import { MessageList } from './MessageList';
import { NoProviderNotice } from './NoProviderNotice';
import { ReplyAnnouncer } from './ReplyAnnouncer';
import { ChatTools } from './archive/ChatTools';
import { SearchDialog } from './search/SearchDialog';
import './chat.css';

function focusComposer() {
  document.getElementById(COMPOSER_INPUT_ID)?.focus();
}

/** The Chat window: conversation list, the open conversation, and the composer. */
export function ChatApp() {
  const { t, i18n } = useTranslation('chat');
  const activeId = useConversationsStore((s) => s.activeId);
  const listStatus = useConversationsStore((s) => s.status);
  const listError = useConversationsStore((s) => s.loadError);
  const summary = useConversationsStore((s) => s.summaries.find((c) => c.id === s.activeId) ?? null);
  const providers = useProvidersStore((s) => s.providers);
  const providersStatus = useProvidersStore((s) => s.status);
  const conv = useChatStore((s) => (activeId ? s.conversations[activeId] : undefined));
  const [pendingDelete, setPendingDelete] = useState<ConversationSummary | null>(null);
  const [appError, setAppError] = useState<AppError | null>(null);
  const [appNote, setAppNote] = useState<string | null>(null);
  const [searchOpen, setSearchOpen] = useState(false);
  const noProvider = providersStatus === 'ready' && providers.length === 0;

  // One creation at a time: Enter pressed while New chat is still on its way must not make a second one.
  const creating = useRef<Promise<string | null> | null>(null);
  const newChat = useCallback((): Promise<string | null> => {
    const { activeId: current, summaries } = conversationsStore.getState();
    const open = summaries.find((s) => s.id === current);
    const openChat = current ? chatStore.getState().conversations[current] : undefined;
    // An empty conversation is already a new chat: reuse it instead of piling up empty ones.
    if (open && open.messageCount === 0 && openChat?.loadStatus === 'ready' && openChat.messages.length === 0) {
      focusComposer();
      return Promise.resolve(open.id);
    }
    if (creating.current) return creating.current;
    // Show the new chat at once: what the user types while it is being created goes into its draft.
    conversationsStore.getState().setActive(null);
    focusComposer();
    const run = async () => {
      const result = await conversationsStore
        .getState()
        .create(open?.providerId ? { providerId: open.providerId, model: open.model } : undefined);
      if (!result.ok) {
        setAppError(result.error);
        return null;
      }
      const id = result.value.id;
      const chat = chatStore.getState();
      chat.seed(result.value);
      const typed = chat.drafts[NEW_CONVERSATION_DRAFT];
      if (typed) {
        chat.setDraft(id, typed);
        chat.setDraft(NEW_CONVERSATION_DRAFT, '');
      }
      // Unless the user went to another conversation meanwhile.
      if (conversationsStore.getState().activeId === null) conversationsStore.getState().setActive(id);
      return id;
    };
    creating.current = run().finally(() => {
      creating.current = null;
    });
    return creating.current;
  }, []);

  // Load the list, follow main's pushes, and keep the provider list live.
  useEffect(() => {
    const api = getApi();
    const unsubscribe = [
      startProvidersSync(),
      chatStore.startSync(),
      api.on('conversations:changed', (change) => {
        conversationsStore.getState().apply(change);
        chatStore.getState().conversationChanged(change);
      }),
      api.on('app:command', ({ command }) => {
        if (command === 'new-chat') void newChat();
        else void api.app.openSettings();
      }),
    ];
    // Main holds menu commands (New Chat) until this window listens for them.
    void api.app.windowReady();
    void conversationsStore.getState().load();
    prepareActivityLabels(i18n.language);
    return () => unsubscribe.forEach((stop) => stop());
  }, [newChat, i18n]);

  // The open conversation: read it (and re-attach to a reply still streaming), again if another window changed it.
  const stale = conv?.stale ?? false;
  const opened = useRef(false);
  useEffect(() => {
    if (!activeId) return;
    if (opened.current) {
      void chatStore.getState().open(activeId);
      return;
    }
    // At start-up the conversation is asked for just before the first frame, so the list (which arrived
    // in the same moment) is painted before the messages are read and rendered.
    opened.current = true;
    const frame = requestAnimationFrame(() => void chatStore.getState().open(activeId));
    return () => cancelAnimationFrame(frame);
  }, [activeId, stale]);

  useEffect(() => {
    document.title = summary?.title ? `${summary.title} — ${t('common:appName')}` : t('common:appName');
  }, [summary?.title, t]);

  // Window-wide shortcuts: Ctrl/Cmd+N new chat, Ctrl/Cmd+, Settings, Esc stops the reply streaming here.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      // Search everywhere: Ctrl/Cmd+K, or Ctrl/Cmd+Shift+F.
      if (mod && !e.altKey && ((!e.shiftKey && e.key.toLowerCase() === 'k') || (e.shiftKey && e.key.toLowerCase() === 'f'))) {
        e.preventDefault();
        setSearchOpen(true);
      } else if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        void newChat();
      } else if (mod && !e.altKey && e.key === ',') {
        e.preventDefault();
        void getApi().app.openSettings();
      } else if (e.key === 'Escape' && !e.defaultPrevented && !e.isComposing) {
        // Esc inside a dialog closes the dialog; it does not stop a reply behind it.
        if (e.target instanceof Element && e.target.closest('dialog')) return;
        const id = conversationsStore.getState().activeId;
        if (id && chatStore.getState().conversations[id]?.stream) {
          e.preventDefault();
          void chatStore.getState().stop(id);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newChat]);

  const select = useCallback((id: string) => conversationsStore.getState().setActive(id), []);
  const rename = useCallback(async (id: string, title: string) => {
    const result = await conversationsStore.getState().rename(id, title);
    if (!result.ok) setAppError(result.error);
    return result.ok;
  }, []);

  const confirmDelete = async (target: ConversationSummary, deleteRemoteThread: boolean) => {
    setPendingDelete(null);
    const wasActive = conversationsStore.getState().activeId === target.id;
    if (chatStore.getState().conversations[target.id]?.stream) await chatStore.getState().stop(target.id);
    const result = await conversationsStore.getState().remove(target.id, deleteRemoteThread);
    if (!result.ok) {
      setAppError(result.error);
      return;
    }
    chatStore.getState().conversationChanged({ deletedId: target.id });
    if (deleteRemoteThread && !result.value.remoteThreadDeleted) {
      const kind = remoteStateKind(target, providers);
      setAppNote(remoteFailureNote(t, kind, result.value.remoteError));
    }
    if (wasActive) focusComposer();
  };

  const ensureConversation = useCallback(async () => {
    return conversationsStore.getState().activeId ?? (await newChat());
  }, [newChat]);

  return (
    <div className="app chat-app">
      <ConversationSidebar onNewChat={() => void newChat()} onSelect={select} onRename={rename} onDelete={setPendingDelete} />
      <main className="chat-main">
        <NoticeBanner />
        <ChatHeader summary={summary} providers={providers} />
        <ChatTools conversationId={activeId} onSearch={() => setSearchOpen(true)} />
        {appError && (
          <MessageError className="app-error" error={appError} onDismiss={() => setAppError(null)} />
        )}
        {appNote && (
          <div className="app-note" role="status">
            <p>{appNote}</p>
            <button type="button" className="ghost" onClick={() => setAppNote(null)}>
              {t('error.dismiss')}
            </button>
          </div>
        )}
        {noProvider && <NoProviderNotice />}
        <section className="conversation-view" aria-label={t('messages.section')}>
          {listStatus === 'error' ? (
            <MessageError
              className="load-error"
              error={listError}
              onRetry={() => void conversationsStore.getState().load()}
            />
          ) : !activeId ? (
            listStatus === 'ready' && !noProvider && <p className="empty-state">{t('messages.start')}</p>
          ) : conv?.loadStatus === 'error' ? (
            <MessageError
              className="load-error"
              error={conv.loadError}
              onRetry={() => void chatStore.getState().open(activeId, { force: true })}
            />
          ) : conv?.loadStatus === 'ready' ? (
            conv.messages.length === 0 ? (
              !noProvider && <p className="empty-state">{t('messages.empty')}</p>
            ) : (
              <MessageList key={activeId} conversationId={activeId} />
            )
          ) : (
            <p className="empty-state" role="status">
              {t('common:loading')}
            </p>
          )}
          <ReplyAnnouncer conversationId={activeId} />
        </section>
        <Composer conversationId={activeId} ensureConversation={ensureConversation} sendBlocked={noProvider} />
      </main>
      {searchOpen && <SearchDialog onClose={() => setSearchOpen(false)} />}
      {pendingDelete && (
        <DeleteConversationDialog
          summary={pendingDelete}
          onCancel={() => setPendingDelete(null)}
          onConfirm={(remote) => void confirmDelete(pendingDelete, remote)}
        />
      )}
    </div>
  );
}
