/**
 * The OpenAI Responses provider type in Settings, through the IPC dispatcher and the real services:
 * saving (instructions, conversation state, custom headers, the key in the secret store and nowhere on
 * disk), validation, the model list, every Test Connection outcome against the local server, and the
 * settings files of older versions, which must load exactly as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_VERSION } from '../../electron/main/config/config-store';
import type { ProviderConfig, ProviderView } from '../../shared/models/provider';
import { faults, refusedUrl, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import { ResponsesApi } from '../fixtures/openai-server/responses';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { draft, filesUnder, startProvidersRig, type ProvidersRig } from '../support/providers-rig';

const KEY = 'sk-responses-settings-key-7788';
const FIXTURES = path.resolve(__dirname, '../fixtures/config');

let server: OpenAIServer;
let api: ResponsesApi;
let rig: ProvidersRig;

beforeAll(async () => {
  api = new ResponsesApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [responsesRoutes(api)] });
  rig = startProvidersRig({ connectTimeoutMs: 2000 });
});

afterAll(async () => {
  await server.close();
});

afterEach(async () => {
  await expectWithinSpecThenReset(api, server);
});

const withKey = (value = KEY) => ({ action: 'set' as const, value });
const responses = (patch: Parameters<typeof draft>[0] = {}) =>
  draft({ type: 'openai-responses', name: 'Responses', baseUrl: server.url, model: 'gpt-4o-mini', apiKey: withKey(), ...patch });

describe('Saving an OpenAI Responses provider', () => {
  it('keeps instructions, conversation state and headers in the settings file and the key only in the secret store', async () => {
    const saved = await rig.call(
      'providers:save',
      responses({
        instructions: '  You are terse.  ',
        conversationState: 'stateless',
        customHeaders: [
          { name: 'X-Title', value: 'Switchboard' },
          { name: 'api-key', value: 'azure-secret-value-1234' },
        ],
      }),
    );
    expect(saved).toMatchObject({
      type: 'openai-responses',
      baseUrl: server.url,
      model: 'gpt-4o-mini',
      instructions: 'You are terse.',
      conversationState: 'stateless',
      hasApiKey: true,
      apiKeyHint: '…7788',
      customHeaders: [
        { name: 'X-Title', value: 'Switchboard' },
        { name: 'api-key', value: '…1234' },
      ],
    });
    const onDisk = filesUnder(rig.dataDir).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(onDisk).not.toContain(KEY);
    expect(onDisk).not.toContain('azure-secret-value-1234');
    expect(await rig.secrets.get(saved.id)).toBe(KEY);

    const again = rig.restart();
    const listed = (await again.call('providers:list', undefined)).providers.find((p) => p.id === saved.id);
    expect(listed).toMatchObject({ instructions: 'You are terse.', conversationState: 'stateless' });
  });

  it('defaults to the server keeping the conversation and to api.openai.com when the base URL is empty', async () => {
    const saved = await rig.call('providers:save', responses({ baseUrl: '  ' }));
    expect(saved).toMatchObject({ baseUrl: 'https://api.openai.com/v1', conversationState: 'server', instructions: '' });
    // Keeping what is saved: a draft without the fields leaves them as they are.
    await rig.call('providers:save', responses({ id: saved.id, baseUrl: '', conversationState: 'stateless', instructions: 'x', apiKey: { action: 'keep' } }));
    const kept = await rig.call('providers:save', { ...responses({ id: saved.id, baseUrl: '', apiKey: { action: 'keep' } }) });
    expect(kept).toMatchObject({ conversationState: 'stateless', instructions: 'x', hasApiKey: true });
  });

  it('validates headers and rejects an unknown conversation state at the IPC edge', async () => {
    const invalid = await rig.fail('providers:save', responses({ customHeaders: [{ name: 'Bad Header', value: 'x' }] }));
    expect(invalid).toMatchObject({ code: 'VALIDATION', fields: { 'customHeaders.0.name': { code: 'HEADER_NAME_INVALID' } } });
    const unknown = await rig.fail('providers:save', { ...responses(), conversationState: 'sometimes' });
    expect(unknown.code).toBe('INVALID_INPUT');
  });

  it('switches an OpenAI Assistant provider to Responses in place: same id, name, base URL and stored key', async () => {
    const assistant = await rig.call(
      'providers:save',
      draft({ type: 'openai-assistant', name: 'Support', baseUrl: 'https://api.openai.com/v1', assistantId: 'asst_abc', apiKey: withKey() }),
    );
    const switched = await rig.call('providers:save', {
      id: assistant.id,
      type: 'openai-responses',
      name: assistant.name,
      baseUrl: assistant.baseUrl,
      model: '',
      assistantId: '',
      customHeaders: [],
      apiKey: { action: 'keep' },
    });
    expect(switched).toMatchObject({ id: assistant.id, type: 'openai-responses', name: 'Support', baseUrl: 'https://api.openai.com/v1', assistantId: '', hasApiKey: true, apiKeyHint: '…7788' });
    expect(await rig.secrets.get(assistant.id)).toBe(KEY);
  });
});

describe('Test Connection', () => {
  it('lists the models and sends a short test response with the chosen model', async () => {
    const result = await rig.call('providers:test', responses({ conversationState: 'stateless' }));
    expect(result).toMatchObject({
      method: 'responses',
      message: 'Connected. “gpt-4o-mini” answered through the Responses API.',
      modelCount: 3,
      responses: { model: 'gpt-4o-mini' },
      warnings: [],
    });
    const probe = server.lastRequest('/responses')?.body;
    expect(probe).toMatchObject({ model: 'gpt-4o-mini', store: false, max_output_tokens: 16 });
    expect(server.requestsTo('/conversations', 'POST')).toHaveLength(0);
  });

  it('with the server keeping the conversation, checks the Conversations API and leaves nothing behind', async () => {
    const result = await rig.call('providers:test', responses());
    expect(result.method).toBe('responses');
    expect(server.requestsTo('/conversations', 'POST')).toHaveLength(1);
    const [conversation] = [...api.conversations.values()];
    expect(conversation?.deleted).toBe(true);
  });

  it('without a model, checks only that /responses is served (for free) and asks for a model', async () => {
    const result = await rig.call('providers:test', responses({ model: '', conversationState: 'stateless' }));
    expect(result).toMatchObject({
      method: 'models',
      modelCount: 3,
      warnings: [{ code: 'RESPONSES_NOT_PROBED', message: 'Choose a Model and test again to also send a short test response.' }],
    });
    expect(server.lastRequest('/responses')?.body).toEqual({});
  });

  it('says when the server has no Responses API, or no Conversations API', async () => {
    api.configure({ served: false });
    expect(await rig.fail('providers:test', responses({ conversationState: 'stateless' }))).toMatchObject({ code: 'RESPONSES_API_UNAVAILABLE', params: { status: 404 } });
    expect(await rig.fail('providers:test', responses({ model: '', conversationState: 'stateless' }))).toMatchObject({ code: 'RESPONSES_API_UNAVAILABLE' });
    api.configure({ served: true, conversationsServed: false });
    const conversations = await rig.fail('providers:test', responses());
    expect(conversations).toMatchObject({ code: 'RESPONSES_API_UNAVAILABLE', params: { context: 'conversations' } });
    expect(conversations.hint).toContain('Send the history');
  });

  it('tells a wrong base URL (with the /v1 fix) from the rest, and keeps going on a gateway without /models', async () => {
    const wrong = await rig.fail('providers:test', responses({ baseUrl: server.origin, conversationState: 'stateless' }));
    expect(wrong).toMatchObject({ code: 'NOT_FOUND_PATH', hint: `The base URL may be missing /v1: try ${server.origin}/v1` });

    server.setBehavior({ modelsEndpoint: 404 });
    const noModels = await rig.call('providers:test', responses({ conversationState: 'stateless' }));
    expect(noModels.method).toBe('responses');
    expect(noModels.warnings).toEqual([{ code: 'MODELS_NOT_LISTED', message: expect.stringContaining('does not list its models'), params: { status: 404 } }]);
  });

  it('reports a wrong key, an unknown model, a refused connection and an HTML page precisely', async () => {
    expect(await rig.fail('providers:test', responses({ apiKey: withKey('sk-wrong-key-000000000') }))).toMatchObject({ code: 'AUTH_FAILED' });
    expect(await rig.fail('providers:test', responses({ model: 'gpt-9', conversationState: 'stateless' }))).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(await rig.fail('providers:test', responses({ baseUrl: await refusedUrl() }))).toMatchObject({ code: 'CONNECTION_REFUSED' });
    server.nextResponses({ ...faults.htmlOk(), match: { path: '/responses' } });
    expect(await rig.fail('providers:test', responses({ conversationState: 'stateless' }))).toMatchObject({ code: 'NOT_OPENAI_API' });
  });

  it('accepts an incomplete test response (16 tokens are not enough for a reasoning model)', async () => {
    api.queueResponse({ outcome: 'incomplete', incompleteReason: 'max_output_tokens' });
    expect((await rig.call('providers:test', responses({ conversationState: 'stateless' }))).method).toBe('responses');
  });

  it('fills the model list', async () => {
    expect(await rig.call('providers:listModels', responses({ model: '' }))).toEqual({ models: ['gpt-4o', 'gpt-4o-mini', 'local/llama-3.1-8b-instruct'] });
  });
});

describe('Settings files of older versions', () => {
  function dataDirWith(file: string): string {
    const dir = fs.mkdtempSync(path.join(rig.dataDir, 'old-'));
    fs.copyFileSync(path.join(FIXTURES, file), path.join(dir, 'config.json'));
    return dir;
  }

  it('loads a version 1 file exactly as before (no new fields on its providers), then adds a Responses provider beside them', async () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'v1-config.json'), 'utf8');
    const dir = dataDirWith('v1-config.json');
    const old = startProvidersRig({ dataDir: dir });
    const fixture = JSON.parse(original) as { providers: ProviderConfig[] };
    const listed = (await old.call('providers:list', undefined)).providers;
    // What the view adds about keys (never part of the file) aside, each provider is the file's entry as it was.
    expect(listed.map(({ hasApiKey: _k, apiKeyHint: _h, keyLocation: _l, keys: _pool, ...config }: ProviderView) => config)).toEqual(fixture.providers);
    for (const p of listed) {
      expect(p).not.toHaveProperty('instructions');
      expect(p).not.toHaveProperty('conversationState');
    }
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(original);

    const added = await old.call('providers:save', responses({ instructions: 'Hi', conversationState: 'server' }));
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { schemaVersion: number; providers: Array<Record<string, unknown>> };
    expect(file.schemaVersion).toBe(CONFIG_SCHEMA_VERSION);
    expect(file.providers.slice(0, 3)).toEqual(fixture.providers);
    expect(file.providers[3]).toMatchObject({ id: added.id, type: 'openai-responses', instructions: 'Hi', conversationState: 'server' });
  });

  it('migrates a file without a version, and keeps a Responses entry with a mode this version does not know usable', async () => {
    const dir = dataDirWith('v0-config.json');
    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { providers: Array<Record<string, unknown>> };
    raw.providers.push({ id: 'resp-future', type: 'openai-responses', name: 'Future', baseUrl: 'https://api.openai.com/v1', model: 'gpt-5', conversationState: 'hybrid' });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(raw));
    const old = startProvidersRig({ dataDir: dir });
    const providers = (await old.call('providers:list', undefined)).providers;
    expect(providers.map((p) => [p.id, p.type])).toEqual([
      ['legacy-1', 'openai-compatible'],
      ['resp-future', 'openai-responses'],
    ]);
    expect(providers[1]?.conversationState).toBeUndefined();
  });
});
