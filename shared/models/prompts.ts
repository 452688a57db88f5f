/**
 * The prompt library (`prompts:*` channels): saved prompts with a name and a text that may hold
 * `{{variables}}`. Stored in main (`<data>/prompts.json`); these are the shapes and limits both sides share.
 */
import { z } from 'zod';

export const PROMPT_NAME_MAX = 200;
export const PROMPT_TEXT_MAX = 100_000;
/** A library holds at most this many prompts (an import beyond it is refused, not cut short). */
export const PROMPT_COUNT_MAX = 5_000;
/** The largest library file an import accepts (characters of its text). */
export const PROMPT_IMPORT_MAX_CHARS = 4 * 1024 * 1024;

/** Our export's envelope: `format` tells it from other JSON, `version` from later layouts. */
export const PROMPTS_EXPORT_FORMAT = 'switchboard-prompts';
export const PROMPTS_EXPORT_VERSION = 1;

export interface Prompt {
  id: string;
  name: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}

export const promptNameSchema = z.string().trim().min(1).max(PROMPT_NAME_MAX);
export const promptTextSchema = z.string().min(1).max(PROMPT_TEXT_MAX);

/** `prompts:save`: without `id` a new prompt, with it an edit. */
export const promptDraftSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  name: promptNameSchema,
  text: promptTextSchema,
});
export type PromptDraft = z.infer<typeof promptDraftSchema>;

/** What `prompts:import` did. */
export interface PromptImportSummary {
  imported: number;
  /** Prompts of the file the library already held (same name and text), or that the file repeated. */
  skipped: number;
}

/** Case-insensitive match on name or text (the library's search and the composer's `/` list). */
export function promptMatches(prompt: Pick<Prompt, 'name' | 'text'>, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return prompt.name.toLocaleLowerCase().includes(q) || prompt.text.toLocaleLowerCase().includes(q);
}
