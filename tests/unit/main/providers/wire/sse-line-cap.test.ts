import { describe, expect, it } from 'vitest';
import { SseEventTooLarge } from '../../../../../electron/main/providers/wire/sse-decoder';
import { lineCapped } from '../../../../../electron/main/providers/wire/sse-line-cap';

async function pass(chunks: string[], max: number): Promise<{ out: string; error: unknown }> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  const reader = source.pipeThrough(lineCapped(max)).getReader();
  let out = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { out, error: null };
      out += new TextDecoder().decode(value);
    }
  } catch (error) {
    return { out, error };
  }
}

describe('the line cap on a stream the SDK decodes', () => {
  it('passes every chunk as it came while no line runs past the cap, whatever the line ends', async () => {
    const chunks = ['data: 12345\n\n', 'data: 123', '45\r\n\r', '\ndata: 1234567890', '\r\r'];
    expect(await pass(chunks, 16)).toEqual({ out: chunks.join(''), error: null });
  });

  it('counts a line across chunks and ends the stream once it passes the cap', async () => {
    const { out, error } = await pass(['ok\ndata: 12', '345', '6789'], 10);
    expect(error).toBeInstanceOf(SseEventTooLarge);
    expect((error as SseEventTooLarge).limitBytes).toBe(10);
    // What came before the chunk that crossed the cap went on.
    expect(out).toBe('ok\ndata: 12');
  });
});
