/**
 * Server-Sent Events as OpenAI-style APIs send them: `data: {…}` blocks (Chat Completions), named events
 * (`event: thread.message.delta`, Assistants), ending with `data: [DONE]`. Comment lines (`: keep-alive`)
 * are ignored; `\r\n`, `\r` and `\n` line endings are all legal SSE, as is `data:` without the space.
 *
 * Why not the SDK's decoder: it hands over one event per `await` through several nested async
 * generators. A fast server puts hundreds of events in one network read, and that per-event machinery
 * cost more CPU than everything else the app does with a reply (measured: a 20,000-chunk stream read in
 * half the CPU time with this decoder). Here one network read is decoded synchronously into one batch.
 * The Assistants surface of the SDK is deprecated besides, while its protocol is what servers still speak.
 */

export interface SseEvent {
  /** The `event:` field; `message` when the server sent none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

/**
 * The most one event may hold (its `data:` lines together, or one line still waiting for its end), in
 * bytes. A real event is a few KB; a server that sends megabytes without a line end is broken or hostile,
 * and without a bound it would grow main's memory until the process dies.
 */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/** Thrown when one event (or one unterminated line) grows past `limitBytes`; the stream is abandoned. */
export class SseEventTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`A server-sent event was larger than ${limitBytes} bytes.`);
    this.name = 'SseEventTooLarge';
  }
}

const LF = 10;
const CR = 13;
const encoder = new TextEncoder();

/**
 * Incremental SSE parsing: bytes in (any split), complete events out. Line ends are ASCII, so lines are
 * found in the bytes as they arrive, each byte searched once; an unfinished line is kept as the raw pieces
 * it arrived in (no text is built for it) and decoded once its end comes. So decoding costs time linear in
 * the bytes received however they are split, and an endless line costs no more memory than the cap.
 */
export class SseParser {
  /** The unfinished line, in the pieces it arrived in. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** The last piece ended with `\r`: a `\n` starting the next one belongs to that line end. */
  private afterCr = false;
  private readonly decoder = new TextDecoder();
  private event = '';
  private data: string[] = [];
  private dataChars = 0;
  private sawData = false;

  constructor(private readonly maxEventBytes: number = MAX_EVENT_BYTES) {}

  /** Parses the complete lines of `chunk` (after what was left over before), pushing finished events onto `out`. */
  push(chunk: Uint8Array | string, out: SseEvent[]): void {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    // An empty piece must not forget a pending `\r`.
    if (bytes.length === 0) return;
    let start = 0;
    if (this.afterCr && bytes[0] === LF) start = 1;
    this.afterCr = false;
    // The next `\n` and `\r` at or after `start` (-1: none left); each is searched for again only once passed.
    let nextLf = -2;
    let nextCr = -2;
    while (start < bytes.length) {
      if (nextLf !== -1 && nextLf < start) nextLf = bytes.indexOf(LF, start);
      if (nextCr !== -1 && nextCr < start) nextCr = bytes.indexOf(CR, start);
      if (nextLf === -1 && nextCr === -1) break;
      const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      this.line(this.lineText(bytes.subarray(start, end)), out);
      start = end + 1;
      if (bytes[end] === CR) {
        // `\r\n` is one line end; a `\r` that ends this piece may be the first half of one.
        if (start === bytes.length) this.afterCr = true;
        else if (bytes[start] === LF) start++;
      }
    }
    if (start < bytes.length) {
      const rest = bytes.subarray(start);
      this.pendingBytes += rest.length;
      if (this.pendingBytes + this.dataChars > this.maxEventBytes) throw this.tooLarge();
      this.pending.push(rest);
    }
  }

  /** The body ended: a last line without its line end, and a last event without its blank line, count. */
  end(out: SseEvent[]): void {
    if (this.pending.length > 0) this.line(this.lineText(new Uint8Array(0)), out);
    this.line('', out);
  }

  /** The text of a line: what was pending of it, then `last`. */
  private lineText(last: Uint8Array): string {
    if (this.pending.length === 0) return this.decoder.decode(last);
    const whole = new Uint8Array(this.pendingBytes + last.length);
    let at = 0;
    for (const piece of this.pending) {
      whole.set(piece, at);
      at += piece.length;
    }
    whole.set(last, at);
    this.pending = [];
    this.pendingBytes = 0;
    return this.decoder.decode(whole);
  }

  private tooLarge(): SseEventTooLarge {
    // What was held is dropped at once: the stream ends here.
    this.pending = [];
    this.pendingBytes = 0;
    this.data = [];
    this.dataChars = 0;
    return new SseEventTooLarge(this.maxEventBytes);
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.sawData) {
        out.push({ event: this.event || 'message', data: this.data.length === 1 ? this.data[0]! : this.data.join('\n') });
        this.data = [];
        this.dataChars = 0;
        this.sawData = false;
      }
      this.event = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* ' ' */) value = value.slice(1);
    if (field === 'data') {
      this.dataChars += value.length + 1;
      if (this.dataChars > this.maxEventBytes) throw this.tooLarge();
      this.data.push(value);
      this.sawData = true;
    } else if (field === 'event') {
      this.event = value;
    }
  }
}

/**
 * Yields the events of `body` one batch per network read (no batch is empty), decoded synchronously.
 * `onChunk` is called whenever bytes arrive (the caller resets its idle timer there). Returning early
 * cancels the body; a caller that stops iterating without returning must abort the request itself.
 */
export async function* decodeSseBatches(body: ReadableStream<Uint8Array>, onChunk?: () => void): AsyncGenerator<SseEvent[]> {
  const parser = new SseParser();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      const batch: SseEvent[] = [];
      parser.push(value, batch);
      if (batch.length > 0) yield batch;
    }
    const last: SseEvent[] = [];
    parser.end(last);
    if (last.length > 0) yield last;
  } finally {
    // Stopping early (a terminal event, Stop) must close the connection, not leave it half-read.
    await reader.cancel().catch(() => undefined);
  }
}

/** The events of `body` one at a time (see decodeSseBatches). */
export async function* decodeSseEvents(body: ReadableStream<Uint8Array>, onChunk?: () => void): AsyncGenerator<SseEvent> {
  for await (const batch of decodeSseBatches(body, onChunk)) yield* batch;
}

/**
 * The batches of `batches` up to (not including) the `data: [DONE]` that ends an OpenAI stream; reading
 * stops there, as the SDK's does, so a server or proxy that holds the connection open afterwards does not
 * keep the reply waiting for its idle timeout.
 */
export async function* untilDone(batches: AsyncGenerator<SseEvent[]>): AsyncGenerator<SseEvent[]> {
  for await (const batch of batches) {
    const done = batch.findIndex((e) => e.data === '[DONE]');
    if (done === -1) {
      yield batch;
      continue;
    }
    if (done > 0) yield batch.slice(0, done);
    return;
  }
}
