/** Search across every message of every conversation (`search:query`), answered by main's index. */

export type SearchSort = 'relevance' | 'newest';

/** A piece of the matched text with the matches marked: `[start, end)` offsets into `text`. */
export interface SearchSnippet {
  text: string;
  highlights: [number, number][];
  /** Text was cut before / after the snippet. */
  cutStart: boolean;
  cutEnd: boolean;
}

export interface SearchHit {
  conversationId: string;
  conversationTitle: string;
  /** Null when the conversation's title matched. */
  messageId: string | null;
  role: 'user' | 'assistant' | null;
  /** Where the match was: the title, a message's answer, or its reasoning. */
  field: 'title' | 'content' | 'reasoning';
  /** When the message was written (the conversation's last activity for a title). */
  date: string;
  /** The message's place in its conversation (0 = first), so the window loads the right page. */
  position: number;
  snippet: SearchSnippet;
}

export interface SearchResults {
  hits: SearchHit[];
  /** Every match, of which `hits` are the first. */
  total: number;
  /**
   * `total` is an estimate: phrases are checked against the text for the best candidates only, and the
   * share that passed is applied to the rest.
   */
  approximate: boolean;
  /** The index is being built or brought up to date: results may be incomplete. */
  indexing: boolean;
}

export const SEARCH_QUERY_MAX = 500;
export const SEARCH_LIMIT_DEFAULT = 50;
export const SEARCH_LIMIT_MAX = 200;
