/**
 * A conversation's turns through the IPC dispatcher of a chat rig, as the chat window makes them: create
 * the conversation on a provider, send a message and wait for the reply as the window would show it.
 */
import type { Conversation } from '../../shared/models/conversation';
import type { ProviderConfig } from '../../shared/models/provider';
import type { ReplayedStream, Rig } from './chat-rig';

export function newConversation(rig: Rig, provider: ProviderConfig): Promise<Conversation> {
  return rig.call('conversations:create', { providerId: provider.id });
}

export async function sendAndAwaitReply(rig: Rig, conversationId: string, text: string): Promise<ReplayedStream> {
  const started = await rig.call('chat:send', { conversationId, text });
  return rig.finished(started.streamId);
}
