import { describe, expect, it } from 'vitest';
import {
  parseConversationFile,
  parseConversationFileInSlices,
  serializeConversation,
} from '../../../../electron/main/conversations/conversation-file';
import type { Conversation } from '../../../../shared/models/conversation';

function longConversation(count: number): Conversation {
  return {
    id: 'c1',
    title: 'Long',
    providerId: null,
    model: 'm',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    messages: Array.from({ length: count }, (_, i) => ({
      id: `m${i}`,
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      content: `message ${i}`,
      status: i === count - 1 ? ('streaming' as const) : ('complete' as const),
      createdAt: '2026-01-01T00:00:00.000Z',
      ...(i % 2 ? { usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, extra: 'kept' } : {}),
    })),
  };
}

describe('parseConversationFileInSlices', () => {
  it('reads a long conversation (checked in slices) exactly as the one-go parse does', async () => {
    for (const count of [3, 2500]) {
      const text = serializeConversation(longConversation(count));
      const sliced = await parseConversationFileInSlices(text, 'c1', 0);
      expect(sliced).toEqual(parseConversationFile(text, 'c1'));
      expect(sliced.messages.at(-1)?.status).toBe('stopped');
    }
  });

  it('rejects a long conversation with one bad message, or with another id', async () => {
    const conversation = longConversation(2500);
    const bad = JSON.parse(serializeConversation(conversation)) as { messages: Record<string, unknown>[] };
    bad.messages[2000]!.role = 'robot';
    await expect(parseConversationFileInSlices(JSON.stringify(bad), 'c1', 0)).rejects.toThrow(/message 2000/);
    await expect(parseConversationFileInSlices(serializeConversation(conversation), 'c2', 0)).rejects.toThrow(/id does not match/);
  });
});

describe('a reply’s route (who answered)', () => {
  const base = longConversation(2);
  const route = {
    providerId: 'b',
    providerName: 'Backup',
    model: 'gpt-4o',
    keyHint: '…D444',
    attempts: [{ providerId: 'p', providerName: 'Primary', model: 'm', keyHint: '…A111', reason: 'rate-limited', errorCode: 'RATE_LIMITED', until: '2026-01-01T00:01:00.000Z' }],
  };

  it('survives a save and a read', () => {
    const withRoute = { ...base, messages: [base.messages[0]!, { ...base.messages[1]!, route }] } as Conversation;
    expect(parseConversationFile(serializeConversation(withRoute), 'c1').messages[1]?.route).toEqual(route);
  });

  it('a damaged record is dropped on its own; the reply stays', () => {
    const damaged = { ...base, messages: [base.messages[0], { ...base.messages[1], route: { ...route, attempts: 'not a list' } }] };
    const read = parseConversationFile(JSON.stringify(damaged), 'c1');
    expect(read.messages[1]?.route).toBeUndefined();
    expect(read.messages[1]?.content).toBe('message 1');
  });
});
