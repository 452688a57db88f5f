import { describe, expect, it } from 'vitest';
import { parseConversationFile } from '../../../../electron/main/conversations/conversation-file';

const base = { id: 'c1', title: 't', providerId: null, model: 'm', createdAt: '', updatedAt: '' };
const reply = (toolRounds: unknown) => ({ id: 'm1', role: 'assistant', content: 'Hi', status: 'complete', createdAt: '', toolRounds });

describe('stored tool fields', () => {
  it('keeps valid tool rounds, the offered servers and the approvals', () => {
    const rounds = [{ contentLength: 0, calls: [{ id: 'a', name: 'echo', serverId: 's', serverName: 'S', tool: 'echo', arguments: '{}', state: 'done', result: 'ok' }] }];
    const c = parseConversationFile(JSON.stringify({ ...base, tools: { serverIds: ['s'] }, toolApprovals: ['s/echo'], messages: [reply(rounds)] }), 'c1');
    expect(c.tools).toEqual({ serverIds: ['s'] });
    expect(c.toolApprovals).toEqual(['s/echo']);
    expect(c.messages[0]?.toolRounds).toEqual(rounds);
  });

  it('drops a damaged tool field on its own and keeps the conversation and the reply text', () => {
    const c = parseConversationFile(JSON.stringify({ ...base, tools: 'all', toolApprovals: [1], messages: [reply([{ contentLength: -1, calls: 'x' }])] }), 'c1');
    expect(c.tools).toBeUndefined();
    expect(c.toolApprovals).toBeUndefined();
    expect(c.messages[0]).toMatchObject({ content: 'Hi' });
    expect(c.messages[0]?.toolRounds).toBeUndefined();
  });
});
