import { describe, expect, it } from 'vitest';
import { remoteStateKind } from '../../../../renderer/chat/DeleteConversationDialog';
import type { ConversationSummary } from '../../../../shared/models/conversation';
import type { ProviderType, ProviderView } from '../../../../shared/models/provider';
import en from '../../../../renderer/i18n/locales/en/chat.json';
import zhTW from '../../../../renderer/i18n/locales/zh-TW/chat.json';

function provider(id: string, type: ProviderType): ProviderView {
  return { id, type } as unknown as ProviderView;
}

const summary: ConversationSummary = {
  id: 'c1',
  title: 'Chat',
  providerId: 'now',
  model: 'm',
  createdAt: '',
  updatedAt: '',
  messageCount: 2,
  threadId: 'remote_1',
};

describe('what the delete dialog calls the state kept on the server', () => {
  const providers = [provider('asst', 'openai-assistant'), provider('resp', 'openai-responses'), provider('now', 'openai-compatible')];

  it('names it by the type of the provider that owns it, not the one the conversation uses now', () => {
    expect(remoteStateKind({ ...summary, threadProviderId: 'resp' }, providers)).toBe('conversation');
    expect(remoteStateKind({ ...summary, threadProviderId: 'asst' }, providers)).toBe('thread');
    // An older index entry without the owner: the conversation's provider.
    expect(remoteStateKind({ ...summary, providerId: 'resp' }, providers)).toBe('conversation');
    // The owner was removed: a neutral wording.
    expect(remoteStateKind({ ...summary, threadProviderId: 'gone' }, providers)).toBe('remote');
  });

  it('says "conversation" for Responses and "thread" for Assistants, in English and Traditional Chinese', () => {
    expect(en.delete.alsoConversation).toBe('Also delete the conversation on the server');
    expect(en.delete.alsoThread).toBe('Also delete the thread on the server');
    expect(zhTW.delete.alsoConversation).toBe('一併刪除伺服器上的對話');
    expect(zhTW.delete.alsoThread).toBe('一併刪除伺服器上的討論串');
  });
});
