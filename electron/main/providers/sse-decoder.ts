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
 * The most text one event may hold (its `data:` lines together, or one line still waiting for its end).
 * A real event is a few KB; a server that sends megabytes without a line end is broken or hostile, and
 * without a bound it would grow main's memory until the process dies.
 */
export const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/** Thrown when one event (or one unterminated line) grows past `limitChars`; the stream is abandoned. */
export class SseEventTooLarge extends Error {
  constructor(readonly limitChars: number) {
    super(`A server-sent event was larger than ${limitChars} characters.`);
    this.name = 'SseEventTooLarge';
  }
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Incremental SSE parsing: text in (any split), complete events out. Each piece of text is searched for
 * line ends once, when it arrives: the unfinished line is kept as a list of pieces and joined only once
 * its end comes, so decoding costs time linear in the text received however it is split.
 */
export class SseParser {
  /** The unfinished line, in the pieces it arrived in. */
  private pending: string[] = [];
  private pendingChars = 0;
  /** The last piece ended with `\r`: a `\n` starting the next one belongs to that line end. */
  private afterCr = false;
  private event = '';
  private data: string[] = [];
  private dataChars = 0;
  private sawData = false;

  constructor(private readonly maxEventChars: number = MAX_EVENT_CHARS) {}

  /** Parses the complete lines of `text` (after what was left over before), pushing finished events onto `out`. */
  push(text: string, out: SseEvent[]): void {
    // An empty piece (half of a multi-byte character) must not forget a pending `\r`.
    if (text === '') return;
    let start = 0;
    if (this.afterCr && text.charCodeAt(0) === 10 /* '\n' */) start = 1;
    this.afterCr = false;
    LINE_END.lastIndex = start;
    let match: RegExpExecArray | null;
    while ((match = LINE_END.exec(text)) !== null) {
      const piece = text.slice(start, match.index);
      let line = piece;
      if (this.pending.length > 0) {
        this.pending.push(piece);
        line = this.pending.join('');
        this.pending = [];
        this.pendingChars = 0;
      }
      this.line(line, out);
      start = match.index + match[0].length;
      // A `\r` that ends this piece may be the first half of `\r\n`; the line is complete either way.
      if (match[0] === '\r' && start === text.length) this.afterCr = true;
    }
    if (start < text.length) {
      const rest = text.slice(start);
      this.pendingChars += rest.length;
      if (this.pendingChars + this.dataChars > this.maxEventChars) throw this.tooLarge();
      this.pending.push(rest);
    }
  }

  /** The body ended: a last line without its line end, and a last event without its blank line, count. */
  end(out: SseEvent[]): void {
    if (this.pending.length > 0) this.line(this.pending.join(''), out);
    this.pending = [];
    this.pendingChars = 0;
    this.line('', out);
  }

  private tooLarge(): SseEventTooLarge {
    // What was held is dropped at once: the stream ends here.
    this.pending = [];
    this.pendingChars = 0;
    this.data = [];
    this.dataChars = 0;
    return new SseEventTooLarge(this.maxEventChars);
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
      if (this.dataChars > this.maxEventChars) throw this.tooLarge();
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
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      const batch: SseEvent[] = [];
      parser.push(decoder.decode(value, { stream: true }), batch);
      if (batch.length > 0) yield batch;
    }
    const last: SseEvent[] = [];
    parser.push(decoder.decode(), last);
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
