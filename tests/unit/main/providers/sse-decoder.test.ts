import { describe, expect, it } from 'vitest';
import { decodeSseBatches, decodeSseEvents, SseParser, type SseEvent } from '../../../../electron/main/providers/sse-decoder';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function decode(chunks: string[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of decodeSseEvents(streamOf(chunks))) out.push(e);
  return out;
}

describe('decodeSseEvents', () => {
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
    const out: SseEvent[] = [];
    for await (const e of decodeSseEvents(stream)) out.push(e);
    expect(out).toEqual([{ event: 'thread.message.delta', data: '{"v":"【4:0†source】"}' }]);
  });
});

describe('decodeSseBatches', () => {
  it('hands over the events of one network read as one batch, and no empty batches', async () => {
    const reads = [
      'data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n"',
      ':3}\n\n',
      ': keep-alive\n\n',
      'data: [DONE]\n\n',
    ];
    const batches: SseEvent[][] = [];
    let chunks = 0;
    for await (const batch of decodeSseBatches(streamOf(reads), () => chunks++)) batches.push(batch);
    expect(chunks).toBe(4);
    expect(batches.map((b) => b.map((e) => e.data))).toEqual([['{"n":1}', '{"n":2}'], ['{"n":3}'], ['[DONE]']]);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: {}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const batch of decodeSseBatches(body)) {
      expect(batch).toEqual([{ event: 'message', data: '{}' }]);
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('SseParser', () => {
  it('gives the same events for every way of splitting the text', () => {
    const text = 'data: {"a":"x"}\r\n\r\nevent: error\ndata: {"error":{"message":"boom"}}\n\ndata:tight\r\rdata: last';
    const whole: SseEvent[] = [];
    const p = new SseParser();
    p.push(text, whole);
    p.end(whole);
    expect(whole).toEqual([
      { event: 'message', data: '{"a":"x"}' },
      { event: 'error', data: '{"error":{"message":"boom"}}' },
      { event: 'message', data: 'tight' },
      { event: 'message', data: 'last' },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      const out: SseEvent[] = [];
      const q = new SseParser();
      q.push(text.slice(0, cut), out);
      q.push(text.slice(cut), out);
      q.end(out);
      expect(out, `split at ${cut}`).toEqual(whole);
    }
  });
});
