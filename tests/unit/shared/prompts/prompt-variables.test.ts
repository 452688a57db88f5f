import { describe, expect, it } from 'vitest';
import { fillVariables, parseVariables } from '../../../../shared/prompts/prompt-variables';

describe('parseVariables', () => {
  it('lists each variable once, in the order it first appears, with spaces inside the braces trimmed', () => {
    expect(parseVariables('Translate {{text}} into {{ language }}; keep {{text}} short.')).toEqual(['text', 'language']);
  });

  it('reads names in any script, with digits, dots, dashes, underscores and inner spaces', () => {
    expect(parseVariables('{{主題}} {{user.name}} {{max-len}} {{a_b}} {{target audience}}')).toEqual([
      '主題',
      'user.name',
      'max-len',
      'a_b',
      'target audience',
    ]);
  });

  it('leaves braces that are not a variable as text', () => {
    expect(parseVariables('No variables: {{}} {{ }} {single} {{a{b}} {{a}b}}')).toEqual([]);
    expect(parseVariables('')).toEqual([]);
  });
});

describe('fillVariables', () => {
  it('replaces every occurrence, spaced or not, by its value', () => {
    expect(fillVariables('Hi {{name}}, {{ name }}! Topic: {{topic}}', { name: 'Ada', topic: 'engines' })).toBe(
      'Hi Ada, Ada! Topic: engines',
    );
  });

  it('inserts values literally (no $& or $1 expansion, no second pass over inserted braces)', () => {
    expect(fillVariables('{{a}} {{b}}', { a: '$& $1 $$', b: '{{a}}' })).toBe('$& $1 $$ {{a}}');
  });

  it('makes a variable without a value empty and keeps other braces', () => {
    expect(fillVariables('[{{missing}}] {single} {{}}', {})).toBe('[] {single} {{}}');
  });

  it('does not read inherited properties as values', () => {
    expect(fillVariables('{{constructor}}', {})).toBe('');
  });
});
