import { describe, expect, it } from 'vitest';
import { containsExact, fold, indexTerms, parseQuery, snippetOf } from '../../../../electron/main/search/search-text';

describe('indexTerms', () => {
  it('splits English into folded words', () => {
    expect(indexTerms('Hello, World! It’s React-18')).toEqual(['hello', 'world', 'it', 's', 'react', '18']);
  });
  it('folds width and case (NFKC, then lower case)', () => {
    expect(indexTerms('ＲＥＡＣＴ ｶﾀｶﾅ')).toEqual(['react', 'カ', 'カタ', 'タ', 'タカ', 'カ', 'カナ', 'ナ']);
    expect(fold('ﬁle Ａ')).toBe('file a');
  });
  it('cuts Traditional Chinese into characters and pairs', () => {
    expect(indexTerms('台北市')).toEqual(['台', '台北', '北', '北市', '市']);
  });
  it('handles mixed text: words stay whole, CJK runs become n-grams', () => {
    expect(indexTerms('用React寫元件')).toEqual(['用', 'react', '寫', '寫元', '元', '元件', '件']);
  });
});

describe('parseQuery', () => {
  it('makes the last typed word a prefix', () => {
    const parts = parseQuery('quick bro');
    expect(parts.map((p) => [p.text, p.prefix])).toEqual([
      ['quick', false],
      ['bro', true],
    ]);
    expect(parseQuery('quick bro ')[1]!.prefix).toBe(false);
  });
  it('keeps quoted phrases exact', () => {
    const [phrase, word] = parseQuery('"Brown  FOX" jumps');
    expect(phrase).toMatchObject({ text: 'brown fox', terms: ['brown', 'fox'], exact: true, prefix: false });
    expect(word).toMatchObject({ text: 'jumps', prefix: true });
  });
  it('looks up one or two CJK characters directly and longer runs by their pairs', () => {
    expect(parseQuery('北')[0]).toMatchObject({ terms: ['北'], exact: false });
    expect(parseQuery('台北')[0]).toMatchObject({ terms: ['台北'], exact: false });
    expect(parseQuery('台北市')[0]).toMatchObject({ terms: ['台北', '北市'], exact: true });
  });
  it('has no parts for punctuation alone', () => {
    expect(parseQuery('  ?! ')).toEqual([]);
  });
});

describe('containsExact', () => {
  it('checks phrases in order and ignores extra white space', () => {
    const parts = parseQuery('"brown fox"');
    expect(containsExact(fold('The Brown\n fox'), parts)).toBe(true);
    expect(containsExact(fold('fox brown'), parts)).toBe(false);
  });
});

describe('snippetOf', () => {
  it('marks every match in the original text, width-folded', () => {
    const s = snippetOf('Use ＲＥＡＣＴ hooks; react is fun', parseQuery('react'));
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['ＲＥＡＣＴ', 'react']);
  });
  it('cuts long text around the first match', () => {
    const text = `${'lorem '.repeat(200)}needle ${'ipsum '.repeat(200)}`;
    const s = snippetOf(text, parseQuery('needle'));
    expect(s.cutStart).toBe(true);
    expect(s.cutEnd).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(182);
    const [a, b] = s.highlights[0]!;
    expect(s.text.slice(a, b)).toBe('needle');
  });
  it('marks CJK matches and collapses white space', () => {
    const s = snippetOf('我住在\n\n台北市。', parseQuery('台北'));
    expect(s.text).toBe('我住在 台北市。');
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['台北']);
  });
});
