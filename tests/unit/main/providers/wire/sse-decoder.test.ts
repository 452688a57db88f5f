import { describe, expect, it, vi } from 'vitest';
import {
  decodeSseBatches,
  decodeSseEvents,
  MAX_EVENT_BYTES,
  SseEventTooLarge,
  SseParser,
  type SseEvent,
} from '../../../../../electron/main/providers/wire/sse-decoder';

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

describe('hostile streams', () => {
  /** A body of `totalChars` 'a's with no line end, made lazily in 64 KB chunks; `pulled` counts the reads. */
  function endlessLine(totalChars: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (sent >= totalChars) return controller.close();
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    return { body, pulled: () => pulls };
  }

  it('a 20 MB line without a line end ends the stream with SseEventTooLarge once it passes the cap', async () => {
    const { body, pulled } = endlessLine(20 * 1024 * 1024);
    const reading = (async () => {
      for await (const batch of decodeSseBatches(body)) void batch;
    })();
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SseEventTooLarge);
    expect((error as SseEventTooLarge).limitBytes).toBe(MAX_EVENT_BYTES);
    // Reading stopped at the cap, not at the end of the 20 MB.
    expect(pulled() * 64 * 1024).toBeLessThan(MAX_EVENT_BYTES + 4 * 64 * 1024);
  });

  it('many data lines of one event are bounded together', () => {
    const parser = new SseParser(1000);
    const out: SseEvent[] = [];
    expect(() => {
      for (let i = 0; i < 100; i++) parser.push(`data: ${'x'.repeat(50)}\n`, out);
    }).toThrow(SseEventTooLarge);
    expect(out).toEqual([]);
  });

  it('events up to the cap still pass', () => {
    const parser = new SseParser(1000);
    const out: SseEvent[] = [];
    parser.push(`data: ${'y'.repeat(900)}\n\n`, out);
    parser.push(`data: ${'z'.repeat(900)}\n\n`, out);
    expect(out.map((e) => e.data.length)).toEqual([900, 900]);
  });

  it('searches each received byte for line ends a bounded number of times, however small the reads (linear work)', async () => {
    // Counts what every line-end search may look at while the stream is decoded: regular-expression
    // searches over text and index searches over bytes, whichever the decoder uses.
    const exec = RegExp.prototype.exec;
    const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as { indexOf: (this: Uint8Array, v: number, from?: number) => number };
    const indexOf = typedArrayProto.indexOf;
    let examined = 0;
    const spies = [
      vi.spyOn(RegExp.prototype, 'exec').mockImplementation(function (this: RegExp, input: string) {
        examined += input.length - (this.global || this.sticky ? this.lastIndex : 0);
        return exec.call(this, input);
      }),
      vi.spyOn(typedArrayProto, 'indexOf').mockImplementation(function (this: Uint8Array, value: number, from = 0) {
        examined += this.length - from;
        return indexOf.call(this, value, from);
      }),
    ];
    try {
      const line = `data: ${'t'.repeat(20_000)}`;
      // One byte per network read, then the line end.
      const events = await decode([...line.split(''), '\n\n']);
      expect(events).toEqual([{ event: 'message', data: 't'.repeat(20_000) }]);
      expect(examined).toBeLessThanOrEqual(3 * (line.length + 2));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('keeps a `\\r` at the end of a read when an empty read follows before the `\\n`', () => {
    const parser = new SseParser();
    const out: SseEvent[] = [];
    parser.push('data: a\r', out);
    parser.push('', out);
    parser.push('\ndata: b\n\n', out);
    expect(out).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
