import { describe, expect, it } from 'vitest';
import { remoteFailureNote, remoteStateKind } from '../../../../renderer/chat/DeleteConversationDialog';
import type { AppError } from '../../../../shared/result';
import { translator } from '../../../support/translator';
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

describe('the note when the server kept what the conversation had there', () => {
  const refused: AppError = {
    code: 'PERMISSION_DENIED',
    message: 'api.example.com refused access with this API key (HTTP 403). Missing scopes: api.files.write.',
    params: { host: 'api.example.com', status: 403, detail: 'Missing scopes: api.files.write.' },
  };

  it('gives the reason in the window’s language, by its code', async () => {
    expect(remoteFailureNote(await translator('en'), 'thread', refused)).toBe(
      'The conversation was deleted here, but its thread on the server could not be deleted: api.example.com refused access with this API key (HTTP 403). Missing scopes: api.files.write.',
    );
    expect(remoteFailureNote(await translator('zh-TW'), 'conversation', refused)).toBe(
      '對話已在本機刪除，但無法刪除伺服器上的對話：api.example.com 拒絕以此 API 金鑰存取（HTTP 403）。Missing scopes: api.files.write.',
    );
  });

  it('says the thread was kept for its images when that is why', async () => {
    const kept = { ...refused, params: { ...refused.params, keptFor: 'images' } };
    expect(remoteFailureNote(await translator('en'), 'thread', kept)).toBe(
      'The conversation was deleted here; its thread on the server was kept, because the images uploaded for it could not be deleted: api.example.com refused access with this API key (HTTP 403). Missing scopes: api.files.write.',
    );
    expect(remoteFailureNote(await translator('zh-TW'), 'thread', kept)).toMatch(/^對話已在本機刪除；由於無法刪除為它上傳的圖片，伺服器上的討論串已保留：api\.example\.com 拒絕/);
  });

  it('falls back to main’s sentence for a code the window does not know', async () => {
    const odd = { code: 'INTERNAL', message: 'The thread on the server could not be deleted.' } as AppError;
    expect(remoteFailureNote(await translator('en'), 'remote', odd)).toContain('could not be deleted: ');
  });
});
