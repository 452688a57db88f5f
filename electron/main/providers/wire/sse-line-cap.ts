/**
 * The event cap (sse-decoder.ts) for streams that the SDK decodes: the Responses API is read through the
 * openai SDK's own SSE decoder, which keeps an unfinished line whole however long it grows, so a server
 * sending megabytes without a line end would grow main's memory as it did for Chat Completions before the
 * cap. Here an event-stream body passes through a count of the bytes since the last line end, and ends with
 * SseEventTooLarge (the reply's "too large" sentence, errors/reply-failure.ts) once a line runs past the cap.
 * Nothing is held: each chunk goes on as it came.
 */
import { MAX_EVENT_BYTES, SseEventTooLarge } from './sse-decoder';

const LF = 10;
const CR = 13;

/** A stream of the same chunks that errors once a line has run past `maxBytes` without a line end. */
export function lineCapped(maxBytes: number = MAX_EVENT_BYTES): TransformStream<Uint8Array, Uint8Array> {
  let run = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const lastEnd = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
      run = lastEnd === -1 ? run + chunk.length : chunk.length - lastEnd - 1;
      if (run > maxBytes) {
        controller.error(new SseEventTooLarge(maxBytes));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/** `fetch` whose `text/event-stream` responses are line-capped; every other response is passed as it is. */
export function withSseLineCap(fetch: typeof globalThis.fetch, maxBytes: number = MAX_EVENT_BYTES): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (!response.body || !type.includes('text/event-stream')) return response;
    const capped = new Response(response.body.pipeThrough(lineCapped(maxBytes)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // The SDK names the URL in some errors; a Response made here would have none.
    Object.defineProperty(capped, 'url', { value: response.url });
    return capped;
  };
}
