import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Prompt } from '../../../shared/models/prompts';

export const SLASH_LIST_ID = 'composer-prompt-list';
export const slashOptionId = (index: number) => `${SLASH_LIST_ID}-option-${index}`;

interface Props {
  prompts: Prompt[];
  active: number;
  onPick: (prompt: Prompt) => void;
  onHover: (index: number) => void;
}

/**
 * The saved prompts matching what follows `/` in the composer. Focus stays in the composer, which points
 * at the highlighted option with aria-activedescendant; the list is for the mouse and for screen readers.
 */
export function SlashPromptList({ prompts, active, onPick, onHover }: Props) {
  const { t } = useTranslation('chat');
  // Only a pointer that really moves takes the highlight: a list opening under a resting mouse must not
  // move it away from what the arrow keys chose.
  const lastPointer = useRef<{ x: number; y: number } | null>(null);
  if (prompts.length === 0) {
    return (
      <p className="slash-prompt-empty" role="status">
        {t('prompts.slashNoMatch')}
      </p>
    );
  }
  return (
    <ul id={SLASH_LIST_ID} className="slash-prompt-list" role="listbox" aria-label={t('prompts.slashLabel')}>
      {prompts.map((prompt, i) => (
        <li
          key={prompt.id}
          id={slashOptionId(i)}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'slash-prompt-option active' : 'slash-prompt-option'}
          // mousedown, not click: the composer keeps focus.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(prompt);
          }}
          onMouseMove={(e) => {
            const last = lastPointer.current;
            lastPointer.current = { x: e.screenX, y: e.screenY };
            if (last && (last.x !== e.screenX || last.y !== e.screenY) && i !== active) onHover(i);
          }}
        >
          <span className="slash-prompt-name">{prompt.name}</span>
          <span className="slash-prompt-preview">{prompt.text.slice(0, 100)}</span>
        </li>
      ))}
    </ul>
  );
}
