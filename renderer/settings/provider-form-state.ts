/**
 * The Settings form's model, free of React: which fields each provider type shows, the draft for a saved
 * or new provider, what is sent on Save / Test Connection, and whether the form has unsaved changes.
 */
import { normalizeSettings, type GenerationSettings } from '../../shared/models/generation-settings';
import type { CustomHeader, ProviderDraft, ProviderType, ProviderView } from '../../shared/models/provider';
import { DEFAULT_ASSISTANT_RUN_TIMEOUT_MS, DEFAULT_BASE_URL, DEFAULT_CONVERSATION_STATE } from '../../shared/models/provider';
import { poolForSubmit, routingDirty } from './key-pool-state';

export type FormField =
  | 'name'
  | 'type'
  | 'baseUrl'
  | 'apiKey'
  | 'model'
  | 'assistantId'
  | 'runTimeout'
  | 'instructions'
  | 'conversationState'
  | 'customHeaders';

/** The fields each type shows, in form order (issue 3's table). */
export const FIELDS_BY_TYPE: Record<ProviderType, readonly FormField[]> = {
  openai: ['name', 'type', 'apiKey', 'model'],
  'openai-compatible': ['name', 'type', 'baseUrl', 'apiKey', 'model', 'customHeaders'],
  'openai-assistant': ['name', 'type', 'baseUrl', 'apiKey', 'assistantId', 'runTimeout'],
  'openai-responses': ['name', 'type', 'baseUrl', 'apiKey', 'model', 'instructions', 'conversationState', 'customHeaders'],
};

export function showsField(type: ProviderType, field: FormField): boolean {
  return FIELDS_BY_TYPE[type].includes(field);
}

export function draftFromView(view: ProviderView): ProviderDraft {
  return {
    id: view.id,
    type: view.type,
    name: view.name,
    baseUrl: view.baseUrl,
    model: view.model,
    assistantId: view.assistantId,
    customHeaders: view.customHeaders.map((h) => ({ ...h })),
    runTimeoutMs: view.runTimeoutMs,
    ...(view.instructions !== undefined ? { instructions: view.instructions } : {}),
    ...(view.conversationState !== undefined ? { conversationState: view.conversationState } : {}),
    // Always present: an emptied set of defaults is then saved as empty, not kept.
    defaults: view.defaults ?? {},
    apiKey: { action: 'keep' },
    keyStrategy: view.keyStrategy ?? 'order',
    fallbacks: (view.fallbacks ?? []).map((f) => ({ ...f })),
  };
}

export function newDraft(type: ProviderType = 'openai-compatible'): ProviderDraft {
  return {
    type,
    name: '',
    baseUrl: DEFAULT_BASE_URL,
    model: '',
    assistantId: '',
    customHeaders: [],
    apiKey: { action: 'keep' },
  };
}

function meaningfulHeaders(headers: readonly CustomHeader[]): CustomHeader[] {
  return headers.filter((h) => h.name.trim() !== '' || h.value !== '');
}

/**
 * What goes to main: hidden fields are reset to what the type implies, so a value typed under another type
 * (kept in the form so switching back loses nothing) is never saved or sent to a server.
 */
export function draftForSubmit(draft: ProviderDraft): ProviderDraft {
  const { instructions, conversationState, ...rest } = draft;
  const out: ProviderDraft = {
    ...rest,
    ...(showsField(draft.type, 'instructions') ? { instructions: (instructions ?? '').trim() } : {}),
    ...(showsField(draft.type, 'conversationState') ? { conversationState: conversationState ?? DEFAULT_CONVERSATION_STATE } : {}),
    name: draft.name.trim(),
    baseUrl: draft.baseUrl.trim(),
    model: draft.model.trim(),
    assistantId: draft.assistantId.trim(),
    // Blank rows stay (main skips them) so that a field error from main, `customHeaders.<row>.name`, names
    // the same row the user sees.
    customHeaders: draft.customHeaders.map((h) => ({ name: h.name.trim(), value: h.value })),
  };
  if (!showsField(draft.type, 'baseUrl')) out.baseUrl = DEFAULT_BASE_URL;
  if (!showsField(draft.type, 'model')) out.model = '';
  if (!showsField(draft.type, 'assistantId')) out.assistantId = '';
  if (!showsField(draft.type, 'customHeaders')) out.customHeaders = [];
  // Not shown: what is saved stays (main keeps the stored value when the draft has none).
  if (!showsField(draft.type, 'runTimeout')) delete out.runTimeoutMs;
  if (out.apiKey.action === 'set' && out.apiKey.value === '') out.apiKey = { action: 'keep' };
  return { ...out, ...poolForSubmit(out) };
}

function sameHeaders(a: readonly CustomHeader[], b: readonly CustomHeader[]): boolean {
  const x = meaningfulHeaders(a);
  const y = meaningfulHeaders(b);
  return x.length === y.length && x.every((h, i) => h.name === y[i]?.name && h.value === y[i]?.value);
}

/** True when saving would change something: what the user sees, not the hidden leftovers of another type. */
export function isDraftDirty(draft: ProviderDraft, baseline: ProviderDraft | null, view: ProviderView | null = null): boolean {
  if (!baseline) return true;
  if (routingDirty(draft, baseline, view)) return true;
  if (draft.type !== baseline.type) return true;
  if (draft.apiKey.action === 'clear') return true;
  if (draft.apiKey.action === 'set' && draft.apiKey.value !== '') return true;
  for (const field of FIELDS_BY_TYPE[draft.type]) {
    switch (field) {
      case 'name':
      case 'baseUrl':
      case 'model':
      case 'assistantId':
        if (draft[field] !== baseline[field]) return true;
        break;
      case 'customHeaders':
        if (!sameHeaders(draft.customHeaders, baseline.customHeaders)) return true;
        break;
      case 'runTimeout':
        // Object.is: text that is not a number (NaN) is a change, and stays one until it is fixed.
        if (!Object.is(draft.runTimeoutMs ?? DEFAULT_ASSISTANT_RUN_TIMEOUT_MS, baseline.runTimeoutMs ?? DEFAULT_ASSISTANT_RUN_TIMEOUT_MS)) return true;
        break;
      case 'instructions':
        if ((draft.instructions ?? '') !== (baseline.instructions ?? '')) return true;
        break;
      case 'conversationState':
        if ((draft.conversationState ?? DEFAULT_CONVERSATION_STATE) !== (baseline.conversationState ?? DEFAULT_CONVERSATION_STATE)) return true;
        break;
      case 'type':
      case 'apiKey':
        break;
    }
  }
  return !sameSettings(draft.defaults, baseline.defaults);
}

/** The run timeout as the Settings form shows it, in minutes ("5", "1.5"). */
export function runTimeoutMinutesText(runTimeoutMs: number): string {
  return Number.isFinite(runTimeoutMs) ? String(Math.round((runTimeoutMs / 60_000) * 100) / 100) : '';
}

/** Minutes typed in the form, as the draft's `runTimeoutMs`: NaN when the text is not a number (validation says so). */
export function minutesToRunTimeoutMs(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  const minutes = trimmed === '' ? Number.NaN : Number(trimmed);
  return Number.isFinite(minutes) ? Math.round(minutes * 60_000) : Number.NaN;
}

/** The text currently in the API Key input: only a key the user is typing, never a stored one. */
export function apiKeyInputValue(draft: ProviderDraft): string {
  return draft.apiKey.action === 'set' ? draft.apiKey.value : '';
}

/** The same default conversation settings, whatever the order of their fields and however empty fields are written. */
function sameSettings(a: GenerationSettings | undefined, b: GenerationSettings | undefined): boolean {
  const canonical = (s: GenerationSettings | undefined) =>
    JSON.stringify(Object.entries(normalizeSettings(s ?? {})).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}
