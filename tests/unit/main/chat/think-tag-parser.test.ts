import { describe, expect, it } from 'vitest';
import { ThinkTagParser, type ThinkSegment } from '../../../../electron/main/providers/think-tag-parser';

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
