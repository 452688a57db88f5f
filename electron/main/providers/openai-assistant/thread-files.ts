/**
 * The images this app uploaded for a thread's messages (Files API, purpose `vision`) are the user's
 * screenshots and photos stored on their account: they go when the messages that use them go. Deleting a
 * conversation's thread deletes them first (should one fail, the thread is kept, where the user can still
 * find them), and a question Edit and resend removes from the thread takes its images with it.
 */
import type { WireMessage } from './api-objects';
import { HttpStatusError, type AssistantsClient } from './assistants-client';

/** Messages per page when listing a thread (the API's maximum). */
const PAGE = 100;

/** The file ids of the images in user messages: what this app uploaded (an assistant's own files are not ours). */
export function uploadedImageIds(messages: readonly WireMessage[]): string[] {
  const ids = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'user') continue;
    for (const part of message.content ?? []) {
      const id = part.type === 'image_file' ? part.image_file?.file_id : undefined;
      if (typeof id === 'string' && id !== '') ids.add(id);
    }
  }
  return [...ids];
}

/** Every message of a thread, page by page (oldest first). */
export async function threadMessages(client: AssistantsClient, threadId: string, signal: AbortSignal): Promise<WireMessage[]> {
  const all: WireMessage[] = [];
  let after: string | null = null;
  for (;;) {
    const query = new URLSearchParams({ order: 'asc', limit: String(PAGE) });
    if (after) query.set('after', after);
    const { data } = await client.json<{ data?: WireMessage[]; has_more?: boolean }>(
      'GET',
      `/threads/${encodeURIComponent(threadId)}/messages?${query}`,
      undefined,
      signal,
    );
    const page = data.data ?? [];
    all.push(...page);
    const last = page.at(-1)?.id;
    if (data.has_more !== true || !last || last === after) return all;
    after = last;
  }
}

/** Deletes files; one already gone (404) counts as deleted. Throws the first other failure, after trying them all. */
export async function deleteFiles(client: AssistantsClient, ids: readonly string[], signal: AbortSignal): Promise<void> {
  let failure: unknown = null;
  for (const id of ids) {
    try {
      await client.json('DELETE', `/files/${encodeURIComponent(id)}`, undefined, signal);
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) continue;
      if (signal.aborted) throw error;
      failure ??= error;
    }
  }
  if (failure) throw failure;
}
