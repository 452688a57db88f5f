import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit, SearchResults, SearchSort, SearchSnippet } from '../../../shared/models/search';
import type { AppError } from '../../../shared/result';
import { callApi, getApi } from '../../lib/api';
import { MessageError } from '../MessageError';
import { openSearchHit } from './open-at-message';

interface Props {
  onClose: () => void;
}

/** The snippet with its matches in <mark>. */
function Snippet({ snippet }: { snippet: SearchSnippet }) {
  const pieces: (string | { mark: string })[] = [];
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    if (start > at) pieces.push(snippet.text.slice(at, start));
    pieces.push({ mark: snippet.text.slice(start, end) });
    at = end;
  }
  if (at < snippet.text.length) pieces.push(snippet.text.slice(at));
  return (
    <span className="search-snippet">
      {snippet.cutStart && '…'}
      {pieces.map((p, i) => (typeof p === 'string' ? p : <mark key={i}>{p.mark}</mark>))}
      {snippet.cutEnd && '…'}
    </span>
  );
}

/**
 * Search across every conversation (Ctrl/Cmd+K, Ctrl/Cmd+Shift+F): results as the user types, newest first
 * or by relevance, reasoning on request. Arrow keys move through the results (a combobox with a listbox),
 * Enter or a click opens the conversation at that message.
 */
export function SearchDialog({ onClose }: Props) {
  const { t, i18n } = useTranslation('chat');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SearchSort>('relevance');
  const [includeReasoning, setIncludeReasoning] = useState(false);
  const [results, setResults] = useState<SearchResults | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState(0);
  const listId = useId();
  const seq = useRef(0);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // Results as the user types: every change asks, only the latest answer is shown.
  const ask = (next: { query?: string; sort?: SearchSort; includeReasoning?: boolean }) => {
    const q = next.query ?? query;
    const s = next.sort ?? sort;
    const r = next.includeReasoning ?? includeReasoning;
    if (next.query !== undefined) setQuery(q);
    if (next.sort !== undefined) setSort(s);
    if (next.includeReasoning !== undefined) setIncludeReasoning(r);
    const mine = ++seq.current;
    if (!q.trim()) {
      setResults(null);
      setError(null);
      return;
    }
    void callApi(() => getApi().search.query({ query: q, sort: s, includeReasoning: r })).then((got) => {
      if (mine !== seq.current) return;
      if (got.ok) {
        setResults(got.value);
        setError(null);
        setSelected(0);
      } else {
        setError(got.error);
      }
    });
  };

  // While the index is still being built, ask again now and then: results fill in without typing.
  const indexing = results?.indexing ?? false;
  const askRef = useRef(ask);
  useEffect(() => {
    askRef.current = ask;
  });
  useEffect(() => {
    if (!indexing) return;
    const timer = setTimeout(() => askRef.current({}), 500);
    return () => clearTimeout(timer);
  }, [indexing, results]);

  const hits = results?.hits ?? [];
  const open = (hit: SearchHit) => {
    onClose();
    void openSearchHit(hit);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown' && hits.length > 0) {
      e.preventDefault();
      setSelected((i) => (i + 1) % hits.length);
    } else if (e.key === 'ArrowUp' && hits.length > 0) {
      e.preventDefault();
      setSelected((i) => (i - 1 + hits.length) % hits.length);
    } else if (e.key === 'Enter' && hits[selected]) {
      e.preventDefault();
      open(hits[selected]);
    }
  };

  useEffect(() => {
    document.getElementById(`${listId}-${selected}`)?.scrollIntoView({ block: 'nearest' });
  }, [selected, listId, results]);

  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' });
  const status = !query.trim()
    ? t('search.hint')
    : results === null
      ? t('search.searching')
      : results.total === 0
        ? t('search.none', { query })
        : results.approximate
          ? t('search.countAbout', { count: results.total })
          : t('search.count', { count: results.total });

  return (
    <dialog
      ref={dialogRef}
      className="search-dialog"
      aria-labelledby={`${listId}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <h2 id={`${listId}-title`} className="visually-hidden">
        {t('search.title')}
      </h2>
      <div className="search-bar">
        <input
          type="search"
          autoFocus
          className="search-input"
          role="combobox"
          aria-label={t('search.label')}
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={hits.length > 0 ? `${listId}-${selected}` : undefined}
          placeholder={t('search.placeholder')}
          value={query}
          onChange={(e) => ask({ query: e.target.value })}
          onKeyDown={onKeyDown}
        />
        <label className="search-option">
          <span>{t('search.sort')}</span>
          <select value={sort} onChange={(e) => ask({ sort: e.target.value as SearchSort })}>
            <option value="relevance">{t('search.sortRelevance')}</option>
            <option value="newest">{t('search.sortNewest')}</option>
          </select>
        </label>
        <label className="search-option checkbox-row">
          <input type="checkbox" checked={includeReasoning} onChange={(e) => ask({ includeReasoning: e.target.checked })} />
          <span>{t('search.includeReasoning')}</span>
        </label>
      </div>
      <p className="search-status" role="status">
        {status}
        {results?.indexing && ` ${t('search.indexing')}`}
      </p>
      {error && <MessageError className="search-error" error={error} />}
      <ul id={listId} className="search-results" role="listbox" aria-label={t('search.results')}>
        {hits.map((hit, i) => (
          <li
            key={`${hit.conversationId}/${hit.messageId ?? ''}/${hit.field}`}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === selected}
            className={`search-hit${i === selected ? ' selected' : ''}`}
            onMouseMove={() => setSelected(i)}
            onClick={() => open(hit)}
          >
            <span className="search-hit-head">
              <span className="search-hit-title">{hit.conversationTitle || t('sidebar.untitled')}</span>
              <time dateTime={hit.date}>{dateFormat.format(new Date(hit.date))}</time>
            </span>
            <span className="search-hit-where">
              {t(hit.field === 'title' ? 'search.inTitle' : hit.field === 'reasoning' ? 'search.inReasoning' : hit.role === 'user' ? 'search.fromYou' : 'search.fromAssistant')}
            </span>
            <Snippet snippet={hit.snippet} />
          </li>
        ))}
      </ul>
    </dialog>
  );
}
