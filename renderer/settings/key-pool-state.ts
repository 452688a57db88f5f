/**
 * The Settings form's key pool and fallbacks, free of React. A provider with at most one key keeps the
 * simple API Key field (`draft.apiKey`); "Add another key" turns the draft into a pool (`draft.keys`, the
 * whole list in order), after which every key is edited in the pool editor. Stored keys are never read:
 * a row of a stored key shows its mask from the view and is kept unless a new value is typed.
 */
import type { ApiKeyDraft, ApiKeyView, FallbackTarget, ProviderDraft, ProviderView } from '../../shared/models/provider';

/** One row of the pool editor: the draft's key and, for a stored key, what main says about it. */
export interface KeyRow {
  draft: ApiKeyDraft;
  stored: ApiKeyView | null;
}

export function keyRows(draft: ProviderDraft, view: ProviderView | null): KeyRow[] {
  const stored = new Map((view?.keys ?? []).map((k) => [k.id, k]));
  if (draft.keys !== undefined) return draft.keys.map((k) => ({ draft: k, stored: k.id !== undefined ? (stored.get(k.id) ?? null) : null }));
  return (view?.keys ?? []).map((k) => ({ draft: { id: k.id, label: k.label }, stored: k }));
}

/** The draft as a pool: the stored keys (a key typed in the simple field replaces the first) plus an empty row. */
export function startPool(draft: ProviderDraft, view: ProviderView | null): ProviderDraft {
  if (draft.keys !== undefined) return { ...draft, keys: [...draft.keys, { label: '', value: '' }] };
  const keys: ApiKeyDraft[] = (view?.keys ?? []).map((k) => ({ id: k.id, label: k.label }));
  if (draft.apiKey.action === 'set' && draft.apiKey.value.trim() !== '') {
    if (keys[0]) keys[0] = { ...keys[0], value: draft.apiKey.value };
    else keys.push({ label: '', value: draft.apiKey.value });
  } else if (draft.apiKey.action === 'clear') {
    keys.shift();
  }
  return { ...draft, apiKey: { action: 'keep' }, keys: [...keys, { label: '', value: '' }] };
}

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return [...items];
  const out = [...items];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** The pool as the draft's saved baseline would list it, to tell whether the pool changed. */
function poolSignature(draft: ProviderDraft, view: ProviderView | null): string {
  const keys: ApiKeyDraft[] = draft.keys ?? (view?.keys ?? []).map((k) => ({ id: k.id, label: k.label }));
  const meaningful = keys.filter((k) => !(k.id === undefined && (k.value ?? '') === '' && k.label.trim() === ''));
  return JSON.stringify(meaningful.map((k) => [k.id ?? null, k.label.trim(), k.value ? k.value : null]));
}

function fallbackSignature(fallbacks: readonly FallbackTarget[] | undefined): string {
  return JSON.stringify((fallbacks ?? []).map((f) => [f.providerId, f.model.trim()]));
}

/** True when the pool, the strategy or the fallbacks differ from what is saved. */
export function routingDirty(draft: ProviderDraft, baseline: ProviderDraft, view: ProviderView | null): boolean {
  if (draft.keys !== undefined && poolSignature(draft, view) !== poolSignature(baseline, view)) return true;
  if ((draft.keyStrategy ?? 'order') !== (baseline.keyStrategy ?? 'order')) return true;
  return fallbackSignature(draft.fallbacks) !== fallbackSignature(baseline.fallbacks);
}

/** What a pool draft sends: blank new rows are dropped only when the user left them untouched (no label). */
export function poolForSubmit(draft: ProviderDraft): Pick<ProviderDraft, 'keys' | 'apiKey' | 'fallbacks'> {
  const fallbacks = draft.fallbacks?.filter((f) => f.providerId !== '').map((f) => ({ providerId: f.providerId, model: f.model.trim() }));
  const out: Pick<ProviderDraft, 'keys' | 'apiKey' | 'fallbacks'> = { apiKey: draft.apiKey, ...(fallbacks ? { fallbacks } : {}) };
  if (draft.keys === undefined) return out;
  const keys = draft.keys
    .filter((k) => !(k.id === undefined && (k.value ?? '') === '' && k.label.trim() === ''))
    .map((k) => ({ ...(k.id !== undefined ? { id: k.id } : {}), label: k.label.trim(), ...(k.value !== undefined && k.value !== '' ? { value: k.value } : k.id === undefined ? { value: '' } : {}) }));
  return { ...out, apiKey: { action: 'keep' }, keys };
}
