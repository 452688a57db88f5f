import { useState, type ReactNode } from 'react';
import type { Prompt } from '../../shared/models/prompts';
import { parseVariables } from '../../shared/prompts/prompt-variables';
import { PromptVariablesDialog } from './PromptVariablesDialog';

/**
 * Using a saved prompt: its text as is, or, when it has `{{variables}}`, after the variables dialog.
 * Returns `use(prompt)` and the dialog to render (null when none is asking).
 */
export function useSavedPrompt(onText: (text: string) => void): { use: (prompt: Prompt) => void; dialog: ReactNode } {
  const [asking, setAsking] = useState<{ prompt: Prompt; variables: string[] } | null>(null);
  const use = (prompt: Prompt) => {
    const variables = parseVariables(prompt.text);
    if (variables.length === 0) onText(prompt.text);
    else setAsking({ prompt, variables });
  };
  const dialog = asking ? (
    <PromptVariablesDialog
      promptName={asking.prompt.name}
      text={asking.prompt.text}
      variables={asking.variables}
      onCancel={() => setAsking(null)}
      onConfirm={(filled) => {
        setAsking(null);
        onText(filled);
      }}
    />
  ) : null;
  return { use, dialog };
}
