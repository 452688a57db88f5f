import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import type { ProviderView } from '../../shared/models/provider';
import { getApi } from '../lib/api';
import { Icon } from './icons';
import { ProviderModelPicker } from './ProviderModelPicker';
import { shortcutLabel } from './shortcut-label';

interface Props {
  summary: ConversationSummary | null;
  providers: readonly ProviderView[];
}

export function ChatHeader({ summary, providers }: Props) {
  const { t } = useTranslation('chat');
  const settingsLabel = t('common:actions.openSettings');
  return (
    <header className="chat-header">
      <h1 className="chat-title">{summary ? summary.title || t('sidebar.untitled') : t('header.newChat')}</h1>
      {summary && providers.length > 0 && (
        // Keyed by the saved choice, so the model box shows it again after a change from anywhere.
        <ProviderModelPicker key={`${summary.id}|${summary.providerId ?? ''}|${summary.model}`} summary={summary} providers={providers} />
      )}
      <button
        type="button"
        className="ghost header-settings"
        title={t('header.settingsShortcut', { shortcut: shortcutLabel(',') })}
        onClick={() => void getApi().app.openSettings()}
      >
        <Icon name="gear" />
        <span>{settingsLabel}</span>
      </button>
    </header>
  );
}
