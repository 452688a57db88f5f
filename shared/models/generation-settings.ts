/**
 * A conversation's generation settings: its system prompt and sampling parameters. Every field is optional
 * and a field left out sends nothing, so the server's own default applies. The one schema is used by the
 * IPC contract (main refuses out-of-range values) and by the Chat window's form (the same ranges, shown
 * next to the field).
 */
import { z } from 'zod';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** The allowed range of each numeric field, as the official API reference gives it. */
export const SETTING_RANGES = {
  temperature: { min: 0, max: 2 },
  topP: { min: 0, max: 1 },
  presencePenalty: { min: -2, max: 2 },
  frequencyPenalty: { min: -2, max: 2 },
} as const;

/** Chat Completions accepts at most four stop sequences. */
export const STOP_MAX = 4;
export const SYSTEM_PROMPT_MAX = 100_000;

const ranged = (range: { min: number; max: number }) => z.number().finite().min(range.min).max(range.max);

export const generationSettingsSchema = z
  .object({
    systemPrompt: z.string().max(SYSTEM_PROMPT_MAX).optional(),
    temperature: ranged(SETTING_RANGES.temperature).optional(),
    topP: ranged(SETTING_RANGES.topP).optional(),
    maxOutputTokens: z.number().int().positive().max(10_000_000).optional(),
    presencePenalty: ranged(SETTING_RANGES.presencePenalty).optional(),
    frequencyPenalty: ranged(SETTING_RANGES.frequencyPenalty).optional(),
    seed: z.number().int().safe().optional(),
    stop: z.array(z.string().min(1).max(1000)).max(STOP_MAX).optional(),
    reasoningEffort: z.enum(REASONING_EFFORTS).optional(),
    /** 'all', or how many of the latest messages are sent (the newest user message always is). */
    historyLimit: z.union([z.literal('all'), z.number().int().positive().max(100_000)]).optional(),
  })
  .strict();

export type GenerationSettings = z.infer<typeof generationSettingsSchema>;

/** Drops empty fields (blank prompt, empty stop list, history 'all'): what is left differs from the defaults. */
export function normalizeSettings(settings: GenerationSettings): GenerationSettings {
  const out: GenerationSettings = {};
  for (const [key, value] of Object.entries(settings) as [keyof GenerationSettings, unknown][]) {
    if (value === undefined) continue;
    if (key === 'systemPrompt' && typeof value === 'string' && !value.trim()) continue;
    if (key === 'stop' && Array.isArray(value) && value.length === 0) continue;
    if (key === 'historyLimit' && value === 'all') continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** True when the conversation sends a system prompt or any parameter of its own (the header shows it). */
export function hasCustomSettings(settings: GenerationSettings | undefined): boolean {
  return settings !== undefined && Object.keys(normalizeSettings(settings)).length > 0;
}

/**
 * Reads settings saved in a file leniently: a field that is out of range or of the wrong type (a hand
 * edit, a newer version) is dropped on its own, so the conversation and its other settings still open.
 */
export function readStoredSettings(raw: unknown): GenerationSettings | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const shape = generationSettingsSchema.shape;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = (shape as Record<string, z.ZodType>)[key];
    if (!field) continue;
    const parsed = field.safeParse(value);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  const settings = normalizeSettings(out as GenerationSettings);
  return Object.keys(settings).length > 0 ? settings : undefined;
}
