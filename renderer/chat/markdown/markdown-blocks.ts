/**
 * Splits a reply into Markdown blocks incrementally, so a streaming reply re-parses only its last block.
 *
 * Blocks that can no longer change (everything before a blank line that is followed by a new, unindented
 * line outside a code fence) are kept as stable strings: React memoises their rendering, and each update
 * scans only the text that arrived since the previous one. Indented lines after a blank line are kept in
 * the same block because they usually continue a list item (a nested code fence or paragraph), and
 * splitting there would change how the Markdown renders.
 */

interface Fence {
  char: '`' | '~';
  length: number;
}

const FENCE_OPEN = /^\s*(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^\s*(`{3,}|~{3,})\s*$/;

export interface BlockSplit {
  /** Blocks that will not change any more, in order. The same string objects across updates. */
  stable: readonly string[];
  /** The last block, still growing while the reply streams (may be empty). */
  tail: string;
  /** True when the tail ends inside a code fence that has not been closed yet. */
  tailInOpenFence: boolean;
}

export class MarkdownBlockSplitter {
  private text = '';
  private stable: string[] = [];
  /** Where the tail (the block still open) starts. */
  private tailStart = 0;
  /** Everything before this offset has been scanned line by line. */
  private scanned = 0;
  private fence: Fence | null = null;
  /** Offset just after the last blank line seen outside a fence, while no content line followed yet. */
  private boundary: number | null = null;

  update(next: string): BlockSplit {
    // Replies only grow while streaming; anything else (a reset, another message) starts over.
    if (!next.startsWith(this.text)) this.reset();
    this.text = next;
    let lineStart = this.scanned;
    for (let nl = next.indexOf('\n', lineStart); nl !== -1; nl = next.indexOf('\n', lineStart)) {
      this.scanLine(next.slice(lineStart, nl), lineStart, nl + 1);
      lineStart = nl + 1;
    }
    this.scanned = lineStart;
    // The line still arriving already ends the previous block once its first character shows it is not
    // indented; it is scanned for a fence when it is complete.
    if (!this.fence && this.boundary !== null && lineStart < next.length && !/\s/.test(next[lineStart]!)) {
      this.closeBlockAt(lineStart);
    }
    return {
      stable: this.stable,
      tail: next.slice(this.tailStart),
      tailInOpenFence: this.fence !== null,
    };
  }

  private reset(): void {
    this.text = '';
    this.stable = [];
    this.tailStart = 0;
    this.scanned = 0;
    this.fence = null;
    this.boundary = null;
  }

  /** Everything before the last blank line becomes a stable block; the tail starts at `start`. */
  private closeBlockAt(start: number): void {
    if (this.boundary !== null && this.boundary > this.tailStart) {
      const block = this.text.slice(this.tailStart, this.boundary);
      // A new array, so a consumer holding the previous split sees the change.
      if (block.trim() !== '') this.stable = [...this.stable, block];
      this.tailStart = start;
    }
    this.boundary = null;
  }

  private scanLine(line: string, start: number, end: number): void {
    if (this.fence) {
      const close = FENCE_CLOSE.exec(line);
      if (close?.[1] && close[1][0] === this.fence.char && close[1].length >= this.fence.length) this.fence = null;
      return;
    }
    if (line.trim() === '') {
      this.boundary = end;
      return;
    }
    if (this.boundary !== null && !/^\s/.test(line)) this.closeBlockAt(start);
    this.boundary = null;
    const open = FENCE_OPEN.exec(line);
    if (open?.[1]) {
      const marker = open[1];
      const char = marker[0] as '`' | '~';
      // A backtick fence's info string may not contain backticks (that is inline code, not a fence).
      if (char === '~' || !(open[2] ?? '').includes('`')) this.fence = { char, length: marker.length };
    }
  }
}

/** Splits a whole text at once (for tests and one-off rendering). */
export function splitMarkdownBlocks(text: string): string[] {
  const split = new MarkdownBlockSplitter().update(text);
  return split.tail === '' ? [...split.stable] : [...split.stable, split.tail];
}
