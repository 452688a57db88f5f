/**
 * Decodes the Assistants API event stream: named Server-Sent Events (`event: thread.message.delta` +
 * `data: {…}`), ending with `event: done` / `data: [DONE]`. Comment lines (`: keep-alive`) are ignored;
 * `\r\n`, `\r` and `\n` line endings are all legal SSE. The SDK's own decoder is not used because the whole
 * Assistants surface of the SDK is deprecated and due to go, while this protocol is what servers that
 * still serve the API speak.
 */

export interface AssistantSseEvent {
  /** The `event:` field; `message` when the server sent none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

/**
 * Yields one event per blank-line-terminated block. `onChunk` is called whenever bytes arrive (the caller
 * resets its idle timer there).
 */
export async function* decodeAssistantEvents(
  body: ReadableStream<Uint8Array>,
  onChunk?: () => void,
): AsyncGenerator<AssistantSseEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let sawData = false;

  const takeLine = (line: string): AssistantSseEvent | null => {
    if (line === '') {
      if (!sawData) {
        event = '';
        return null;
      }
      const out = { event: event || 'message', data: data.join('\n') };
      event = '';
      data = [];
      sawData = false;
      return out;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') {
      data.push(value);
      sawData = true;
    }
    return null;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      buffer += decoder.decode(value, { stream: true });
      let match: RegExpExecArray | null;
      const lineEnd = /\r\n|\r|\n/g;
      let start = 0;
      while ((match = lineEnd.exec(buffer)) !== null) {
        // A lone `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        const out = takeLine(buffer.slice(start, match.index));
        start = match.index + match[0].length;
        if (out) yield out;
      }
      buffer = buffer.slice(start);
    }
    buffer += decoder.decode();
    if (buffer !== '') {
      const out = takeLine(buffer);
      if (out) yield out;
    }
    const last = takeLine('');
    if (last) yield last;
  } finally {
    // Stopping early (a terminal event, Stop) must close the connection, not leave it half-read.
    await reader.cancel().catch(() => undefined);
  }
}
