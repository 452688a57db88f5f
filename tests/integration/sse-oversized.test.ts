/**
 * A server that sends one 20 MB SSE line with no line end, through the real services and the local server:
 * main stops reading at the event cap and ends the reply with one clear sentence (what arrived before is
 * kept), instead of buffering the line until the connection ends or the idle timeout fires.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('ends a Responses API reply the same way (its stream is decoded by the SDK, behind the same cap)', async () => {
    let closed = false;
    // A Responses server that starts a reply, then sends one endless line and keeps the connection open.
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const response = { id: 'resp_1', object: 'response', created_at: 1, status: 'in_progress', model: 'gpt-4o', output: [] };
      res.write(`event: response.created\ndata: ${JSON.stringify({ type: 'response.created', sequence_number: 0, response })}\n\n`);
      res.write(`event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Before the flood.' })}\n\n`);
      const piece = 'a'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 20 * 1024 * 1024 && !closed) {
          sent += piece.length;
          if (!res.write(sent === piece.length ? `data: ${piece}` : piece)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => (closed = true));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const rig = local.rig({ http: { idleTimeoutMs: 20_000 } });
      rig.addProvider({ type: 'openai-responses', name: 'Hostile', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: 'gpt-4o', conversationState: 'stateless' });
      const conversation = await rig.call('conversations:create', undefined);
      const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hello' });
      const result = await rig.finished(sent.streamId);
      expect(result.content).toBe('Before the flood.');
      expect(result.final.error).toMatchObject({ code: 'MALFORMED_STREAM', params: { context: 'too_large' } });
      await waitUntil(() => closed, 5000, 'the client to close the connection');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
