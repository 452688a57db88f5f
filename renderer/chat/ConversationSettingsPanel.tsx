import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import type { FallbackTarget } from '../../shared/models/provider';
import { validateFallbacks } from '../../shared/validation/routing-validation';
import { FallbacksEditor } from '../components/FallbacksEditor';
import { GenerationSettingsDialog } from '../components/GenerationSettingsDialog';
import { getApi } from '../lib/api';
import { useProvidersStore } from '../stores/providers-store';

interface Props {
  summary: ConversationSummary;
  onClose: () => void;
}

function sameFallbacks(a: readonly FallbackTarget[] | null, b: readonly FallbackTarget[] | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The conversation's system prompt and parameters (`conversations:setSettings`) and, below them, its own
 * fallbacks (`conversations:setFallbacks`), which replace its provider's while set.
 */
export function ConversationSettingsPanel({ summary, onClose }: Props) {
  const { t } = useTranslation('chat');
  const providers = useProvidersStore((s) => s.providers);
  const owner = providers.find((p) => p.id === summary.providerId);
  const initialFallbacks = summary.fallbacks ?? null;
  const [fallbacks, setFallbacks] = useState<FallbackTarget[] | null>(initialFallbacks);
  const chosen = useMemo(() => (fallbacks ?? []).filter((f) => f.providerId !== ''), [fallbacks]);
  const issues = useMemo(() => (owner ? validateFallbacks(owner, chosen, providers) : {}), [owner, chosen, providers]);
  const { t: ts } = useTranslation('settings');

  return (
    <GenerationSettingsDialog
      title={t('settingsPanel.title')}
      initial={summary.settings}
      onClose={onClose}
      onSave={async (settings) => {
        const result = await getApi().conversations.setSettings({ id: summary.id, settings });
        if (!result.ok) return result.error;
        const wanted = fallbacks === null ? null : chosen;
        if (!sameFallbacks(wanted, initialFallbacks)) {
          const saved = await getApi().conversations.setFallbacks({ id: summary.id, fallbacks: wanted });
          if (!saved.ok) return saved.error;
        }
        onClose();
        return null;
      }}
    >
      {owner ? (
        <div className="conversation-fallbacks">
          <label className="inline-label">
            <input type="checkbox" checked={fallbacks === null} onChange={(e) => setFallbacks(e.target.checked ? null : [...(owner.fallbacks ?? [])])} />
            {t('settingsPanel.useProviderFallbacks', { provider: owner.name })}
          </label>
          {fallbacks !== null ? (
            <FallbacksEditor
              self={owner}
              fallbacks={fallbacks}
              providers={providers}
              onChange={setFallbacks}
              help={t('settingsPanel.fallbacksHelp')}
              messagesFor={(field) => {
                const issue = issues[field];
                return issue ? [{ severity: 'error', text: ts(`validation.${issue.code}`, { ...issue.params, defaultValue: issue.message }) }] : [];
              }}
            />
          ) : null}
        </div>
      ) : null}
    </GenerationSettingsDialog>
  );
}
