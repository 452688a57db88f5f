import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../../../../electron/main/providers/openai-assistant/api-objects';
import { HttpStatusError, type AssistantsClient } from '../../../../../electron/main/providers/openai-assistant/assistants-client';
import { deleteFiles, threadMessages, uploadedImageIds } from '../../../../../electron/main/providers/openai-assistant/thread-files';

const image = (fileId: string) => ({ type: 'image_file', image_file: { file_id: fileId } });
const text = (value: string) => ({ type: 'text', text: { value, annotations: [] } });

/** Answers `json` calls from a handler, recording them. */
function client(handler: (method: string, path: string) => unknown): { client: AssistantsClient; calls: string[] } {
  const calls: string[] = [];
  const fake = {
    async json(method: string, path: string) {
      calls.push(`${method} ${path}`);
      return { data: handler(method, path), headers: new Headers() };
    },
  };
  return { client: fake as unknown as AssistantsClient, calls };
}

describe('the images uploaded for a thread', () => {
  it('are the image_file parts of user messages, each once; an assistant’s own files are not ours', () => {
    const messages: WireMessage[] = [
      { id: 'm1', role: 'user', content: [text('look'), image('file-a'), image('file-b')] },
      { id: 'm2', role: 'assistant', content: [text('a chart'), image('file-generated')] },
      { id: 'm3', role: 'user', content: [image('file-a'), { type: 'image_url' }, { type: 'image_file', image_file: {} }] },
    ];
    expect(uploadedImageIds(messages)).toEqual(['file-a', 'file-b']);
    expect(uploadedImageIds([])).toEqual([]);
  });

  it('are found on every page of a long thread', async () => {
    const pages: Record<string, { data: WireMessage[]; has_more: boolean }> = {
      '': { data: [{ id: 'm1', role: 'user', content: [image('file-1')] }, { id: 'm2', role: 'assistant' }], has_more: true },
      m2: { data: [{ id: 'm3', role: 'user', content: [image('file-3')] }], has_more: false },
    };
    const { client: c, calls } = client((_method, path) => pages[new URL(path, 'http://x').searchParams.get('after') ?? '']);
    const messages = await threadMessages(c, 'thread_1', new AbortController().signal);
    expect(messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(calls).toEqual(['GET /threads/thread_1/messages?order=asc&limit=100', 'GET /threads/thread_1/messages?order=asc&limit=100&after=m2']);
  });

  it('stops on a server that says has_more but repeats its page', async () => {
    const { client: c, calls } = client(() => ({ data: [{ id: 'm1', role: 'user' }], has_more: true }));
    expect(await threadMessages(c, 't', new AbortController().signal)).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it('are deleted one by one; one already gone counts as deleted, any other failure is thrown after trying the rest', async () => {
    const failing = (status: number) => new HttpStatusError(status, new Headers(), '{}', 'DELETE', '/files/x');
    const { client: gone, calls } = client((_m, path) => {
      if (path === '/files/file-2') throw failing(404);
      return { deleted: true };
    });
    await deleteFiles(gone, ['file-1', 'file-2', 'file-3'], new AbortController().signal);
    expect(calls).toEqual(['DELETE /files/file-1', 'DELETE /files/file-2', 'DELETE /files/file-3']);

    const { client: refusing, calls: tried } = client((_m, path) => {
      if (path === '/files/file-1') throw failing(403);
      return { deleted: true };
    });
    await expect(deleteFiles(refusing, ['file-1', 'file-2'], new AbortController().signal)).rejects.toMatchObject({ status: 403 });
    expect(tried).toEqual(['DELETE /files/file-1', 'DELETE /files/file-2']);
  });
});
