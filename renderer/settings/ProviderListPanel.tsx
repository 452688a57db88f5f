import { useTranslation } from 'react-i18next';
import type { ProviderView } from '../../shared/models/provider';

interface Props {
  providers: ProviderView[];
  /** The id being edited, `null` for a new provider, `undefined` when nothing is selected. */
  selectedId: string | null | undefined;
  dirty: boolean;
  /** The name typed for a provider that is not saved yet. */
  newProviderName: string | null;
  onSelect: (id: string) => void;
  onAdd: () => void;
}

/** The providers, with a dot on the one that has unsaved changes. */
export function ProviderListPanel({ providers, selectedId, dirty, newProviderName, onSelect, onAdd }: Props) {
  const { t } = useTranslation('settings');

  const item = (key: string, name: string, typeLabel: string, selected: boolean, onClick: () => void) => (
    <li key={key}>
      <button
        type="button"
        className={selected ? 'provider-item selected' : 'provider-item'}
        aria-current={selected ? 'true' : undefined}
        onClick={onClick}
      >
        <span className="provider-item-name">
          {name}
          {selected && dirty ? (
            <>
              <span className="dirty-dot" aria-hidden="true" />
              <span className="visually-hidden">{t('list.unsavedSuffix')}</span>
            </>
          ) : null}
        </span>
        <span className="provider-item-type">{typeLabel}</span>
      </button>
    </li>
  );

  return (
    <nav className="provider-sidebar" aria-labelledby="providers-heading">
      <h2 id="providers-heading">{t('list.title')}</h2>
      {providers.length === 0 && newProviderName === null ? <p className="field-note">{t('list.empty')}</p> : null}
      <ul className="provider-items">
        {providers.map((p) =>
          item(p.id, p.name || t('list.unnamed'), t(`types.${p.type}`), selectedId === p.id, () => onSelect(p.id)),
        )}
        {newProviderName !== null
          ? item('new', newProviderName.trim() || t('list.newProvider'), t('list.notSaved'), selectedId === null, () => undefined)
          : null}
      </ul>
      <button type="button" className="add-provider" onClick={onAdd}>
        <span aria-hidden="true">+ </span>
        {t('actions.add')}
      </button>
    </nav>
  );
}
