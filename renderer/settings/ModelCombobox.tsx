import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

export type ModelListState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'loaded'; models: string[] }
  | { state: 'error'; message: string; hint?: string };

interface Props {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  list: ModelListState;
  /** Fetches `GET {base}/models` for the current form. */
  onRefresh: () => void;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * The Model field: free text (some servers list no models, or not the one you want) with a list of the
 * server's models to pick from, following the ARIA combobox pattern so it works by keyboard and reads
 * well in a screen reader.
 */
export function ModelCombobox({ id, value, onChange, onBlur, list, onRefresh, describedBy, invalid }: Props) {
  const { t } = useTranslation('settings');
  const listId = useId();
  const statusId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  // Filter only by what was typed since the list opened, so reopening shows every model, not just the current one.
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(-1);

  const models = useMemo(() => (list.state === 'loaded' ? list.models : []), [list]);
  const options = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? models.filter((m) => m.toLowerCase().includes(f)) : models;
  }, [models, filter]);

  const openList = () => {
    setFilter('');
    setActive(Math.max(0, models.indexOf(value)));
    setOpen(true);
    if (list.state === 'idle') onRefresh();
  };
  const closeList = () => {
    setOpen(false);
    setActive(-1);
  };
  const choose = (model: string) => {
    onChange(model);
    closeList();
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) openList();
        else if (options.length) setActive((i) => (i + 1) % options.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) openList();
        else if (options.length) setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
        break;
      case 'Enter': {
        const option = open ? options[active] : undefined;
        if (option !== undefined) {
          // Picking a model must not also submit the form.
          event.preventDefault();
          choose(option);
        } else if (open) closeList();
        break;
      }
      case 'Escape':
        if (open) {
          // Closing the list must not also close a dialog or discard anything around it.
          event.preventDefault();
          event.stopPropagation();
          closeList();
        }
        break;
      case 'Tab':
        if (open) closeList();
        break;
    }
  };

  const activeOption = open && active >= 0 && active < options.length ? `${listId}-opt-${active}` : undefined;
  let status: string;
  switch (list.state) {
    case 'idle':
      status = t('model.notLoaded');
      break;
    case 'loading':
      status = t('model.loading');
      break;
    case 'loaded':
      status = list.models.length ? t('model.count', { count: list.models.length }) : t('model.none');
      break;
    case 'error':
      status = t('model.loadFailed', { message: list.message });
      break;
  }

  return (
    <div className="combobox-wrap">
      <div className="combobox">
        <input
          ref={inputRef}
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeOption}
          aria-describedby={[describedBy, statusId].filter(Boolean).join(' ')}
          aria-invalid={invalid || undefined}
          placeholder={t('model.placeholder')}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            setFilter(e.target.value);
            setActive(-1);
            if (!open && models.length) setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            closeList();
            onBlur?.();
          }}
        />
        <button
          type="button"
          className="combobox-toggle"
          tabIndex={-1}
          aria-label={t('model.showList')}
          aria-expanded={open}
          aria-controls={listId}
          // Keep focus in the input so the blur handler does not close the list we are opening.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (open) closeList();
            else openList();
            inputRef.current?.focus();
          }}
        >
          <span aria-hidden="true">▾</span>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('model.refresh')}
          title={t('model.refresh')}
          disabled={list.state === 'loading'}
          onClick={onRefresh}
        >
          <span aria-hidden="true">↻</span>
        </button>
      </div>
      <ul id={listId} role="listbox" aria-label={t('model.listLabel')} className="combobox-list" hidden={!open || options.length === 0}>
        {open
          ? options.map((model, i) => (
              <li
                key={model}
                id={`${listId}-opt-${i}`}
                role="option"
                aria-selected={model === value}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(model)}
              >
                {model}
              </li>
            ))
          : null}
      </ul>
      {open && models.length > 0 && options.length === 0 ? <p className="combobox-empty">{t('model.noMatch')}</p> : null}
      <p id={statusId} className={list.state === 'error' ? 'field-note field-warning' : 'field-note'} aria-live="polite">
        {status}
        {list.state === 'error' && list.hint ? ` ${list.hint}` : ''}
      </p>
    </div>
  );
}
