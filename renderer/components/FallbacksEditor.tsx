import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationStateMode, FallbackTarget, ProviderType, ProviderView } from '../../shared/models/provider';
import { keepsServerState } from '../../shared/models/provider';
import { FieldMessages, type FieldMessage } from '../settings/FieldMessages';
import { moveItem } from '../settings/key-pool-state';
import './fallbacks-editor.css';

interface Props {
  /** The provider that falls back (a provider being edited, or a conversation's provider). */
  self: { id?: string; type: ProviderType; conversationState?: ConversationStateMode };
  fallbacks: readonly FallbackTarget[];
  /** Every saved provider (the candidates; this one and those that keep conversations on their server are refused with a sentence). */
  providers: readonly ProviderView[];
  onChange: (fallbacks: FallbackTarget[]) => void;
  messagesFor: (field: string) => FieldMessage[];
  /** Replaces the provider-level explanation (a conversation's fallbacks say what they replace). */
  help?: string;
}

/**
 * The fallback chain: providers (and models) tried in order when this one cannot answer before its first
 * token. A provider that keeps conversations on its server (Assistants, Responses with server state) cannot
 * hand a conversation to another server, which the editor says instead of offering the chain.
 */
export function FallbacksEditor({ self, fallbacks, providers, onChange, messagesFor, help }: Props) {
  const { t } = useTranslation('settings');
  const baseId = useId();
  const update = (row: number, patch: Partial<FallbackTarget>) => onChange(fallbacks.map((f, i) => (i === row ? { ...f, ...patch } : f)));
  const stateful = keepsServerState(self);
  const listMessages = messagesFor('fallbacks');
  const candidates = providers.filter((p) => p.id !== self.id);

  return (
    <fieldset className="fallbacks-editor" aria-describedby={`${baseId}-help`}>
      <legend>{t('fallbacks.legend')}</legend>
      <p id={`${baseId}-help`} className="field-note">
        {stateful ? t('fallbacks.stateful') : (help ?? t('fallbacks.help'))}
      </p>
      {fallbacks.length > 0 || !stateful ? (
        <ol className="fallback-rows">
          {fallbacks.map((fallback, row) => {
            const messages = messagesFor(`fallbacks.${row}`);
            const known = providers.some((p) => p.id === fallback.providerId);
            return (
              <li key={row} className="fallback-row">
                <div className="input-row">
                  <select aria-label={t('fallbacks.provider', { row: row + 1 })} value={fallback.providerId} onChange={(e) => update(row, { providerId: e.target.value })}>
                    <option value="">{t('fallbacks.choose')}</option>
                    {!known && fallback.providerId !== '' ? <option value={fallback.providerId}>{t('fallbacks.deleted')}</option> : null}
                    {candidates.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name || t('list.unnamed')}
                      </option>
                    ))}
                  </select>
                  <input
                    type="text"
                    aria-label={t('fallbacks.model', { row: row + 1 })}
                    placeholder={t('fallbacks.modelPlaceholder')}
                    spellCheck={false}
                    value={fallback.model}
                    onChange={(e) => update(row, { model: e.target.value })}
                  />
                  <button type="button" className="icon-button" disabled={row === 0} aria-label={t('fallbacks.up', { row: row + 1 })} title={t('fallbacks.up', { row: row + 1 })} onClick={() => onChange(moveItem(fallbacks, row, row - 1))}>
                    <span aria-hidden="true">↑</span>
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={row === fallbacks.length - 1}
                    aria-label={t('fallbacks.down', { row: row + 1 })}
                    title={t('fallbacks.down', { row: row + 1 })}
                    onClick={() => onChange(moveItem(fallbacks, row, row + 1))}
                  >
                    <span aria-hidden="true">↓</span>
                  </button>
                  <button type="button" className="icon-button" aria-label={t('fallbacks.remove', { row: row + 1 })} title={t('fallbacks.remove', { row: row + 1 })} onClick={() => onChange(fallbacks.filter((_, i) => i !== row))}>
                    <span aria-hidden="true">×</span>
                  </button>
                </div>
                <FieldMessages id={`${baseId}-${row}-msg`} messages={messages} />
              </li>
            );
          })}
        </ol>
      ) : null}
      <FieldMessages id={`${baseId}-list-msg`} messages={listMessages} />
      {!stateful ? (
        <button type="button" disabled={candidates.length === 0} onClick={() => onChange([...fallbacks, { providerId: '', model: '' }])}>
          {t('fallbacks.add')}
        </button>
      ) : null}
    </fieldset>
  );
}
