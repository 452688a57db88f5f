/**
 * The providers:* channels through the IPC dispatcher with real files: validation on save, nothing saved
 * half-way (keychain or settings-file failures roll back), live broadcasts, secret custom headers kept out
 * of the config file and matched back from their masks, session-only keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderList, ProviderView } from '../../shared/models/provider';
import type { SecretStore } from '../../electron/main/secrets/secret-store';
import { SessionSecretStore } from '../../electron/main/secrets/key-vault';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import { draft, filesUnder, startProvidersRig } from '../support/providers-rig';

/** A real in-memory store that starts failing (with the OS library's message) when told to. */
class BreakableStore implements SecretStore {
  private readonly inner = new SessionSecretStore();
  failWith: string | null = null;
  failOnAccount: string | null = null;
  private check(account: string) {
    if (this.failWith && (this.failOnAccount === null || this.failOnAccount === account)) throw new Error(this.failWith);
  }
  async get(account: string) {
    return this.inner.get(account);
  }
  async set(account: string, secret: string) {
    this.check(account);
    return this.inner.set(account, secret);
  }
  async delete(account: string) {
    this.check(account);
    return this.inner.delete(account);
  }
}

const configText = (dataDir: string) => fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8');

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({});
});
afterAll(() => server.close());

describe('providers:save', () => {
  it('validates first: errors per field, nothing written', async () => {
    const rig = startProvidersRig();
    const e = await rig.fail('providers:save', draft({ name: '', baseUrl: 'localhost:11434/v1', apiKey: { action: 'set', value: 'sk-abcdef123456' } }));
    expect(e.code).toBe('VALIDATION');
    expect(e.fields).toMatchObject({ name: { code: 'NAME_REQUIRED' }, baseUrl: { code: 'BASE_URL_INVALID', params: { suggestion: 'http://localhost:11434/v1' } } });
    expect((await rig.call('providers:list', undefined)).providers).toEqual([]);
    expect(await rig.secrets.get('sk-abcdef123456')).toBeNull();
    expect(rig.events.sent).toEqual([]);
  });

  it('normalises what it stores and broadcasts providers:changed without secrets', async () => {
    const rig = startProvidersRig();
    const saved = await rig.call(
      'providers:save',
      draft({ name: '  Ollama  ', baseUrl: ' http://localhost:11434/v1/chat/completions/ ', model: ' llama3 ', apiKey: { action: 'set', value: 'ollama-key-12345' } }),
    );
    expect(saved).toMatchObject({ name: 'Ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3', hasApiKey: true, apiKeyHint: '…2345' });
    const changed = rig.events.sent.filter((e) => e.event === 'providers:changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.windowId).toBe('all');
    expect((changed[0]?.payload as ProviderList).providers[0]?.id).toBe(saved.id);
    expect(JSON.stringify(rig.events.sent)).not.toContain('ollama-key-12345');
    expect(configText(rig.dataDir)).not.toContain('ollama-key-12345');
  });

  it('type-specific fields: openai uses the official URL, other types drop fields they do not show', async () => {
    const rig = startProvidersRig();
    const openai = await rig.call(
      'providers:save',
      draft({ type: 'openai', name: 'OpenAI', baseUrl: 'http://evil.example.com', customHeaders: [{ name: 'X-A', value: '1' }], apiKey: { action: 'set', value: 'sk-proj-abcdefghijklmnopqrstu' } }),
    );
    expect(openai).toMatchObject({ baseUrl: 'https://api.openai.com/v1', customHeaders: [] });
    const assistant = await rig.call(
      'providers:save',
      draft({ type: 'openai-assistant', name: 'Asst', baseUrl: '', model: 'ignored', assistantId: ' asst_123 ', runTimeoutMs: 60_000 }),
    );
    expect(assistant).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: '', assistantId: 'asst_123', runTimeoutMs: 60_000 });
  });

  it('an Assistant provider saves its run timeout; one outside 1–60 minutes is a field error and saves nothing', async () => {
    const rig = startProvidersRig();
    const assistant = (runTimeoutMs?: number) =>
      draft({ type: 'openai-assistant', name: 'Helper', assistantId: 'asst_1', ...(runTimeoutMs === undefined ? {} : { runTimeoutMs }) });
    const saved = await rig.call('providers:save', assistant());
    expect(saved.runTimeoutMs).toBe(5 * 60_000);
    const longer = await rig.call('providers:save', { ...assistant(12 * 60_000), id: saved.id });
    expect(longer.runTimeoutMs).toBe(12 * 60_000);
    expect(rig.services.config.getProvider(saved.id)?.runTimeoutMs).toBe(12 * 60_000);
    // Absent keeps what is saved.
    expect((await rig.call('providers:save', { ...assistant(), id: saved.id, name: 'Renamed' })).runTimeoutMs).toBe(12 * 60_000);

    const e = await rig.fail('providers:save', { ...assistant(2 * 60 * 60_000), id: saved.id });
    expect(e).toMatchObject({ code: 'VALIDATION', fields: { runTimeoutMs: { code: 'RUN_TIMEOUT_RANGE', params: { min: 1, max: 60 } } } });
    expect(rig.services.config.getProvider(saved.id)?.runTimeoutMs).toBe(12 * 60_000);
  });

  it('a keychain that fails saves nothing (no config, no key anywhere)', async () => {
    const store = new BreakableStore();
    const rig = startProvidersRig({ secrets: store });
    store.failWith = 'Cannot create an item in a locked collection';
    const e = await rig.fail('providers:save', draft({ name: 'Locked', baseUrl: server.url, apiKey: { action: 'set', value: 'sk-locked-000011112222' } }));
    expect(e).toMatchObject({ code: 'KEYCHAIN_LOCKED' });
    expect(e.hint).toMatch(/Unlock/);
    const list = await rig.call('providers:list', undefined);
    expect(list.providers).toEqual([]);
    expect(list.keychain.state).toBe('locked');
    for (const file of filesUnder(rig.dataDir)) expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-locked');
  });

  it('a failing second secret write restores the first (the old key is back)', async () => {
    const store = new BreakableStore();
    const rig = startProvidersRig({ secrets: store });
    const saved = await rig.call('providers:save', draft({ name: 'Two secrets', baseUrl: server.url, apiKey: { action: 'set', value: 'old-key-aaaa1111' } }));
    store.failWith = 'Prompt dismissed';
    store.failOnAccount = `${saved.id}:header:x-api-key`;
    const e = await rig.fail(
      'providers:save',
      draft({ id: saved.id, name: 'Renamed', baseUrl: server.url, apiKey: { action: 'set', value: 'new-key-bbbb2222' }, customHeaders: [{ name: 'x-api-key', value: 'hdr-secret-9999' }] }),
    );
    expect(e.code).toBe('KEYCHAIN_DENIED');
    expect(await store.get(saved.id)).toBe('old-key-aaaa1111');
    const after = (await rig.call('providers:list', undefined)).providers[0];
    expect(after).toMatchObject({ name: 'Two secrets', customHeaders: [], apiKeyHint: '…1111' });
  });

  it('a settings file that cannot be written rolls the keychain back', async () => {
    const store = new BreakableStore();
    const rig = startProvidersRig({ secrets: store });
    const saved = await rig.call('providers:save', draft({ name: 'Disk', baseUrl: server.url, apiKey: { action: 'set', value: 'disk-key-old-0001' } }));
    const configFile = path.join(rig.dataDir, 'config.json');
    // Replace the file's directory entry with a directory of the same name: every write to it fails.
    fs.rmSync(configFile);
    fs.mkdirSync(configFile);
    try {
      const e = await rig.fail('providers:save', draft({ id: saved.id, name: 'Disk 2', baseUrl: server.url, apiKey: { action: 'set', value: 'disk-key-new-0002' } }));
      expect(e.code).toBe('INTERNAL');
      expect(e.message).toContain('nothing was saved');
      expect(await store.get(saved.id)).toBe('disk-key-old-0001');
    } finally {
      fs.rmSync(configFile, { recursive: true });
    }
  });

  it('an unknown id is NOT_FOUND', async () => {
    const rig = startProvidersRig();
    expect((await rig.fail('providers:save', draft({ id: 'nope', name: 'x', baseUrl: server.url }))).code).toBe('NOT_FOUND');
    expect((await rig.fail('providers:delete', { id: 'nope' })).code).toBe('NOT_FOUND');
    expect((await rig.fail('providers:duplicate', { id: 'nope' })).code).toBe('NOT_FOUND');
  });
});

describe('secret custom headers', () => {
  it('keeps values of secret-looking headers out of the config file and returns them masked', async () => {
    const rig = startProvidersRig();
    const saved: ProviderView = await rig.call(
      'providers:save',
      draft({
        name: 'Azure',
        baseUrl: server.url,
        customHeaders: [
          { name: 'api-key', value: 'azure-secret-abcd1234' },
          { name: 'HTTP-Referer', value: 'https://switchboard.example' },
        ],
      }),
    );
    expect(saved.customHeaders).toEqual([
      { name: 'api-key', value: '…1234' },
      { name: 'HTTP-Referer', value: 'https://switchboard.example' },
    ]);
    const text = configText(rig.dataDir);
    expect(text).not.toContain('azure-secret');
    expect(text).toContain('https://switchboard.example');
    expect(await rig.secrets.get(`${saved.id}:header:api-key`)).toBe('azure-secret-abcd1234');

    // Sending the mask back keeps the value; renaming the header carries it over; a new value replaces it.
    await rig.call('providers:save', draft({ id: saved.id, name: 'Azure', baseUrl: server.url, customHeaders: saved.customHeaders }));
    expect(await rig.secrets.get(`${saved.id}:header:api-key`)).toBe('azure-secret-abcd1234');
    await rig.call('providers:save', draft({ id: saved.id, name: 'Azure', baseUrl: server.url, customHeaders: [{ name: 'x-api-key', value: '…1234' }] }));
    expect(await rig.secrets.get(`${saved.id}:header:x-api-key`)).toBe('azure-secret-abcd1234');
    expect(await rig.secrets.get(`${saved.id}:header:api-key`)).toBeNull();
    await rig.call('providers:save', draft({ id: saved.id, name: 'Azure', baseUrl: server.url, customHeaders: [{ name: 'x-api-key', value: 'rotated-secret-5678' }] }));
    expect(await rig.secrets.get(`${saved.id}:header:x-api-key`)).toBe('rotated-secret-5678');
    // Removing the header removes its secret.
    await rig.call('providers:save', draft({ id: saved.id, name: 'Azure', baseUrl: server.url, customHeaders: [] }));
    expect(await rig.secrets.get(`${saved.id}:header:x-api-key`)).toBeNull();
  });

  it('a secret header value an older version left in the config moves to the keychain on save', async () => {
    const rig = startProvidersRig();
    const saved = await rig.call('providers:save', draft({ name: 'Legacy', baseUrl: server.url }));
    rig.services.config.upsertProvider({ ...saved, customHeaders: [{ name: 'x-api-key', value: 'plain-legacy-secret-42' }] });
    const listed = (await rig.call('providers:list', undefined)).providers[0];
    expect(listed?.customHeaders).toEqual([{ name: 'x-api-key', value: '…t-42' }]);
    await rig.call('providers:save', draft({ id: saved.id, name: 'Legacy', baseUrl: server.url, customHeaders: listed?.customHeaders ?? [] }));
    expect(configText(rig.dataDir)).not.toContain('plain-legacy-secret-42');
    expect(await rig.secrets.get(`${saved.id}:header:x-api-key`)).toBe('plain-legacy-secret-42');
  });

  it('an Authorization custom header is the credential when there is no key', async () => {
    const gateway = await startOpenAIServer({ requiredHeaders: { authorization: 'Token custom-scheme-1' } });
    try {
      const rig = startProvidersRig();
      const result = await rig.call(
        'providers:test',
        draft({ baseUrl: gateway.url, customHeaders: [{ name: 'Authorization', value: 'Token custom-scheme-1' }] }),
      );
      expect(result.modelCount).toBe(3);
      const e = await rig.fail(
        'providers:save',
        draft({ name: 'Both', baseUrl: gateway.url, apiKey: { action: 'set', value: 'k-123456789' }, customHeaders: [{ name: 'Authorization', value: 'x' }] }),
      );
      expect(e.fields?.['customHeaders.0.name']?.code).toBe('HEADER_AUTHORIZATION_CONFLICT');
    } finally {
      await gateway.close();
    }
  });
});

describe('duplicate, delete, session-only', () => {
  it('duplicate names the copy and both providers are listed', async () => {
    const rig = startProvidersRig();
    const a = await rig.call('providers:save', draft({ name: 'Local', baseUrl: server.url, apiKey: { action: 'set', value: 'local-key-00001111' } }));
    const b = await rig.call('providers:duplicate', { id: a.id });
    const c = await rig.call('providers:duplicate', { id: a.id });
    expect([b.name, c.name]).toEqual(['Local (copy)', 'Local (copy 2)']);
    expect(b).toMatchObject({ hasApiKey: true, apiKeyHint: '…1111', baseUrl: a.baseUrl });
    await rig.call('providers:delete', { id: a.id });
    expect(await rig.secrets.get(a.id)).toBeNull();
    expect(await rig.secrets.get(b.id)).toBe('local-key-00001111');
    const list = await rig.call('providers:list', undefined);
    expect(list.providers.map((p) => p.name)).toEqual(['Local (copy)', 'Local (copy 2)']);
    expect(rig.events.sent.filter((e) => e.event === 'providers:changed')).toHaveLength(4);
  });

  it('session-only keys are used by chat and leave with the session', async () => {
    const store = new BreakableStore();
    store.failWith = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
    const rig = startProvidersRig({ secrets: store });
    expect((await rig.call('providers:keychainStatus', undefined)).state).toBe('unavailable');
    await rig.call('providers:setSessionOnlyKeys', { enabled: true });
    const saved = await rig.call('providers:save', draft({ name: 'Session', baseUrl: server.url, apiKey: { action: 'set', value: 'session-key-5555' } }));
    expect(saved.keyLocation).toBe('session');
    expect((await rig.services.providers.resolve(saved.id)).apiKey).toBe('session-key-5555');
    // Deleting works even though the keychain is not there.
    await rig.call('providers:delete', { id: saved.id });
    expect((await rig.call('providers:list', undefined)).providers).toEqual([]);
    // After a restart the config is there but the session key is gone (as promised to the user).
    const again = await rig.call('providers:save', draft({ name: 'Session 2', baseUrl: server.url, apiKey: { action: 'set', value: 'session-key-6666' } }));
    const restarted = rig.restart();
    const listed = (await restarted.call('providers:list', undefined)).providers.find((p) => p.id === again.id);
    expect(listed).toMatchObject({ hasApiKey: false, keyLocation: 'none' });
    expect(configText(rig.dataDir)).not.toContain('session-key');
  });
});
