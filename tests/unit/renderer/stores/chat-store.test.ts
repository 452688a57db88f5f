import { describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../../../shared/models/chat-event';
import type { Conversation, ConversationPage, Message } from '../../../../shared/models/conversation';
import type { SwitchboardApi } from '../../../../shared/ipc/window-api';
import type { Result } from '../../../../shared/result';
import { createChatStore } from '../../../../renderer/stores/chat-store';
import { applyStreamEvents, emptyConversationChat, type ConversationChat } from '../../../../renderer/stores/chat-stream-reducer';

const NOW = 1_000_000;

function message(id: string, role: Message['role'], content = '', status: Message['status'] = 'complete'): Message {
  return { id, role, content, status, createdAt: '2026-01-01T00:00:00.000Z' };
}

function event(messageId: string, patch: Partial<ChatStreamEvent> = {}): ChatStreamEvent {
  return { streamId: 's1', conversationId: 'c1', messageId, ...patch };
}

function conversation(messages: Message[], streamFor: string | null = null): ConversationChat {
  return {
    ...emptyConversationChat('c1', 'ready'),
    messages,
    stream: streamFor ? { streamId: 's1', messageId: streamFor, statusLine: null, retryWait: null } : null,
  };
}

type ChatApi = Pick<SwitchboardApi, 'chat' | 'conversations'>;
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** The window API as the preload gives it, answering from a script (the Electron edge of the renderer). */
function fakeApi(overrides: { [K in keyof ChatApi['chat']]?: ChatApi['chat'][K] } & {
  get?: ChatApi['conversations']['get'];
  messages?: ChatApi['conversations']['messages'];
}): ChatApi {
  const missing = () => Promise.reject(new Error('not scripted'));
  return {
    chat: {
      send: overrides.send ?? missing,
      stop: overrides.stop ?? (() => Promise.resolve(ok({ stopped: true }))),
      regenerate: overrides.regenerate ?? missing,
      sendWithout: missing,
      decideTool: missing,
      editAndResend: overrides.editAndResend ?? missing,
      attach: overrides.attach ?? (() => Promise.resolve(ok({ active: null }))),
    },
    conversations: {
      get: overrides.get ?? missing,
      messages: overrides.messages ?? missing,
      list: missing,
      create: missing,
      rename: missing,
      setTools: missing,
      setProvider: missing,
      setSettings: missing,
      setFallbacks: missing,
      delete: missing,
    },
  };
}

function storeWith(api: ChatApi) {
  const flushes: (() => void)[] = [];
  const store = createChatStore(() => api, { schedule: (flush) => flushes.push(flush), now: () => NOW });
  return { store, runFrame: () => flushes.splice(0).forEach((f) => f()) };
}

describe('applyStreamEvents', () => {
  it('appends deltas to the streaming message only, copying the list once', () => {
    const before = conversation([message('u1', 'user', 'hi'), message('a1', 'assistant', '', 'streaming')], 'a1');
    const { conv, finished } = applyStreamEvents(
      before,
      [event('a1', { contentDelta: 'Hel' }), event('a1', { contentDelta: 'lo', reasoningDelta: 'hm' })],
      NOW,
    );
    expect(conv.messages[1]).toMatchObject({ content: 'Hello', reasoning: 'hm', status: 'streaming' });
    expect(conv.messages[0]).toBe(before.messages[0]);
    expect(before.messages[1]!.content).toBe('');
    expect(finished).toEqual([]);
  });

  it('replaces the text on a reset or re-attach snapshot', () => {
    const before = conversation([message('a1', 'assistant', 'old', 'streaming')], 'a1');
    const { conv } = applyStreamEvents(before, [event('a1', { replaceContent: 'new', replaceReasoning: '' }), event('a1', { contentDelta: '!' })], NOW);
    expect(conv.messages[0]).toMatchObject({ content: 'new!', reasoning: '' });
  });

  it('ends the stream on the final event and reports the finished reply with its status', () => {
    const before = conversation([message('a1', 'assistant', 'partial', 'streaming')], 'a1');
    const error = { code: 'CONNECTION_DROPPED' as const, message: 'The connection dropped.' };
    const { conv, finished } = applyStreamEvents(
      before,
      [event('a1', { usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, final: { status: 'failed', error } })],
      NOW,
    );
    expect(conv.stream).toBeNull();
    expect(conv.messages[0]).toMatchObject({ content: 'partial', status: 'failed', error, usage: { totalTokens: 3 } });
    expect(finished).toEqual([{ conversationId: 'c1', messageId: 'a1', status: 'failed', preview: 'partial', error }]);
  });

  it('keeps a stopped reply stopped when deltas that were already on their way arrive', () => {
    const stopped = conversation([message('a1', 'assistant', 'par', 'stopped')], null);
    const { conv } = applyStreamEvents(stopped, [event('a1', { contentDelta: 'tial' })], NOW);
    expect(conv.messages[0]).toMatchObject({ content: 'partial', status: 'stopped' });
    expect(conv.stream).toBeNull();
  });

  it('shows a rate-limit wait until the next text arrives', () => {
    const before = conversation([message('a1', 'assistant', '', 'streaming')], 'a1');
    const waiting = applyStreamEvents(before, [event('a1', { retryWait: { attempt: 1, seconds: 3 } })], NOW).conv;
    expect(waiting.stream?.retryWait).toEqual({ attempt: 1, seconds: 3, until: NOW + 3000 });
    const resumed = applyStreamEvents(waiting, [event('a1', { contentDelta: 'Hi' })], NOW).conv;
    expect(resumed.stream?.retryWait).toBeNull();
  });

  it('keeps events for a message it does not know yet, for when the message arrives', () => {
    const { conv } = applyStreamEvents(conversation([]), [event('a9', { contentDelta: 'early' })], NOW);
    expect(conv.pending).toHaveLength(1);
  });
});

describe('chat store', () => {
  it('applies events that overtook the answer to chat:send once the messages exist', async () => {
    const user = message('u1', 'user', 'Hi');
    const reply = message('a1', 'assistant', '', 'streaming');
    let answer!: (r: Result<{ streamId: string; userMessage: Message; assistantMessage: Message }>) => void;
    const api = fakeApi({ send: () => new Promise((resolve) => (answer = resolve)) });
    const { store, runFrame } = storeWith(api);
    store.getState().seed({ id: 'c1', messages: [] } as unknown as Conversation);

    const sending = store.getState().send('c1', 'Hi');
    expect(store.getState().conversations.c1!.busy).toBe(true);
    store.getState().receive(event('a1', { contentDelta: 'Hel' }));
    store.getState().receive(event('a1', { contentDelta: 'lo' }));
    runFrame();
    answer(ok({ streamId: 's1', userMessage: user, assistantMessage: reply }));
    expect(await sending).toBe(true);

    const conv = store.getState().conversations.c1!;
    expect(conv.messages.map((m) => m.content)).toEqual(['Hi', 'Hello']);
    expect(conv.stream?.messageId).toBe('a1');
    expect(conv.busy).toBe(false);
    expect(conv.pending).toEqual([]);
  });

  it('applies the first event after a quiet frame at once and the rest of that frame in one store update', () => {
    let clock = 1_000;
    const frames: (() => void)[] = [];
    const store = createChatStore(() => fakeApi({}), { schedule: (flush) => frames.push(flush), now: () => clock });
    const runFrame = () => frames.splice(0).forEach((f) => f());
    store.setState({ conversations: { c1: conversation([message('a1', 'assistant', '', 'streaming')], 'a1') } });
    const content = () => store.getState().conversations.c1!.messages[0]!.content;
    let updates = 0;
    store.subscribe(() => updates++);

    // The first token shows without waiting for a frame.
    store.getState().receive(event('a1', { contentDelta: 'a' }));
    expect([updates, content(), frames.length]).toEqual([1, 'a', 0]);
    // Events that follow within the frame wait for it, and are applied together.
    clock += 5;
    for (const text of ['b', 'c', 'd']) store.getState().receive(event('a1', { contentDelta: text }));
    expect([updates, content(), frames.length]).toEqual([1, 'a', 1]);
    clock += 11;
    runFrame();
    expect(updates).toBe(2);
    expect(content()).toBe('abcd');
    // A steady stream stays on frames: the next event comes less than a frame after the last update.
    clock += 10;
    store.getState().receive(event('a1', { contentDelta: 'e' }));
    expect([updates, frames.length]).toEqual([2, 1]);
    clock += 6;
    runFrame();
    expect(content()).toBe('abcde');
    // After a quiet spell (the model paused), the next event is applied at once again.
    clock += 16;
    store.getState().receive(event('a1', { contentDelta: 'f' }));
    expect([updates, content(), frames.length]).toEqual([4, 'abcdef', 0]);
  });

  it('batches on frames when the clock goes back', () => {
    let clock = 1_000;
    const frames: (() => void)[] = [];
    const store = createChatStore(() => fakeApi({}), { schedule: (flush) => frames.push(flush), now: () => clock });
    store.setState({ conversations: { c1: conversation([message('a1', 'assistant', '', 'streaming')], 'a1') } });
    store.getState().receive(event('a1', { contentDelta: 'a' }));
    clock -= 60_000;
    store.getState().receive(event('a1', { contentDelta: 'b' }));
    expect(frames).toHaveLength(1);
    frames.splice(0).forEach((f) => f());
    expect(store.getState().conversations.c1!.messages[0]!.content).toBe('ab');
  });

  it('keeps the text in the composer when main refuses to send, and says why', async () => {
    const error = { code: 'NO_PROVIDER' as const, message: 'No provider is set up yet.' };
    const { store } = storeWith(fakeApi({ send: async () => ({ ok: false, error }) }));
    store.getState().seed({ id: 'c1', messages: [] } as unknown as Conversation);
    store.getState().setDraft('c1', 'my text');
    expect(await store.getState().send('c1', 'my text')).toBe(false);
    expect(store.getState().conversations.c1).toMatchObject({ busy: false, actionError: error, messages: [] });
    expect(store.getState().drafts.c1).toBe('my text');
  });

  it('marks a reply stopped at once on Stop and announces it', async () => {
    let stopCalls = 0;
    const { store } = storeWith(fakeApi({ stop: async () => (stopCalls++, ok({ stopped: true })) }));
    store.setState({ conversations: { c1: conversation([message('a1', 'assistant', 'So far', 'streaming')], 'a1') } });
    const stopping = store.getState().stop('c1');
    expect(store.getState().conversations.c1!.messages[0]!.status).toBe('stopped');
    expect(store.getState().conversations.c1!.stream).toBeNull();
    expect(store.getState().lastFinished).toMatchObject({ messageId: 'a1', status: 'stopped', preview: 'So far' });
    await stopping;
    expect(stopCalls).toBe(1);
  });

  it('regenerate replaces the last reply; edit-and-resend drops what followed the edited message', async () => {
    const newReply = message('a2', 'assistant', '', 'streaming');
    const edited = message('u2', 'user', 'edited');
    const third = message('a3', 'assistant', '', 'streaming');
    const { store, runFrame } = storeWith(
      fakeApi({
        regenerate: async () => ok({ streamId: 's2', assistantMessage: newReply }),
        editAndResend: async () => ok({ streamId: 's3', userMessage: edited, assistantMessage: third }),
      }),
    );
    store.setState({
      conversations: {
        c1: conversation([message('u1', 'user', 'q1'), message('a1', 'assistant', 'r1'), message('u2', 'user', 'q2'), message('a9', 'assistant', 'old')]),
      },
    });
    expect(await store.getState().regenerate('c1')).toBe(true);
    expect(store.getState().conversations.c1!.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    // One reply at a time per conversation.
    expect(await store.getState().regenerate('c1')).toBe(false);
    store.getState().receive({ ...event('a2', { final: { status: 'complete' } }), streamId: 's2' });
    runFrame();
    expect(await store.getState().editAndResend('c1', 'u2', 'edited')).toBe(true);
    const after = store.getState().conversations.c1!;
    expect(after.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a3']);
    expect(after.messages[2]!.content).toBe('edited');
    expect(after.stream).toMatchObject({ streamId: 's3', messageId: 'a3' });
  });

  it('opens a conversation and re-attaches to the reply still streaming in it', async () => {
    const saved = [message('u1', 'user', 'q'), message('a1', 'assistant', 'Hel', 'streaming')];
    const { store, runFrame } = storeWith(
      fakeApi({
        get: async () => ok({ id: 'c1', messages: saved, olderCount: 0 } as unknown as ConversationPage),
        attach: async () => {
          // Main sends the snapshot event before it answers.
          store.getState().receive(event('a1', { replaceContent: 'Hello' }));
          return ok({ active: { streamId: 's1', message: message('a1', 'assistant', 'Hello', 'streaming') } });
        },
      }),
    );
    await store.getState().open('c1');
    runFrame();
    store.getState().receive(event('a1', { contentDelta: ' world' }));
    runFrame();
    const conv = store.getState().conversations.c1!;
    expect(conv.loadStatus).toBe('ready');
    expect(conv.messages[1]).toMatchObject({ content: 'Hello world', status: 'streaming' });
    expect(conv.stream?.streamId).toBe('s1');
  });

  it('shows a reply saved mid-stream as stopped when nothing streams any more (main was killed)', async () => {
    const saved = [message('u1', 'user', 'q'), message('a1', 'assistant', 'Half', 'streaming')];
    const { store } = storeWith(fakeApi({ get: async () => ok({ id: 'c1', messages: saved, olderCount: 0 } as unknown as ConversationPage) }));
    await store.getState().open('c1');
    expect(store.getState().conversations.c1!.messages[1]).toMatchObject({ content: 'Half', status: 'stopped' });
  });

  it('says why a conversation could not be loaded, and loads it on retry', async () => {
    let calls = 0;
    const { store } = storeWith(
      fakeApi({
        get: async () =>
          ++calls === 1
            ? { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } }
            : ok({ id: 'c1', messages: [message('u1', 'user', 'q')], olderCount: 0 } as unknown as ConversationPage),
      }),
    );
    await store.getState().open('c1');
    expect(store.getState().conversations.c1).toMatchObject({ loadStatus: 'error', loadError: { code: 'NOT_FOUND' } });
    await store.getState().open('c1');
    expect(store.getState().conversations.c1).toMatchObject({ loadStatus: 'ready', loadError: null });
  });

  it('forgets a deleted conversation and marks one changed by another window for reloading', () => {
    const { store } = storeWith(fakeApi({}));
    store.setState({
      conversations: { c1: conversation([message('u1', 'user', 'q')]), c2: { ...conversation([]), id: 'c2' } },
      drafts: { c2: 'draft' },
    });
    store.getState().conversationChanged({ deletedId: 'c2' });
    expect(store.getState().conversations.c2).toBeUndefined();
    expect(store.getState().drafts.c2).toBeUndefined();
    const summary = { id: 'c1', title: 't', providerId: null, model: '', createdAt: '', updatedAt: '', messageCount: 1 };
    store.getState().conversationChanged({ summary });
    expect(store.getState().conversations.c1!.stale).toBe(false);
    store.getState().conversationChanged({ summary: { ...summary, messageCount: 3 } });
    expect(store.getState().conversations.c1!.stale).toBe(true);
  });

  it('opens with the latest page and prepends older pages, in order, until the first message', async () => {
    const all = Array.from({ length: 250 }, (_, i) => message(`m${i}`, i % 2 ? 'assistant' : 'user', `text ${i}`));
    const asked: string[] = [];
    const { store } = storeWith(
      fakeApi({
        get: async () => ok({ id: 'c1', messages: all.slice(150), olderCount: 150 } as unknown as ConversationPage),
        messages: async ({ before, limit }) => {
          asked.push(before);
          const end = all.findIndex((m) => m.id === before);
          const start = Math.max(0, end - (limit ?? 100));
          return ok({ messages: all.slice(start, end), olderCount: start });
        },
      }),
    );
    await store.getState().open('c1');
    expect(store.getState().conversations.c1).toMatchObject({ olderCount: 150, older: 'idle' });
    await store.getState().loadOlder('c1');
    expect(store.getState().conversations.c1!.messages.map((m) => m.id)).toEqual(all.slice(50).map((m) => m.id));
    expect(store.getState().conversations.c1!.olderCount).toBe(50);
    await store.getState().loadOlder('c1');
    await store.getState().loadOlder('c1');
    expect(store.getState().conversations.c1!.messages.map((m) => m.id)).toEqual(all.map((m) => m.id));
    expect(store.getState().conversations.c1).toMatchObject({ olderCount: 0, older: 'idle' });
    // Nothing older: no more calls.
    expect(asked).toEqual(['m150', 'm50']);
    // Another window's change is told apart from the paging: the count includes what is not loaded.
    const summary = { id: 'c1', title: 't', providerId: null, model: '', createdAt: '', updatedAt: '', messageCount: 250 };
    store.getState().conversationChanged({ summary });
    expect(store.getState().conversations.c1!.stale).toBe(false);
    store.getState().conversationChanged({ summary: { ...summary, messageCount: 252 } });
    expect(store.getState().conversations.c1!.stale).toBe(true);
  });

  it('loads every older message for Home, up to 1,000 per call, one load at a time', async () => {
    const all = Array.from({ length: 2600 }, (_, i) => message(`m${i}`, 'user', `text ${i}`));
    const limits: (number | undefined)[] = [];
    const { store } = storeWith(
      fakeApi({
        get: async () => ok({ id: 'c1', messages: all.slice(2500), olderCount: 2500 } as unknown as ConversationPage),
        messages: async ({ before, limit }) => {
          limits.push(limit);
          const end = all.findIndex((m) => m.id === before);
          const start = Math.max(0, end - (limit ?? 100));
          return ok({ messages: all.slice(start, end), olderCount: start });
        },
      }),
    );
    await store.getState().open('c1');
    const home = store.getState().loadOlder('c1', { all: true });
    // A scroll asking meanwhile does not start a second load.
    await store.getState().loadOlder('c1');
    await home;
    expect(limits).toEqual([1000, 1000, 1000]);
    expect(store.getState().conversations.c1!.messages.map((m) => m.id)).toEqual(all.map((m) => m.id));
  });

  it('says why older messages could not be loaded, and reads the conversation again when its oldest shown message is gone', async () => {
    let fail: 'INTERNAL' | 'gone' = 'INTERNAL';
    let gets = 0;
    const { store } = storeWith(
      fakeApi({
        get: async () => {
          gets++;
          return ok({ id: 'c1', messages: [message(`u${gets}`, 'user', 'q')], olderCount: 5 } as unknown as ConversationPage);
        },
        messages: async () =>
          fail === 'INTERNAL'
            ? { ok: false, error: { code: 'INTERNAL', message: 'disk' } }
            : { ok: false, error: { code: 'NOT_FOUND', message: 'gone', params: { context: 'message' } } },
      }),
    );
    await store.getState().open('c1');
    await store.getState().loadOlder('c1');
    expect(store.getState().conversations.c1).toMatchObject({ older: 'error', olderError: { code: 'INTERNAL' }, olderCount: 5 });
    fail = 'gone';
    await store.getState().loadOlder('c1');
    expect(gets).toBe(2);
    expect(store.getState().conversations.c1).toMatchObject({ older: 'idle', olderError: null, messages: [{ id: 'u2' }] });
  });
});

describe('a reply main could not save (chat:saveState)', () => {
  it('is marked not saved with the reason, after the final event too, and unmarked once saved', () => {
    const { store, runFrame } = storeWith(fakeApi({}));
    store.setState({ conversations: { c1: conversation([message('u1', 'user', 'hi'), message('a1', 'assistant', 'All of it', 'streaming')], 'a1') } });
    store.getState().receive(event('a1', { final: { status: 'complete' } }));
    store.getState().saveStateChanged({ conversationId: 'c1', messageId: 'a1', saved: false, reason: 'disk-full' });
    runFrame();
    expect(store.getState().conversations.c1!.messages[1]).toMatchObject({ content: 'All of it', status: 'complete', unsaved: 'disk-full' });
    store.getState().saveStateChanged({ conversationId: 'c1', messageId: 'a1', saved: true });
    expect(store.getState().conversations.c1!.messages[1]!.unsaved).toBeUndefined();
  });
});
