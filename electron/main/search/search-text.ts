/**
 * How text becomes search terms, for the index and for queries alike.
 *
 * Folding: NFKC (full-width Ａ and half-width ｶ fold to A and カ, ligatures split) and then lower case, so
 * `ＲＥＡＣＴ`, `React` and `react` are one term.
 *
 * Scripts without spaces (Han, kana, Hangul) are cut into overlapping character n-grams: every single
 * character and every pair. Not `Intl.Segmenter`: its word breaks come from ICU's dictionaries, which differ
 * between Electron's Chromium ICU and Node's, change between versions (an index built by one version would
 * miss words the next one cuts differently), and cut a query differently from the same words inside a
 * sentence ("台北" alone vs. "台北市政府" segmented as "台北市/政府"), so a query would miss text it is
 * part of. N-grams have none of that: a one-character query finds the character, a two-character query its
 * pair, and a longer one every pair of it, with adjacency checked against the text afterwards.
 */

/** Bumped when terms change: an index built with other terms is rebuilt. */
export const TOKENIZER_VERSION = 1;

const CJK_CLASS = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\p{Script=Bopomofo}]';
const CJK = new RegExp(CJK_CLASS, 'u');
/** Runs of no-space-script characters, or words: runs of other letters and digits. */
const PIECES = new RegExp(`${CJK_CLASS}+|(?:(?!${CJK_CLASS})[\\p{L}\\p{N}\\p{M}_])+`, 'gu');

export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function isCjkRun(piece: string): boolean {
  return CJK.test(piece.charAt(0));
}

/** Index terms of a text: words, and for CJK runs every character and every pair of characters. */
export function indexTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of fold(text).matchAll(PIECES)) {
    const piece = match[0];
    if (!isCjkRun(piece)) {
      terms.push(piece);
      continue;
    }
    const chars = Array.from(piece);
    for (let i = 0; i < chars.length; i++) {
      terms.push(chars[i]!);
      if (i + 1 < chars.length) terms.push(chars[i]! + chars[i + 1]!);
    }
  }
  return terms;
}

/** One thing the user asked for: a word (`prefix` while it is the word being typed) or an exact phrase. */
export interface QueryPart {
  /** Folded text that must appear in the document as is (checked after the index lookup). */
  text: string;
  /** Index terms that must all be present. */
  terms: string[];
  /** The last term may be the start of a word (results as the user types). */
  prefix: boolean;
  /** Must appear verbatim: a quoted phrase, or a run of CJK characters longer than a pair. */
  exact: boolean;
}

/**
 * Parses a query: `"quoted phrases"` must appear as written (after folding); other words are looked up on
 * their own, all of them required; the last unquoted word also matches longer words it starts (typing).
 */
export function parseQuery(query: string): QueryPart[] {
  const parts: QueryPart[] = [];
  const folded = fold(query);
  const quoted = /"([^"]*)"?/g;
  let last = 0;
  const loose: string[] = [];
  for (const match of folded.matchAll(quoted)) {
    loose.push(folded.slice(last, match.index));
    last = match.index + match[0].length;
    const phrase = match[1]!.replace(/\s+/g, ' ').trim();
    const terms = queryTerms(phrase);
    if (terms.length > 0) parts.push({ text: phrase, terms, prefix: false, exact: true });
  }
  loose.push(folded.slice(last));
  const words: string[] = [];
  for (const chunk of loose) for (const m of chunk.matchAll(PIECES)) words.push(m[0]);
  words.forEach((word, i) => {
    const cjk = isCjkRun(word);
    const terms = queryTerms(word);
    // A typed word is a prefix only when it ends the query (the user may still be typing it).
    const prefix = !cjk && i === words.length - 1 && !/\s$/.test(folded.slice(last));
    parts.push({ text: word, terms, prefix, exact: cjk && Array.from(word).length > 2 });
  });
  return parts;
}

/** The index terms a query word needs: a word itself; for CJK one character, or its pairs. */
function queryTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(PIECES)) {
    const piece = match[0];
    if (!isCjkRun(piece)) {
      terms.push(piece);
      continue;
    }
    const chars = Array.from(piece);
    if (chars.length === 1) terms.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i]! + chars[i + 1]!);
  }
  return [...new Set(terms)];
}

/**
 * The text folded character by character, with where each folded character came from, so matches found in
 * folded text are marked on the original. ASCII text folds in place (the common case costs one regex test).
 */
export function foldWithMap(text: string): { folded: string; origin: number[] | null } {
  if (/^[\x00-\x7f]*$/.test(text)) return { folded: text.toLowerCase(), origin: null };
  let folded = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += ch.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

/** Folded text contains every exact part (phrases, long CJK runs) as written. */
export function containsExact(foldedText: string, parts: readonly QueryPart[]): boolean {
  const flat = foldedText.replace(/\s+/g, ' ');
  return parts.every((part) => !part.exact || flat.includes(part.text));
}

export interface Snippet {
  text: string;
  highlights: [number, number][];
  cutStart: boolean;
  cutEnd: boolean;
}

const SNIPPET_CHARS = 180;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

/**
 * A window of the text around its first match, with every match inside it marked. Needles are the folded
 * query texts (phrases and words; for a prefix word, the part typed).
 */
export function snippetOf(text: string, parts: readonly QueryPart[]): Snippet {
  const { folded, origin } = foldWithMap(text);
  const toOriginal = (i: number) => (origin ? origin[i]! : i);
  const needles = parts.filter((p) => p.text).sort((a, b) => b.text.length - a.text.length);
  const ranges: [number, number][] = [];
  for (const { text: needle, prefix } of needles) {
    let from = 0;
    for (let found = folded.indexOf(needle, from); found >= 0 && ranges.length < 500; found = folded.indexOf(needle, from)) {
      let end = found + needle.length;
      // A word being typed marks the whole word it starts.
      if (prefix) while (end < folded.length && WORD_CHAR.test(folded.charAt(end))) end++;
      ranges.push([toOriginal(found), toOriginal(end)]);
      from = end;
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  // Drop ranges inside an earlier one (a word that is also part of a phrase).
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] < prev[1]) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const first = merged[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(SNIPPET_CHARS / 3));
  // Start at a word boundary when one is near, and never inside a surrogate pair.
  const space = text.lastIndexOf(' ', first);
  if (start > 0 && space >= start - 20 && space < first) start = space + 1;
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) start -= 1;
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end += 1;
  const window = text.slice(start, end);
  const shown = window.replace(/\s+/g, ' ');
  // Whitespace runs collapse to one space: shift the ranges accordingly.
  const shift: number[] = [];
  let j = 0;
  for (let i = 0; i < window.length; i++) {
    shift.push(j);
    if (!(/\s/.test(window[i]!) && i > 0 && /\s/.test(window[i - 1]!))) j++;
  }
  shift.push(j);
  const highlights: [number, number][] = [];
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    const s = shift[Math.max(a, start) - start]!;
    const e = shift[Math.min(b, end) - start]!;
    if (e > s) highlights.push([s, e]);
  }
  return { text: shown, highlights, cutStart: start > 0, cutEnd: end < text.length };
}
