import { describe, expect, it } from 'vitest';
import { ThinkTagParser, type ThinkSegment } from '../../../../../electron/main/providers/wire/think-tag-parser';

/** Feeds chunks and joins what came out per kind, the way the adapter accumulates it. */
function run(chunks: string[]): { content: string; reasoning: string; segments: ThinkSegment[] } {
  const parser = new ThinkTagParser();
  const segments = [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
  return {
    content: segments.filter((s) => s.kind === 'content').map((s) => s.text).join(''),
    reasoning: segments.filter((s) => s.kind === 'reasoning').map((s) => s.text).join(''),
    segments,
  };
}

describe('ThinkTagParser', () => {
  it('separates a leading think block from the answer and drops the blank lines after it', () => {
    expect(run(['<think>Let me see.</think>\n\nThe answer is 4.'])).toMatchObject({
      reasoning: 'Let me see.',
      content: 'The answer is 4.',
    });
  });

  it('passes plain content through untouched', () => {
    expect(run(['Hello', ' world'])).toMatchObject({ content: 'Hello world', reasoning: '' });
  });

  it('handles both tags split at every possible position across chunks', () => {
    const text = '<think>abc</think>xyz';
    for (let i = 1; i < text.length; i++) {
      for (let j = i + 1; j < text.length; j++) {
        const result = run([text.slice(0, i), text.slice(i, j), text.slice(j)]);
        expect(result, `split at ${i}/${j}`).toMatchObject({ reasoning: 'abc', content: 'xyz' });
      }
    }
  });

  it('handles a stream delivered one character at a time', () => {
    expect(run([...'  <think>step 1\nstep 2</think>\nDone.'])).toMatchObject({
      reasoning: 'step 1\nstep 2',
      content: 'Done.',
    });
  });

  it('never lets a character that might begin the closing tag leak into the answer', () => {
    const parser = new ThinkTagParser();
    const first = parser.push('<think>thinking</th');
    expect(first).toEqual([{ kind: 'reasoning', text: 'thinking' }]);
    expect(parser.push('ink>answer')).toEqual([{ kind: 'content', text: 'answer' }]);
  });

  it('keeps a "<" inside reasoning that turns out not to be a tag', () => {
    expect(run(['<think>a </t', 'able> b</think>ok'])).toMatchObject({ reasoning: 'a </table> b', content: 'ok' });
  });

  it('treats a think tag after answer text as ordinary text (an answer explaining the tag stays intact)', () => {
    expect(run(['Use the ', '<think>', ' tag like <think>x</think>.'])).toMatchObject({
      content: 'Use the <think> tag like <think>x</think>.',
      reasoning: '',
    });
  });

  it('treats text that only looks like the start of a tag as content once it diverges', () => {
    expect(run(['<thi', 's is not a tag'])).toMatchObject({ content: '<this is not a tag', reasoning: '' });
    expect(run(['<'])).toMatchObject({ content: '<' });
  });

  it('keeps unfinished reasoning as reasoning when the stream ends inside it', () => {
    expect(run(['<think>half a thought</thi'])).toMatchObject({ reasoning: 'half a thought</thi', content: '' });
  });
});

describe('ThinkTagParser fast paths', () => {
  it('passes through only once the answer began and nothing is held back', () => {
    const parser = new ThinkTagParser();
    expect(parser.passesThrough).toBe(false);
    parser.push('  ');
    expect(parser.passesThrough).toBe(false);
    parser.push('<thi');
    expect(parser.passesThrough).toBe(false);
    parser.push('nk>why</think>');
    expect(parser.passesThrough).toBe(false);
    expect(parser.push('\n\nBecause <b>')).toEqual([{ kind: 'content', text: 'Because <b>' }]);
    expect(parser.passesThrough).toBe(true);
  });

  it('passes through at once for an answer that does not start with a tag', () => {
    const parser = new ThinkTagParser();
    expect(parser.push('Hello')).toEqual([{ kind: 'content', text: 'Hello' }]);
    expect(parser.passesThrough).toBe(true);
  });

  it('emits reasoning without a `<` whole, and still finds a closing tag split after it', () => {
    const parser = new ThinkTagParser();
    expect(parser.push('<think>step one')).toEqual([{ kind: 'reasoning', text: 'step one' }]);
    expect(parser.push(', step two')).toEqual([{ kind: 'reasoning', text: ', step two' }]);
    expect(parser.push(' a<b </th')).toEqual([{ kind: 'reasoning', text: ' a<b ' }]);
    expect(parser.push('ink>Answer')).toEqual([{ kind: 'content', text: 'Answer' }]);
  });

  it('holds back only the longest tail that can still become `</think>`', () => {
    const parser = new ThinkTagParser();
    parser.push('<think>');
    // `<` twice near the end: only `</thin` is a prefix of the tag.
    expect(parser.push('x </thin')).toEqual([{ kind: 'reasoning', text: 'x ' }]);
    expect(parser.push('g>')).toEqual([{ kind: 'reasoning', text: '</thing>' }]);
    expect(parser.push('<<')).toEqual([{ kind: 'reasoning', text: '<' }]);
    expect(parser.end()).toEqual([{ kind: 'reasoning', text: '<' }]);
  });
});
