/**
 * The conversation settings form: text fields as typed, turned into GenerationSettings with a reason per
 * field that is refused (its allowed range), using the same schema main checks at the IPC boundary.
 */
import {
  generationSettingsSchema,
  REASONING_EFFORTS,
  SETTING_RANGES,
  STOP_MAX,
  type GenerationSettings,
  type ReasoningEffort,
} from '../../shared/models/generation-settings';

export interface SettingsDraft {
  systemPrompt: string;
  temperature: string;
  topP: string;
  maxOutputTokens: string;
  presencePenalty: string;
  frequencyPenalty: string;
  seed: string;
  /** One stop sequence per line. */
  stop: string;
  reasoningEffort: '' | ReasoningEffort;
  /** Empty: all messages. */
  historyLimit: string;
}

export type DraftField = keyof SettingsDraft;

/** Why a field is refused: an i18n key of `chat:settingsPanel.errors` and its values. */
export interface FieldProblem {
  key: 'range' | 'positiveInteger' | 'integer' | 'tooManyStops';
  values?: Record<string, number>;
}

export function draftOf(settings: GenerationSettings | undefined): SettingsDraft {
  const s = settings ?? {};
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    systemPrompt: s.systemPrompt ?? '',
    temperature: text(s.temperature),
    topP: text(s.topP),
    maxOutputTokens: text(s.maxOutputTokens),
    presencePenalty: text(s.presencePenalty),
    frequencyPenalty: text(s.frequencyPenalty),
    seed: text(s.seed),
    stop: (s.stop ?? []).join('\n'),
    reasoningEffort: s.reasoningEffort ?? '',
    historyLimit: s.historyLimit === undefined || s.historyLimit === 'all' ? '' : String(s.historyLimit),
  };
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : null;
}

/** The settings of a draft, or the problems of its fields (none sent to main while any remain). */
export function readDraft(draft: SettingsDraft): { settings: GenerationSettings; problems: Partial<Record<DraftField, FieldProblem>> } {
  const problems: Partial<Record<DraftField, FieldProblem>> = {};
  const settings: GenerationSettings = {};

  const ranged = (field: 'temperature' | 'topP' | 'presencePenalty' | 'frequencyPenalty') => {
    if (!draft[field].trim()) return;
    const range = SETTING_RANGES[field];
    const value = parseNumber(draft[field]);
    if (value === null || value < range.min || value > range.max) problems[field] = { key: 'range', values: { min: range.min, max: range.max } };
    else settings[field] = value;
  };
  ranged('temperature');
  ranged('topP');
  ranged('presencePenalty');
  ranged('frequencyPenalty');

  const positive = (field: 'maxOutputTokens' | 'historyLimit') => {
    if (!draft[field].trim()) return;
    const value = parseNumber(draft[field]);
    if (value === null || !Number.isInteger(value) || value < 1) problems[field] = { key: 'positiveInteger' };
    else settings[field] = value;
  };
  positive('maxOutputTokens');
  positive('historyLimit');

  if (draft.seed.trim()) {
    const value = parseNumber(draft.seed);
    if (value === null || !Number.isSafeInteger(value)) problems.seed = { key: 'integer' };
    else settings.seed = value;
  }
  const stops = draft.stop.split('\n').filter((line) => line.length > 0);
  if (stops.length > STOP_MAX) problems.stop = { key: 'tooManyStops', values: { max: STOP_MAX } };
  else if (stops.length > 0) settings.stop = stops;
  if (draft.systemPrompt.trim()) settings.systemPrompt = draft.systemPrompt;
  if (draft.reasoningEffort && (REASONING_EFFORTS as readonly string[]).includes(draft.reasoningEffort)) {
    settings.reasoningEffort = draft.reasoningEffort;
  }
  // The same check main makes; a value that passed above passes it too.
  if (Object.keys(problems).length === 0 && !generationSettingsSchema.safeParse(settings).success) {
    throw new Error('conversation settings form and schema disagree');
  }
  return { settings, problems };
}
