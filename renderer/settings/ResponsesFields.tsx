import { useTranslation } from 'react-i18next';
import type { ConversationStateMode } from '../../shared/models/provider';
import { CONVERSATION_STATE_MODES, DEFAULT_CONVERSATION_STATE } from '../../shared/models/provider';

interface Props {
  instructions: string;
  conversationState: ConversationStateMode | undefined;
  onInstructionsChange: (value: string) => void;
  onConversationStateChange: (value: ConversationStateMode) => void;
}

/**
 * The fields only an OpenAI Responses provider has: the system prompt sent with every message, and where
 * the conversation lives (one Conversations API object on the server, or the whole history every time).
 */
export function ResponsesFields({ instructions, conversationState, onInstructionsChange, onConversationStateChange }: Props) {
  const { t } = useTranslation('settings');
  const mode = conversationState ?? DEFAULT_CONVERSATION_STATE;
  return (
    <>
      <div className="field">
        <label htmlFor="provider-instructions">{t('fields.instructions')}</label>
        <textarea
          id="provider-instructions"
          rows={3}
          placeholder={t('instructions.placeholder')}
          value={instructions}
          aria-describedby="provider-instructions-help"
          onChange={(e) => onInstructionsChange(e.target.value)}
        />
        <p id="provider-instructions-help" className="field-note">
          {t('instructions.help')}
        </p>
      </div>

      <fieldset className="choice-group">
        <legend>{t('fields.conversationState')}</legend>
        {CONVERSATION_STATE_MODES.map((value) => (
          <div key={value} className="choice">
            <input
              id={`provider-conversation-state-${value}`}
              type="radio"
              name="provider-conversation-state"
              value={value}
              checked={mode === value}
              aria-describedby={`provider-conversation-state-${value}-help`}
              onChange={() => onConversationStateChange(value)}
            />
            <label htmlFor={`provider-conversation-state-${value}`}>{t(`conversationState.${value}`)}</label>
            <p id={`provider-conversation-state-${value}-help`} className="field-note">
              {t(`conversationState.${value}Help`)}
            </p>
          </div>
        ))}
      </fieldset>
    </>
  );
}
