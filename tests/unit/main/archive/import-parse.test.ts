import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../../../electron/main/archive/export-formats';
import { fromChatGpt, parseImport } from '../../../../electron/main/archive/import-parse';
import type { Conversation } from '../../../../shared/models/conversation';
import { AppFailure } from '../../../../shared/result';
import { chatGptConversation, chatGptExport } from '../../../support/chatgpt-export';

const bytes = (text: string) => new TextEncoder().encode(text);

function failureOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AppFailure) return error.appError;
    throw error;
  }
  throw new Error('expected a failure');
}

const sample: Conversation = {
  id: 'c-1',
  title: 'Sample',
  providerId: 'p',
  model: 'm',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
  threadId: 'thread_1',
  threadProviderId: 'p',
  messages: [
    { id: 'u', role: 'user', content: 'hi', status: 'complete', createdAt: '2025-01-01T00:00:00.000Z' },
    {
      id: 'a',
      role: 'assistant',
      content: 'hello',
      reasoning: 'think',
      status: 'failed',
      createdAt: '2025-01-01T00:00:01.000Z',
      usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
      error: { code: 'SERVER_ERROR', message: 'x', params: { status: 500 } },
      annotations: [{ type: 'file_citation', text: '[1]', fileId: 'f', quote: 'q' }],
    },
  ],
};

describe('parseImport: our export', () => {
  it('round-trips a conversation exactly, from JSON and from the zip', () => {
    const json = toJson([sample], new Date('2025-03-01T00:00:00Z'));
    expect(parseImport(bytes(json), 'a.json')).toEqual({ source: 'switchboard', conversations: [sample] });
    const zip = zipSync({ 'switchboard-conversations.json': strToU8(json) });
    expect(parseImport(zip, 'a.zip').conversations).toEqual([sample]);
  });

  it('names the line and column of a syntax error', () => {
    const error = failureOf(() => parseImport(bytes('{\n  "format": "switchboard-conversations",\n  "version": 1,,\n}'), 'x.json'));
    expect(error).toMatchObject({ code: 'IMPORT_NOT_JSON', params: { file: 'x.json', line: 3, column: 16 } });
    expect(error.message).toBe('x.json is not valid JSON (line 3, column 16).');
  });

  it('names the conversation that does not fit, and refuses foreign files and newer versions', () => {
    const broken = JSON.parse(toJson([sample, { ...sample, id: 'c-2', title: 'Second' }], new Date())) as { conversations: Record<string, unknown>[] };
    delete broken.conversations[1]!.messages;
    const error = failureOf(() => parseImport(bytes(JSON.stringify(broken)), 'x.json'));
    expect(error).toMatchObject({ code: 'IMPORT_BAD_CONVERSATION', params: { index: 2, title: 'Second' } });
    expect(error.message).toBe('Conversation 2 (“Second”) cannot be imported: the field “messages” is missing or wrong.');
    expect(failureOf(() => parseImport(bytes('{"hello": 1}'), 'x.json')).code).toBe('IMPORT_FOREIGN');
    expect(failureOf(() => parseImport(bytes('[]'), 'x.json')).code).toBe('IMPORT_FOREIGN');
    expect(failureOf(() => parseImport(bytes('{"format":"switchboard-conversations","version":9,"conversations":[]}'), 'x.json')).code).toBe('IMPORT_NEWER_VERSION');
    expect(failureOf(() => parseImport(zipSync({ 'other.txt': strToU8('x') }), 'x.zip')).code).toBe('IMPORT_FOREIGN');
    expect(failureOf(() => parseImport(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), 'x.zip')).code).toBe('IMPORT_UNREADABLE');
    const dup = JSON.parse(toJson([sample, sample], new Date())) as unknown;
    expect(failureOf(() => parseImport(bytes(JSON.stringify(dup)), 'x.json')).params?.context).toBe('duplicateId');
  });
});

describe('parseImport: ChatGPT', () => {
  it('imports the current branch: user and assistant text, reasoning, attachments; no system, tool, hidden or null nodes', () => {
    const raw = chatGptConversation({ id: 'abc-123', title: 'Tomatoes', turns: 3, startSeconds: 1_700_000_000 });
    const c = fromChatGpt(raw, 0);
    expect(c).toMatchObject({ id: 'chatgpt-abc-123', title: 'Tomatoes', createdAt: '2023-11-14T22:13:20.000Z', model: 'gpt-4o' });
    expect(c.messages.map((m) => [m.role, m.content.split(':')[0]])).toEqual([
      ['user', 'Question 0 of Tomatoes'],
      ['assistant', 'Answer 0'],
      ['user', 'Question 1 of Tomatoes'],
      ['assistant', 'Answer 1'],
      ['user', 'Question 2 of Tomatoes'],
      ['assistant', 'Answer 2'],
    ]);
    expect(c.messages.some((m) => m.content.includes('threw away'))).toBe(false);
    expect(c.messages[0]!.annotations).toEqual([{ type: 'file_path', text: 'notes.pdf', fileId: 'notes.pdf' }]);
    expect(c.messages[5]!.reasoning).toBe('Plan\n\nThink about week 2.');
    expect(c.messages[1]).toMatchObject({ id: 'cg-abc-123-a0', model: 'gpt-4o', status: 'complete' });
    expect(c.updatedAt > c.createdAt).toBe(true);
    // Message times follow create_time (seconds, fractional).
    expect(c.messages[0]!.createdAt).toBe(new Date(Math.round((1_700_000_000 + 14.5) * 1000)).toISOString());
  });

  it('parses a whole export with stable ids, so a second import finds the same conversations', () => {
    const file = bytes(JSON.stringify(chatGptExport(20)));
    const first = parseImport(file, 'conversations.json');
    const second = parseImport(file, 'conversations.json');
    expect(first.source).toBe('chatgpt');
    expect(first.conversations).toHaveLength(20);
    expect(second.conversations.map((c) => c.id)).toEqual(first.conversations.map((c) => c.id));
    // Inside ChatGPT's own zip too.
    const zip = zipSync({ 'conversations.json': file, 'chat.html': strToU8('<html>') });
    expect(parseImport(zip, 'export.zip').conversations).toEqual(first.conversations);
  });

  it('says which conversation is broken', () => {
    const list = chatGptExport(3);
    (list[1] as { current_node: string }).current_node = 'nowhere';
    const error = failureOf(() => parseImport(bytes(JSON.stringify(list)), 'conversations.json'));
    expect(error.message).toBe('Conversation 2 (“Garden chat 2”) cannot be imported: its current message nowhere is not in the file.');
    const loop = chatGptExport(1);
    const mapping = (loop[0] as { mapping: Record<string, { parent: string | null }> }).mapping;
    mapping[Object.keys(mapping)[0]!]!.parent = (loop[0] as { current_node: string }).current_node;
    expect(failureOf(() => parseImport(bytes(JSON.stringify(loop)), 'c.json')).params?.context).toBe('loop');
    const noMapping = [{ title: 'x', mapping: 'nope' }];
    expect(failureOf(() => parseImport(bytes(JSON.stringify(noMapping)), 'c.json')).code).toBe('IMPORT_BAD_CONVERSATION');
  });

  it('without current_node, follows the newest leaf', () => {
    const raw = chatGptConversation({ id: 'x', title: 'T', turns: 2, startSeconds: 1_700_000_000 });
    delete raw.current_node;
    expect(fromChatGpt(raw, 0).messages.at(-1)!.content).toMatch(/^Answer 1/);
  });
});
