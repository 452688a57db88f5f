/**
 * The kind of `openai` and `openai-compatible` providers: Chat Completions. The two differ only in that
 * api.openai.com always needs a key. Nothing is kept on the server, so there is no remote state to delete.
 */
import type { ProviderKind } from '../provider-kind';
import { listModels } from '../wire/model-list';
import { OpenAIChatAdapter, type OpenAIChatOptions } from './chat-completions-stream';
import { testChatConnection } from './connection-test';

export function chatCompletionsKind(options: OpenAIChatOptions, { needsKey }: { needsKey: boolean }): ProviderKind {
  return {
    chat: new OpenAIChatAdapter(options),
    needsModel: true,
    needsKey,
    settings: (draft) => ({ model: draft.model.trim(), assistantId: '' }),
    testConnection: testChatConnection,
    listModels,
  };
}
