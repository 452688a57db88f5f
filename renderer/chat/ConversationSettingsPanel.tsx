import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../shared/models/conversation';
import { GenerationSettingsDialog } from '../components/GenerationSettingsDialog';
import { getApi } from '../lib/api';

interface Props {
  summary: ConversationSummary;
  onClose: () => void;
}

/** The conversation's system prompt and parameters, saved in main (`conversations:setSettings`). */
export function ConversationSettingsPanel({ summary, onClose }: Props) {
  const { t } = useTranslation('chat');
  return (
    <GenerationSettingsDialog
      title={t('settingsPanel.title')}
      initial={summary.settings}
      onClose={onClose}
      onSave={async (settings) => {
        const result = await getApi().conversations.setSettings({ id: summary.id, settings });
        if (!result.ok) return result.error;
        onClose();
        return null;
      }}
    />
  );
}
