/**
 * A server that sends one 20 MB SSE line with no line end, through the real services and the local server:
 * main stops reading at the event cap and ends the reply with one clear sentence (what arrived before is
 * kept), instead of buffering the line until the connection ends or the idle timeout fires.
 */
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../../electron/main/providers/wire/sse-decoder';
import { localServerAndRigs, waitUntil } from '../support/chat-rig';

const local = localServerAndRigs({});

describe('one 20 MB SSE line', () => {
  it('ends the reply with a sentence about the oversized event and keeps the text before it', async () => {
    // A long idle timeout: the reply must end because of the cap, not because the server went quiet.
    const rig = local.rig({ http: { idleTimeoutMs: 20_000 } });
    rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' });
    local.server.nextResponses({
      kind: 'chat',
      steps: [{ type: 'content', text: 'Before the flood.' }, { type: 'raw', text: `data: ${'a'.repeat(20 * 1024 * 1024)}` }, { type: 'idle' }],
    });
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hello' });
    const result = await rig.finished(sent.streamId);
    expect(result.content).toBe('Before the flood.');
    expect(result.final.status).toBe('failed');
    expect(result.final.error).toMatchObject({
      code: 'MALFORMED_STREAM',
      params: { context: 'too_large', limitMb: MAX_EVENT_BYTES / (1024 * 1024) },
    });
    expect(result.final.error?.message).toMatch(/sent one event of the reply larger than 4 MB, so Switchboard stopped reading it\.$/);
    // Main closed the connection instead of reading on.
    await waitUntil(() => local.server.lastRequest('/chat/completions')?.clientAborted, 5000, 'the client to close the connection');
  });
});
