/**
 * Splits streamed content into answer text and inline reasoning (`<think>…</think>`, as DeepSeek-R1, QwQ
 * and older Ollama builds emit it). Works incrementally: a tag cut across two chunks (`<thi` + `nk>`) is
 * held back until the next chunk says what it is, so neither half leaks into the answer.
 *
 * An opening tag counts only before any answer text (leading whitespace aside): reasoning models put
 * it first, and an answer that merely talks about `<think>` tags (in prose or code) must stay intact.
 */
export interface ThinkSegment {
  kind: 'content' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkTagParser {
  private state: 'start' | 'reasoning' | 'after-reasoning' | 'answer' = 'start';
  /** Text held back because it may be the beginning of a tag (or leading whitespace before one). */
  private pending = '';

  /**
   * True once the answer has begun and nothing is held back: every later chunk is answer text as it
   * stands, so a caller on a hot path may skip `push` (and its allocations) altogether.
   */
  get passesThrough(): boolean {
    return this.state === 'answer' && this.pending.length === 0;
  }

  push(chunk: string): ThinkSegment[] {
    // Reasoning without any `<`: no tag can start or end in it.
    if (this.state === 'reasoning' && this.pending.length === 0 && !chunk.includes('<')) {
      return chunk.length > 0 ? [{ kind: 'reasoning', text: chunk }] : [];
    }
    const out: ThinkSegment[] = [];
    let text = this.pending + chunk;
    this.pending = '';
    while (text.length > 0) {
      if (this.state === 'answer') {
        emit(out, 'content', text);
        return out;
      }
      if (this.state === 'start') {
        const trimmed = text.trimStart();
        if (trimmed.length === 0) {
          this.pending = text;
          return out;
        }
        if (trimmed.startsWith(OPEN)) {
          this.state = 'reasoning';
          text = trimmed.slice(OPEN.length);
          continue;
        }
        if (OPEN.startsWith(trimmed)) {
          this.pending = text;
          return out;
        }
        this.state = 'answer';
        continue;
      }
      if (this.state === 'reasoning') {
        const end = text.indexOf(CLOSE);
        if (end >= 0) {
          emit(out, 'reasoning', text.slice(0, end));
          this.state = 'after-reasoning';
          text = text.slice(end + CLOSE.length);
          continue;
        }
        const keep = partialSuffix(text, CLOSE);
        emit(out, 'reasoning', text.slice(0, text.length - keep));
        this.pending = text.slice(text.length - keep);
        return out;
      }
      // after-reasoning: the blank lines models put between `</think>` and the answer are not the answer.
      const trimmed = text.trimStart();
      if (trimmed.length === 0) return out;
      this.state = 'answer';
      text = trimmed;
    }
    return out;
  }

  /** The stream ended: whatever was held back is what it looked like (an unfinished tag is text). */
  end(): ThinkSegment[] {
    const rest = this.pending;
    this.pending = '';
    if (!rest) return [];
    if (this.state === 'reasoning') return [{ kind: 'reasoning', text: rest }];
    if (this.state === 'start') {
      this.state = 'answer';
      return rest.trim().length > 0 ? [{ kind: 'content', text: rest }] : [];
    }
    return [{ kind: 'content', text: rest }];
  }
}

function emit(out: ThinkSegment[], kind: ThinkSegment['kind'], text: string): void {
  if (text.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (which starts with `<`). */
function partialSuffix(text: string, tag: string): number {
  const from = Math.max(0, text.length - (tag.length - 1));
  // Only a suffix that begins at a `<` can be the start of the tag.
  for (let at = text.indexOf('<', from); at >= 0; at = text.indexOf('<', at + 1)) {
    if (tag.startsWith(text.slice(at))) return text.length - at;
  }
  return 0;
}
