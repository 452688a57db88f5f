import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasCustomSettings } from '../../shared/models/generation-settings';
import type { ConversationSummary } from '../../shared/models/conversation';
import type { ProviderView } from '../../shared/models/provider';
import { getApi } from '../lib/api';
import { ConversationSettingsPanel } from './ConversationSettingsPanel';
import { Icon } from './icons';
import { ProviderModelPicker } from './ProviderModelPicker';
import { shortcutLabel } from './shortcut-label';
import { ConversationToolsDialog } from './tools/ConversationToolsDialog';

interface Props {
  summary: ConversationSummary | null;
  providers: readonly ProviderView[];
}

export function ChatHeader({ summary, providers }: Props) {
  const { t } = useTranslation('chat');
  const settingsLabel = t('common:actions.openSettings');
  const [panelOpen, setPanelOpen] = useState(false);
  const [toolsOpen, setToolsOpen] = useState(false);
  const toolCount = summary?.tools?.serverIds.length ?? 0;
  const custom = hasCustomSettings(summary?.settings);
  return (
    <header className="chat-header">
      <h1 className="chat-title">{summary ? summary.title || t('sidebar.untitled') : t('header.newChat')}</h1>
      {summary && providers.length > 0 && (
        // Keyed by the saved choice, so the model box shows it again after a change from anywhere.
        <ProviderModelPicker key={`${summary.id}|${summary.providerId ?? ''}|${summary.model}`} summary={summary} providers={providers} />
      )}
      {summary && (
        <button
          type="button"
          className={custom ? 'ghost conversation-settings-button custom' : 'ghost conversation-settings-button'}
          aria-haspopup="dialog"
          title={custom ? t('settingsPanel.customDescription') : undefined}
          onClick={() => setPanelOpen(true)}
        >
          <span>{t('settingsPanel.open')}</span>
          {custom && <span className="settings-indicator">{t('settingsPanel.custom')}</span>}
        </button>
      )}
      {summary && (
        <button type="button" className="ghost conversation-tools-button" aria-haspopup="dialog" onClick={() => setToolsOpen(true)}>
          <span>{t('tools.choose')}</span>
          {toolCount > 0 && <span className="settings-indicator">{t('tools.activeCount', { count: toolCount })}</span>}
        </button>
      )}
      {summary && toolsOpen && <ConversationToolsDialog key={summary.id} summary={summary} onClose={() => setToolsOpen(false)} />}
      {summary && panelOpen && <ConversationSettingsPanel key={summary.id} summary={summary} onClose={() => setPanelOpen(false)} />}
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
