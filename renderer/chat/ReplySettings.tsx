import { useTranslation } from 'react-i18next';
import '../components/generation-settings.css';
import type { Message } from '../../shared/models/conversation';
import type { GenerationSettings } from '../../shared/models/generation-settings';

type ShownField = Exclude<keyof GenerationSettings, 'systemPrompt'>;
const FIELDS: ShownField[] = [
  'temperature',
  'topP',
  'maxOutputTokens',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
  'stop',
  'reasoningEffort',
  'historyLimit',
];

/** "What was sent": the system prompt and parameters in effect for a reply, folded under the reply. */
export function ReplySettings({ message }: { message: Message }) {
  const { t } = useTranslation('chat');
  const settings = message.settings ?? {};
  const omitted = message.omittedParameters ?? [];
  const shown = FIELDS.filter((field) => settings[field] !== undefined);
  if (!settings.systemPrompt && shown.length === 0 && omitted.length === 0) return null;
  const valueOf = (field: ShownField): string => {
    const value = settings[field];
    if (Array.isArray(value)) return value.map((v) => JSON.stringify(v)).join(', ');
    if (field === 'reasoningEffort' && typeof value === 'string') return t(`settingsPanel.efforts.${value}`);
    return String(value);
  };
  return (
    <details className="reply-settings">
      <summary>{t('replySettings.summary')}</summary>
      <dl>
        {settings.systemPrompt && (
          <div className="reply-settings-row">
            <dt>{t('settingsPanel.systemPrompt')}</dt>
            <dd className="reply-settings-prompt">{settings.systemPrompt}</dd>
          </div>
        )}
        {shown.map((field) => (
          <div key={field} className="reply-settings-row">
            <dt>{t(`settingsPanel.fields.${field}`)}</dt>
            <dd>{valueOf(field)}</dd>
          </div>
        ))}
        {omitted.length > 0 && (
          <div className="reply-settings-row">
            <dt>{t('replySettings.omitted')}</dt>
            <dd>{omitted.join(', ')}</dd>
          </div>
        )}
      </dl>
    </details>
  );
}
