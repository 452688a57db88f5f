import { describe, expect, it } from 'vitest';
import { splitThinkTags } from '../../../../renderer/chat/think-tags';

describe('splitThinkTags', () => {
  it('moves a leading think block out of the answer', () => {
    expect(splitThinkTags('<think>\nWhy not.\n</think>\n\nThe answer.')).toEqual({
      answer: 'The answer.',
      thinking: 'Why not.',
      thinkingOpen: false,
    });
  });

  it('reports a think block that is still open (the model is still thinking)', () => {
    expect(splitThinkTags('  <think>Considering')).toEqual({ answer: '', thinking: 'Considering', thinkingOpen: true });
  });

  it('leaves a <think> later in the answer alone: the model meant to show it', () => {
    const text = 'Use the <think> tag like this: <think>x</think>';
    expect(splitThinkTags(text)).toEqual({ answer: text, thinking: null, thinkingOpen: false });
  });

  it('leaves ordinary answers untouched', () => {
    expect(splitThinkTags('Hello')).toEqual({ answer: 'Hello', thinking: null, thinkingOpen: false });
  });
});
