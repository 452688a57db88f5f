/**
 * The kind of `openai-responses` providers (see responses-turn.ts for how a reply runs). Its remote state
 * is the Conversations API object saved as the conversation's threadId.
 */
import type { ChatEvent } from '../../../../shared/models/chat-event';
import { DEFAULT_CONVERSATION_STATE } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import type { ChatAdapter, ChatRequest, ProviderKind, ResolvedProvider } from '../provider-kind';
import { listModels } from '../wire/model-list';
import { testResponsesConnection } from './connection-test';
import { clientFor, errorContext, type ResponsesAdapterDeps } from './responses-client';
import { serverMessage, statusOf } from './responses-errors';
import { ResponsesTurn } from './responses-turn';
import { responsesFailure } from './route-probes';

export class OpenAIResponsesAdapter implements ChatAdapter {
  constructor(private readonly deps: ResponsesAdapterDeps) {}

  streamChat(request: ChatRequest): AsyncIterable<ChatEvent> {
    return new ResponsesTurn(request, this.deps).events();
  }

  /** Deletes a conversation object on the server (conversations:delete with deleteRemoteThread). */
  async deleteConversation(provider: ResolvedProvider, conversationId: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const client = clientFor(provider, this.deps.fetch, this.deps.connectTimeoutMs);
    try {
      await client.conversations.delete(conversationId, { signal });
    } catch (error) {
      // Already gone is what the user asked for.
      if (statusOf(error) === 404 && /conversation/i.test(serverMessage(error)) && !/invalid url/i.test(serverMessage(error))) return;
      throw new AppFailure(await responsesFailure(error, client, errorContext(provider, provider.config.model, this.deps), 'conversations', signal));
    }
  }
}

export function responsesKind(deps: ResponsesAdapterDeps): ProviderKind {
  const adapter = new OpenAIResponsesAdapter(deps);
  return {
    chat: adapter,
    needsModel: true,
    needsKey: false,
    settings: (draft, existing) => ({
      model: draft.model.trim(),
      assistantId: '',
      instructions: (draft.instructions ?? existing?.instructions ?? '').trim(),
      conversationState: draft.conversationState ?? existing?.conversationState ?? DEFAULT_CONVERSATION_STATE,
    }),
    testConnection: (target, connection) => testResponsesConnection(target, connection, target.conversationState ?? DEFAULT_CONVERSATION_STATE),
    listModels,
    deleteRemoteState: (provider, conversationId) => adapter.deleteConversation(provider, conversationId),
  };
}
