import { describe, expect, it } from 'vitest';
import { decodeAssistantEvents, type AssistantSseEvent } from '../../../../electron/main/providers/openai-assistant-sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function decode(chunks: string[]): Promise<AssistantSseEvent[]> {
  const out: AssistantSseEvent[] = [];
  for await (const e of decodeAssistantEvents(streamOf(chunks))) out.push(e);
  return out;
}

describe('decodeAssistantEvents', () => {
  it('reads named events split anywhere across chunks, with any line ending', async () => {
    const text = 'event: thread.run.created\r\ndata: {"id":"run_1"}\r\n\r\nevent: thread.message.delta\rdata: {"a":1}\r\revent: done\ndata: [DONE]\n\n';
    const whole = await decode([text]);
    expect(whole).toEqual([
      { event: 'thread.run.created', data: '{"id":"run_1"}' },
      { event: 'thread.message.delta', data: '{"a":1}' },
      { event: 'done', data: '[DONE]' },
    ]);
    // Byte by byte (a `\r\n` split between chunks must not become two line ends).
    expect(await decode(text.split(''))).toEqual(whole);
  });

  it('ignores comments, joins multi-line data, and names unnamed events `message`', async () => {
    expect(await decode([': keep-alive\n\n', 'data: line one\ndata: line two\n\n', 'event: x\n: note\ndata:tight\n\n'])).toEqual([
      { event: 'message', data: 'line one\nline two' },
      { event: 'x', data: 'tight' },
    ]);
  });

  it('delivers a last event that the server did not terminate with a blank line', async () => {
    expect(await decode(['event: thread.run.completed\ndata: {}'])).toEqual([{ event: 'thread.run.completed', data: '{}' }]);
  });

  it('keeps multi-byte characters intact when they are split between chunks', async () => {
    const bytes = new TextEncoder().encode('event: thread.message.delta\ndata: {"v":"【4:0†source】"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const out: AssistantSseEvent[] = [];
    for await (const e of decodeAssistantEvents(stream)) out.push(e);
    expect(out).toEqual([{ event: 'thread.message.delta', data: '{"v":"【4:0†source】"}' }]);
  });
});
