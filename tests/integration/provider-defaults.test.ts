/**
 * A provider's default conversation settings: saved with the provider (validated by the contract), copied
 * into each new conversation, and never written into existing ones when they change.
 */
import { describe, expect, it } from 'vitest';
import { errorOf, localServerAndRigs } from '../support/chat-rig';

const local = localServerAndRigs();

const draft = (baseUrl: string) => ({
  type: 'openai-compatible' as const,
  name: 'Local',
  baseUrl,
  model: 'gpt-4o-mini',
  assistantId: '',
  customHeaders: [],
  apiKey: { action: 'keep' as const },
});

describe('provider defaults', () => {
  it('start new conversations; changing them never rewrites existing ones', async () => {
    const rig = local.rig();
    const saved = await rig.call('providers:save', { ...draft(local.server.url), defaults: { systemPrompt: 'Default prompt', temperature: 0.2, stop: [] } });
    expect(saved.defaults).toEqual({ systemPrompt: 'Default prompt', temperature: 0.2 });
    const first = await rig.call('conversations:create', { providerId: saved.id });
    expect(first.settings).toEqual({ systemPrompt: 'Default prompt', temperature: 0.2 });

    const changed = await rig.call('providers:save', { ...draft(local.server.url), id: saved.id, defaults: { temperature: 1.5 } });
    expect(changed.defaults).toEqual({ temperature: 1.5 });
    expect((await rig.call('conversations:get', { id: first.id })).settings).toEqual({ systemPrompt: 'Default prompt', temperature: 0.2 });
    const second = await rig.call('conversations:create', { providerId: saved.id });
    expect(second.settings).toEqual({ temperature: 1.5 });

    // A save without `defaults` keeps them; an empty set clears them.
    const kept = await rig.call('providers:save', { ...draft(local.server.url), id: saved.id });
    expect(kept.defaults).toEqual({ temperature: 1.5 });
    const cleared = await rig.call('providers:save', { ...draft(local.server.url), id: saved.id, defaults: {} });
    expect(cleared.defaults).toBeUndefined();
    expect((await rig.call('conversations:create', { providerId: saved.id })).settings).toBeUndefined();

    const restarted = local.keep(await rig.restart());
    expect((await restarted.call('conversations:get', { id: second.id })).settings).toEqual({ temperature: 1.5 });
  });

  it('refuses out-of-range defaults in main', async () => {
    const rig = local.rig();
    const result = await rig.raw('providers:save', { ...draft(local.server.url), defaults: { topP: 2 } });
    expect(errorOf(result).code).toBe('INVALID_INPUT');
  });
});
