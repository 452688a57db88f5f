/**
 * A conversation's generation settings as each API names them (the official OpenAPI spec), plus the
 * history limit. Pure functions: the API folders spread what these return into their request bodies.
 *
 * A field left empty is left out, so the server's default applies. A parameter the server refused for this
 * provider and model (remembered as a quirk, see rejected-parameter.ts) is left out too.
 */
import type { GenerationSettings } from '../../../shared/models/generation-settings';
import type { ProviderQuirks } from '../config/config-store';
import type { HistoryMessage } from './provider-kind';

/** The parameters left out for this model of a provider (the user chose "Send without it"). */
export function omittedFor(quirks: ProviderQuirks, model: string): ReadonlySet<string> {
  return new Set(quirks.omittedParameters?.[model] ?? []);
}

/** The quirks with one more parameter left out for a model (the others kept). */
export function withOmitted(quirks: ProviderQuirks, model: string, parameter: string): Pick<ProviderQuirks, 'omittedParameters'> {
  const all = { ...quirks.omittedParameters };
  const current = all[model] ?? [];
  all[model] = current.includes(parameter) ? current : [...current, parameter];
  return { omittedParameters: all };
}

/**
 * OpenAI's reasoning models (o1, o3, o4-mini …, gpt-5*): they take `max_completion_tokens` (400 on
 * `max_tokens`) and a `developer` message instead of `system`. A gateway prefix (`openai/o3`) is ignored.
 */
export function isOpenAIReasoningModel(model: string): boolean {
  const name = model.trim().toLowerCase().split('/').at(-1) ?? '';
  return /^o[1-9](?:$|[-.])/.test(name) || /^gpt-5(?:$|[-.])/.test(name);
}

/** The latest `limit` messages of the history ('all' or no limit: every message). */
export function limitHistory(history: readonly HistoryMessage[], limit: GenerationSettings['historyLimit']): HistoryMessage[] {
  if (limit === undefined || limit === 'all' || history.length <= limit) return [...history];
  return history.slice(history.length - limit);
}

type Body = Record<string, unknown>;

function put(body: Body, name: string, value: unknown, omitted: ReadonlySet<string>): void {
  if (value === undefined || omitted.has(name)) return;
  body[name] = value;
}

function systemPromptOf(settings: GenerationSettings): string | undefined {
  const text = settings.systemPrompt?.trim();
  return text ? settings.systemPrompt : undefined;
}

/** Chat Completions: the body fields and the system message that goes first in `messages`. */
export function chatCompletionsParameters(
  settings: GenerationSettings | undefined,
  model: string,
  omitted: ReadonlySet<string> = new Set(),
): { fields: Body; systemMessage: { role: 'system' | 'developer'; content: string } | null } {
  const s = settings ?? {};
  const reasoning = isOpenAIReasoningModel(model);
  const fields: Body = {};
  put(fields, 'temperature', s.temperature, omitted);
  put(fields, 'top_p', s.topP, omitted);
  put(fields, reasoning ? 'max_completion_tokens' : 'max_tokens', s.maxOutputTokens, omitted);
  put(fields, 'presence_penalty', s.presencePenalty, omitted);
  put(fields, 'frequency_penalty', s.frequencyPenalty, omitted);
  put(fields, 'seed', s.seed, omitted);
  put(fields, 'stop', s.stop && s.stop.length > 0 ? s.stop : undefined, omitted);
  put(fields, 'reasoning_effort', s.reasoningEffort, omitted);
  const prompt = systemPromptOf(s);
  return { fields, systemMessage: prompt === undefined ? null : { role: reasoning ? 'developer' : 'system', content: prompt } };
}

/**
 * Responses: `instructions`, `max_output_tokens`, `reasoning.effort`, temperature, top_p. The
 * conversation's system prompt wins over the provider's instructions: it is the more specific choice, made
 * for this conversation; the provider's instructions stay the default for conversations without one.
 */
export function responsesParameters(
  settings: GenerationSettings | undefined,
  providerInstructions: string | undefined,
  omitted: ReadonlySet<string> = new Set(),
): Body {
  const s = settings ?? {};
  const fields: Body = {};
  const instructions = systemPromptOf(s) ?? (providerInstructions?.trim() ? providerInstructions.trim() : undefined);
  put(fields, 'instructions', instructions, omitted);
  put(fields, 'temperature', s.temperature, omitted);
  put(fields, 'top_p', s.topP, omitted);
  put(fields, 'max_output_tokens', s.maxOutputTokens, omitted);
  put(fields, 'reasoning', s.reasoningEffort ? { effort: s.reasoningEffort } : undefined, omitted);
  return fields;
}

/**
 * An Assistants run: the system prompt as `additional_instructions` (appended to the assistant's own
 * instructions, which live on the server), temperature, top_p, `max_completion_tokens`.
 */
export function assistantRunParameters(settings: GenerationSettings | undefined, omitted: ReadonlySet<string> = new Set()): Body {
  const s = settings ?? {};
  const fields: Body = {};
  put(fields, 'additional_instructions', systemPromptOf(s), omitted);
  put(fields, 'temperature', s.temperature, omitted);
  put(fields, 'top_p', s.topP, omitted);
  put(fields, 'max_completion_tokens', s.maxOutputTokens, omitted);
  return fields;
}
