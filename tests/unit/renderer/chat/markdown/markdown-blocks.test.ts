import { describe, expect, it } from 'vitest';
import { MarkdownBlockSplitter, splitMarkdownBlocks } from '../../../../../renderer/chat/markdown/markdown-blocks';

describe('MarkdownBlockSplitter', () => {
  it('splits at blank lines between top-level blocks', () => {
    expect(splitMarkdownBlocks('# Title\n\nFirst paragraph.\n\nSecond paragraph.')).toEqual([
      '# Title\n\n',
      'First paragraph.\n\n',
      'Second paragraph.',
    ]);
  });

  it('never splits inside a code fence, even at blank lines', () => {
    const text = 'Intro\n\n```python\ndef f():\n\n    return 1\n```\n\nAfter';
    expect(splitMarkdownBlocks(text)).toEqual(['Intro\n\n', '```python\ndef f():\n\n    return 1\n```\n\n', 'After']);
  });

  it('needs a closing fence of the same kind and at least the same length', () => {
    const text = '````md\n```\ninner\n```\n\nstill code\n````\n\nout';
    expect(splitMarkdownBlocks(text)).toEqual(['````md\n```\ninner\n```\n\nstill code\n````\n\n', 'out']);
    expect(splitMarkdownBlocks('~~~\n```\n\nx\n~~~\n\ny')).toEqual(['~~~\n```\n\nx\n~~~\n\n', 'y']);
  });

  it('treats a line of backticks with backticks in its info string as text, not a fence', () => {
    expect(splitMarkdownBlocks('``` not `a fence`\n\nnext')).toEqual(['``` not `a fence`\n\n', 'next']);
  });

  it('keeps indented continuations (nested list content) with their list item', () => {
    const text = '1. Install:\n\n   ```bash\n   npm i\n   ```\n\n2. Run it\n\nDone.';
    expect(splitMarkdownBlocks(text)).toEqual(['1. Install:\n\n   ```bash\n   npm i\n   ```\n\n', '2. Run it\n\n', 'Done.']);
  });

  it('keeps tables whole', () => {
    const table = '| a | b |\n| - | - |\n| 1 | 2 |\n';
    expect(splitMarkdownBlocks(`Before\n\n${table}\nAfter`)).toEqual(['Before\n\n', `${table}\n`, 'After']);
  });

  it('grows incrementally: finished blocks keep their identity while the tail grows', () => {
    const splitter = new MarkdownBlockSplitter();
    const first = splitter.update('Para one.\n\nPara t');
    expect(first.stable).toEqual(['Para one.\n\n']);
    expect(first.tail).toBe('Para t');
    const second = splitter.update('Para one.\n\nPara two is longer');
    expect(second.stable).toBe(first.stable);
    expect(second.tail).toBe('Para two is longer');
    const third = splitter.update('Para one.\n\nPara two is longer.\n\n```js\nlet x');
    expect(third.stable[0]).toBe(first.stable[0]);
    expect(third.stable).toEqual(['Para one.\n\n', 'Para two is longer.\n\n']);
    expect(third.tail).toBe('```js\nlet x');
    expect(third.tailInOpenFence).toBe(true);
    const fourth = splitter.update('Para one.\n\nPara two is longer.\n\n```js\nlet x = 1;\n```\n');
    expect(fourth.tailInOpenFence).toBe(false);
  });

  it('gives the same blocks whether the text arrives at once or in pieces of any size', () => {
    const text =
      '# Heading\n\nSome text with `code`.\n\n- item\n- item 2\n\n  continued\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n| x |\n|---|\n| 1 |\n\nEnd.';
    const whole = splitMarkdownBlocks(text);
    expect(whole.join('')).toBe(text);
    for (const size of [1, 2, 3, 7, 13]) {
      const splitter = new MarkdownBlockSplitter();
      let last = splitter.update('');
      for (let i = size; i < text.length + size; i += size) last = splitter.update(text.slice(0, i));
      expect([...last.stable, last.tail]).toEqual(whole);
    }
  });

  it('starts over when the text is replaced rather than extended', () => {
    const splitter = new MarkdownBlockSplitter();
    splitter.update('Old reply.\n\nMore old text');
    const next = splitter.update('New\n\nreply');
    expect(next.stable).toEqual(['New\n\n']);
    expect(next.tail).toBe('reply');
  });

  it('keeps up with thousands of blocks streamed one paragraph at a time', () => {
    const splitter = new MarkdownBlockSplitter();
    let text = '';
    for (let i = 0; i < 2000; i++) {
      text += `Paragraph ${i} has some words.\n\n`;
      splitter.update(text);
    }
    const split = splitter.update(text + 'tail');
    expect(split.stable).toHaveLength(2000);
    expect(split.tail).toBe('tail');
  });
});
