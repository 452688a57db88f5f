/**
 * The kind of `openai-assistant` providers: a pre-configured assistant on a server that speaks the
 * Assistants API (see assistant-turn.ts for how a reply runs). Its model lives on the server with the
 * assistant; its remote state is the conversation's thread.
 */
import type { ChatEvent } from '../../../../shared/models/chat-event';
import type { ConnectionTestResult } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import type { ChatAdapter, ChatRequest, ProviderKind, ResolvedProvider } from '../provider-kind';
import { listModels } from '../wire/model-list';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../wire/openai-client';
import { toAppError } from './assistant-errors';
import { AssistantTurn, type AssistantAdapterDeps } from './assistant-turn';
import { AssistantsClient, endpointOf, HttpStatusError } from './assistants-client';
import { testAssistantConnection } from './connection-test';
import { deleteFiles, threadMessages, uploadedImageIds } from './thread-files';

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export class OpenAIAssistantAdapter implements ChatAdapter {
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly deps: AssistantAdapterDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
  }

  streamChat(request: ChatRequest): AsyncIterable<ChatEvent> {
    return new AssistantTurn(request, this.deps, this.sleep).events();
  }

  /**
   * Deletes a conversation's thread on the server (conversations:delete with deleteRemoteThread), and first
   * the images uploaded for its messages. Should an image not go (a key without Files permission), the
   * thread is kept, so nothing of it is left on the server that the user cannot find again, and they are
   * told why.
   */
  async deleteThread(provider: ResolvedProvider, threadId: string, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const endpoint = endpointOf(provider);
    const client = new AssistantsClient(endpoint, this.deps);
    try {
      const images = uploadedImageIds(await threadMessages(client, threadId, signal));
      try {
        await deleteFiles(client, images, signal);
      } catch (error) {
        const appError = await toAppError(error, client, endpoint, this.deps.connectTimeoutMs, signal, 'thread');
        throw new AppFailure({
          ...appError,
          message: `Its images on the server could not be deleted, so the thread was kept: ${appError.message}`,
          params: { ...appError.params, keptFor: 'images' },
        });
      }
      await client.json('DELETE', `/threads/${encodeURIComponent(threadId)}`, undefined, signal);
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      // Already gone is what the user asked for.
      if (error instanceof HttpStatusError && error.status === 404 && (await client.apiServed(signal))) return;
      throw new AppFailure(await toAppError(error, client, endpoint, this.deps.connectTimeoutMs, signal, 'thread'));
    }
  }

  /** Test Connection of a saved provider (see testAssistantConnection). */
  testConnection(provider: ResolvedProvider, signal?: AbortSignal): Promise<ConnectionTestResult> {
    return testAssistantConnection(endpointOf(provider), this.deps, signal);
  }
}

export function assistantKind(deps: AssistantAdapterDeps): ProviderKind {
  const adapter = new OpenAIAssistantAdapter(deps);
  return {
    chat: adapter,
    needsModel: false,
    needsKey: false,
    settings: (draft) => ({ model: '', assistantId: draft.assistantId.trim() }),
    // The check lives with the Assistants client, so Settings and a saved provider test alike.
    testConnection: (target, connection) => {
      const timeoutMs = connection.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      return testAssistantConnection(target, { fetch: connection.fetch, connectTimeoutMs: timeoutMs, idleTimeoutMs: timeoutMs });
    },
    listModels,
    deleteRemoteState: (provider, threadId) => adapter.deleteThread(provider, threadId),
  };
}
