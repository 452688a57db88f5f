import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import type { ProviderView } from '../../shared/models/provider';
import type { AppError } from '../../shared/result';
import { getApi } from '../lib/api';
import { errorText } from '../lib/error-text';
import { conversationsStore } from '../stores/conversations-store';

interface Props {
  summary: ConversationSummary;
  providers: readonly ProviderView[];
}

// Model lists per provider version, fetched once when the model box is first used.
const modelLists = new Map<string, Promise<string[]>>();

function loadModels(provider: ProviderView): Promise<string[]> {
  const key = `${provider.id}@${provider.updatedAt}`;
  let list = modelLists.get(key);
  if (!list) {
    list = getApi()
      .providers.listModels({
        id: provider.id,
        type: provider.type,
        name: provider.name,
        baseUrl: provider.baseUrl,
        model: provider.model,
        assistantId: provider.assistantId,
        customHeaders: provider.customHeaders,
        apiKey: { action: 'keep' },
      })
      // No list (the server has no /models, or is down): the box still takes any model name.
      .then((r) => (r.ok ? r.value.models : []), () => []);
    modelLists.set(key, list);
  }
  return list;
}

/**
 * The conversation's provider and model. A new provider brings its default model; the model box suggests
 * the provider's models and accepts any name (gateways often serve models their list does not show).
 */
export function ProviderModelPicker({ summary, providers }: Props) {
  const { t } = useTranslation('chat');
  const listId = useId();
  const [model, setModel] = useState(summary.model);
  const [models, setModels] = useState<string[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const provider = providers.find((p) => p.id === summary.providerId);

  const change = async (providerId: string, nextModel: string) => {
    const result = await conversationsStore.getState().setProvider(summary.id, providerId, nextModel);
    setError(result.ok ? null : result.error);
    if (!result.ok) setModel(summary.model);
  };

  const commitModel = () => {
    const next = model.trim();
    if (!provider || next === summary.model) return;
    if (!next) {
      setModel(summary.model);
      return;
    }
    void change(provider.id, next);
  };

  const onModelKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commitModel();
    } else if (e.key === 'Escape' && model !== summary.model) {
      e.preventDefault();
      setModel(summary.model);
    }
  };

  return (
    <div className="provider-picker">
      <select
        aria-label={t('picker.provider')}
        value={provider ? provider.id : ''}
        onChange={(e) => {
          const next = providers.find((p) => p.id === e.target.value);
          if (next) {
            setModel(next.model);
            void change(next.id, next.model);
          }
        }}
      >
        {!provider && (
          <option value="" disabled>
            {summary.providerId ? t('picker.providerMissing') : t('picker.chooseProvider')}
          </option>
        )}
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name || p.baseUrl}
          </option>
        ))}
      </select>
      {provider && provider.type !== 'openai-assistant' && (
        <>
          <input
            className="model-input"
            aria-label={t('picker.model')}
            list={listId}
            value={model}
            placeholder={t('picker.modelPlaceholder')}
            spellCheck={false}
            onFocus={() => void loadModels(provider).then(setModels)}
            onChange={(e) => setModel(e.target.value)}
            onBlur={commitModel}
            onKeyDown={onModelKey}
          />
          <datalist id={listId}>
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </>
      )}
      {error && (
        <span className="picker-error" role="alert">
          {errorText(t, error)}
        </span>
      )}
    </div>
  );
}
