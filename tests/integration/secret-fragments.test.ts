/**
 * A server that echoes the API key inside a long error message, through the real services and the local
 * server: wherever the key sits relative to the 300-character cut, no piece of it (8+ characters) reaches
 * the message the window shows, the events sent to it, the log or the saved conversation file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localServerAndRigs } from '../support/chat-rig';

// Shaped like an Azure key: no `sk-` prefix for the log's generic redaction to catch.
const KEY = 'a3f9c2e7b1d84f6a9e0c5b7d2f8a1c4e7b9d0f2a';
const local = localServerAndRigs({ apiKey: KEY });

function pieceOfKeyIn(text: string): string | null {
  for (let i = 0; i + 8 <= KEY.length; i++) if (text.includes(KEY.slice(i, i + 8))) return KEY.slice(i, i + 8);
  return null;
}

/** A long message with the key starting at `position`, as a server that echoes what it got would send. */
function echoing(position: number): string {
  return `${'Your request could not be processed. '.repeat(12).slice(0, position)}${KEY} is not allowed for this model; ${'details follow. '.repeat(20)}`;
}

describe('a server error that echoes the key', () => {
  // Positions around the 300-character cut, where a cut made before scrubbing splits the key.
  it.each([262, 270, 283, 290, 292])('leaves no piece of the key anywhere when it starts at %i', async (position) => {
    const rig = local.rig();
    rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' }, KEY);
    local.server.nextResponses({ kind: 'error', status: 403, message: echoing(position) });
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hello' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.status).toBe('failed');
    const shown = result.final.error!.message;
    expect(shown).toContain('The server said');
    expect(pieceOfKeyIn(shown)).toBeNull();
    expect(pieceOfKeyIn(JSON.stringify(rig.events.sent))).toBeNull();
    expect(pieceOfKeyIn(rig.log.lines.join('\n'))).toBeNull();
    await rig.services.dispose();
    const file = fs.readFileSync(path.join(rig.dataDir, 'conversations', `${conversation.id}.json`), 'utf8');
    expect(pieceOfKeyIn(file)).toBeNull();
  });

  it('leaves no piece of the key when the echo comes inside the 200 stream', async () => {
    const rig = local.rig();
    rig.addProvider({ baseUrl: local.server.url, model: 'gpt-4o-mini' }, KEY);
    local.server.nextResponses({ kind: 'chat', steps: [{ type: 'content', text: 'Partial' }, { type: 'error', error: { message: echoing(285) } }], ending: 'none' });
    const conversation = await rig.call('conversations:create', undefined);
    const sent = await rig.call('chat:send', { conversationId: conversation.id, text: 'hello' });
    const result = await rig.finished(sent.streamId);
    expect(result.final.error?.code).toBe('STREAM_ERROR');
    expect(pieceOfKeyIn(JSON.stringify(rig.events.sent))).toBeNull();
    await rig.services.dispose();
    const file = fs.readFileSync(path.join(rig.dataDir, 'conversations', `${conversation.id}.json`), 'utf8');
    expect(pieceOfKeyIn(file)).toBeNull();
  });
});
