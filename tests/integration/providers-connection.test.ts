/**
 * Test Connection and the model list through the IPC dispatcher against the local OpenAI-compatible server
 * (real HTTP): every outcome issue 3 lists, on unsaved drafts and on saved providers with stored keys.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult, ProviderView } from '../../shared/models/provider';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { faults, refusedUrl, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { draft, startProvidersRig, type ProvidersRig } from '../support/providers-rig';

const KEY = 'sk-test-connection-key-0001';

let server: OpenAIServer;
let open: OpenAIServer;
let assistants: AssistantsApi;
let rig: ProvidersRig;

beforeAll(async () => {
  assistants = new AssistantsApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [assistantsRoutes(assistants)] });
  open = await startOpenAIServer({});
  rig = startProvidersRig({ connectTimeoutMs: 5000 });
});

afterAll(async () => {
  await server.close();
  await open.close();
});

afterEach(async () => {
  await expectWithinSpecThenReset(assistants, server);
  expect(open.violations.map((v) => v.message)).toEqual([]);
  open.reset();
});

const withKey = (value = KEY) => ({ action: 'set' as const, value });

describe('Test Connection: success', () => {
  it('reports the model count from GET /models', async () => {
    const result = await rig.call('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(result).toMatchObject({ method: 'models', modelCount: 3, message: 'Connected. 3 models available.', warnings: [] });
    expect(result.models).toEqual(['gpt-4o', 'gpt-4o-mini', 'local/llama-3.1-8b-instruct']);
    expect(server.lastRequest('/models')?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('accepts a pasted /chat/completions URL and a trailing slash', async () => {
    const result = await rig.call('providers:test', draft({ baseUrl: `${server.url}/chat/completions/`, apiKey: withKey() }));
    expect(result.modelCount).toBe(3);
    expect(server.lastRequest()?.path).toBe('/v1/models');
  });

  it('warns when the chosen model is not listed, with a code the UI translates', async () => {
    const result = await rig.call('providers:test', draft({ baseUrl: server.url, apiKey: withKey(), model: 'gpt-9' }));
    expect(result.warnings).toEqual([
      {
        code: 'MODEL_NOT_LISTED',
        message: 'The model “gpt-9” is not in this server’s list; check its spelling if chats fail.',
        params: { model: 'gpt-9' },
      },
    ]);
  });

  it('with no key sends no Authorization header, and nothing from OPENAI_* environment variables', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      OPENAI_API_KEY: 'sk-env-must-not-leak',
      OPENAI_ORG_ID: 'org-env',
      OPENAI_PROJECT_ID: 'proj-env',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_CUSTOM_HEADERS: 'X-Env-Header: leak',
    });
    try {
      const result = await rig.call('providers:test', draft({ baseUrl: open.url }));
      expect(result.modelCount).toBe(3);
    } finally {
      for (const name of ['OPENAI_API_KEY', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_BASE_URL', 'OPENAI_CUSTOM_HEADERS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    const headers = open.lastRequest('/models')?.headers ?? {};
    expect(headers.authorization).toBeUndefined();
    expect(headers['openai-organization']).toBeUndefined();
    expect(headers['openai-project']).toBeUndefined();
    expect(headers['x-env-header']).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain('env');
  });

  it('sends custom headers (a gateway that requires one)', async () => {
    const gateway = await startOpenAIServer({ requiredHeaders: { 'cf-aig-authorization': 'Bearer gw-secret-123' } });
    try {
      const denied = await rig.fail('providers:test', draft({ baseUrl: gateway.url }));
      expect(denied.code).toBe('AUTH_FAILED');
      const ok = await rig.call(
        'providers:test',
        draft({ baseUrl: gateway.url, customHeaders: [{ name: 'cf-aig-authorization', value: 'Bearer gw-secret-123' }] }),
      );
      expect(ok.modelCount).toBe(3);
    } finally {
      await gateway.close();
    }
  });

  it('uses the stored key (and stored secret header) when the draft keeps them', async () => {
    const saved = await rig.call(
      'providers:save',
      draft({ name: 'Saved', baseUrl: server.url, apiKey: withKey(), customHeaders: [{ name: 'x-api-key', value: 'header-secret-777' }] }),
    );
    expect(saved.customHeaders).toEqual([{ name: 'x-api-key', value: '…-777' }]);
    const result = await rig.call('providers:test', draft({ id: saved.id, baseUrl: server.url, customHeaders: saved.customHeaders }));
    expect(result.modelCount).toBe(3);
    const headers = server.lastRequest('/models')?.headers ?? {};
    expect(headers.authorization).toBe(`Bearer ${KEY}`);
    expect(headers['x-api-key']).toBe('header-secret-777');
    // Clearing the key in the form is honoured too, without saving.
    const cleared = await rig.fail('providers:test', draft({ id: saved.id, baseUrl: server.url, apiKey: { action: 'clear' } }));
    expect(cleared.code).toBe('AUTH_FAILED');
    await rig.call('providers:delete', { id: saved.id });
  });

  it('listModels gives the ids for the Model field', async () => {
    const { models } = await rig.call('providers:listModels', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(models).toEqual(['gpt-4o', 'gpt-4o-mini', 'local/llama-3.1-8b-instruct']);
  });
});

describe('Test Connection: one clear sentence per failure', () => {
  it('wrong key (401)', async () => {
    const e = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey('sk-wrong-key-000000') }));
    expect(e).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expect(e.message).toBe(`${new URL(server.url).host} rejected the API key (HTTP 401).`);
    expect(JSON.stringify(e)).not.toContain('sk-wrong');
  });

  it('forbidden (403)', async () => {
    server.nextResponses(faults.forbidden());
    const e = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(e.code).toBe('PERMISSION_DENIED');
  });

  it('wrong URL or path (404) with the /v1 hint', async () => {
    const e = await rig.fail('providers:test', draft({ baseUrl: server.origin, apiKey: withKey() }));
    expect(e.code).toBe('NOT_FOUND_PATH');
    expect(e.hint).toBe(`The base URL may be missing /v1: try ${server.origin}/v1`);
    expect(e.params).toMatchObject({ status: 404, suggestion: `${server.origin}/v1` });
  });

  it('server not running (connection refused)', async () => {
    const url = await refusedUrl();
    const e = await rig.fail('providers:test', draft({ baseUrl: url }));
    expect(e.code).toBe('CONNECTION_REFUSED');
    expect(e.message).toBe(`Could not connect to ${new URL(url).host}: the connection was refused.`);
    expect(e.hint).toContain('Is the server running?');
  });

  it('unknown host', async () => {
    const e = await rig.fail('providers:test', draft({ baseUrl: 'http://switchboard-no-such-host.invalid/v1' }));
    expect(e).toMatchObject({ code: 'DNS_FAILED', params: { host: 'switchboard-no-such-host.invalid' } });
    expect(e.message).toBe('The host name switchboard-no-such-host.invalid could not be found.');
  });

  it('timeout, bounded by the configured connect timeout', async () => {
    const quick = startProvidersRig({ connectTimeoutMs: 1000 });
    server.alwaysRespond(faults.hang());
    const e = await quick.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(e).toMatchObject({ code: 'CONNECT_TIMEOUT', retryable: true, params: { seconds: 1 } });
    expect(e.message).toBe(`${new URL(server.url).host} did not answer within 1 seconds.`);
  });

  it('not an OpenAI-style API: an HTML page, or a non-JSON body', async () => {
    server.nextResponses(faults.htmlOk());
    const html = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(html).toMatchObject({ code: 'NOT_OPENAI_API', params: { context: 'html' } });
    expect(html.message).toContain('it sent a web page');
    expect(JSON.stringify(html)).not.toContain('<');

    server.nextResponses(faults.notJson('OK'));
    const text = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(text.code).toBe('NOT_OPENAI_API');
    expect(text.message).toContain('text/plain');
  });

  it('rate limited (429) shows the wait; server errors are retryable', async () => {
    server.nextResponses(faults.rateLimited({ seconds: 3 }));
    const limited = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', params: { seconds: 3, retryAfterMs: 3000 } });
    server.nextResponses(faults.badGateway());
    const gateway = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(gateway).toMatchObject({ code: 'SERVER_ERROR', retryable: true, params: { status: 502 } });
    expect(JSON.stringify(gateway)).not.toMatch(/<html|nginx/i);
  });

  it('invalid drafts are refused before any request, with per-field errors', async () => {
    const before = server.requests.length;
    const e = await rig.fail('providers:test', draft({ baseUrl: 'ftp://example.com/v1' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.fields?.baseUrl?.code).toBe('BASE_URL_SCHEME');
    expect(server.requests.length).toBe(before);
    // A missing name does not block a test.
    expect((await rig.call('providers:test', draft({ name: '', baseUrl: open.url }))).modelCount).toBe(3);
  });
});

describe('Test Connection: /models missing on a gateway', () => {
  it.each([404, 405] as const)('falls back to a 1-token completion when a model is set (%s)', async (status) => {
    server.setBehavior({ modelsEndpoint: status });
    const result: ConnectionTestResult = await rig.call('providers:test', draft({ baseUrl: server.url, apiKey: withKey(), model: 'gpt-4o-mini' }));
    expect(result.method).toBe('completion');
    expect(result.message).toBe('Connected. A 1-token test completion with “gpt-4o-mini” worked.');
    expect(result.warnings).toEqual([{ code: 'MODELS_NOT_LISTED', message: expect.stringContaining(`HTTP ${status}`), params: { status } }]);
    const completion = server.lastRequest('/chat/completions');
    expect(completion?.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1, stream: false });
  });

  it('says to enter a model when none is set', async () => {
    server.setBehavior({ modelsEndpoint: 404 });
    const e = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey() }));
    expect(e).toMatchObject({ code: 'NOT_FOUND_PATH', params: { context: 'models_missing' } });
    expect(e.hint).toContain('enter the Model');
  });

  it('the fallback reports a model the server does not know', async () => {
    server.setBehavior({ modelsEndpoint: 404 });
    const e = await rig.fail('providers:test', draft({ baseUrl: server.url, apiKey: withKey(), model: 'gpt-9' }));
    expect(e).toMatchObject({ code: 'MODEL_NOT_FOUND', params: { model: 'gpt-9' } });
  });

  it('both endpoints missing means the URL is wrong', async () => {
    const e = await rig.fail('providers:test', draft({ baseUrl: server.origin, apiKey: withKey(), model: 'gpt-4o-mini' }));
    expect(e.code).toBe('NOT_FOUND_PATH');
    expect(e.hint).toContain('/v1');
  });
});

describe('Test Connection: OpenAI Assistant', () => {
  const assistantDraft = (assistantId: string, baseUrl = server.url) =>
    draft({ type: 'openai-assistant', name: 'Helper', baseUrl, assistantId, apiKey: withKey() });

  it('reports the assistant’s name and model, with OpenAI-Beta: assistants=v2', async () => {
    const id = assistants.createAssistant({ name: 'Support Bot', model: 'gpt-4o' });
    const result = await rig.call('providers:test', assistantDraft(id));
    expect(result).toMatchObject({
      method: 'assistant',
      assistant: { id, name: 'Support Bot', model: 'gpt-4o' },
      message: 'Connected to the assistant “Support Bot” (gpt-4o).',
    });
    expect(server.lastRequest()?.headers['openai-beta']).toBe('assistants=v2');
  });

  it('assistant not found', async () => {
    const e = await rig.fail('providers:test', assistantDraft('asst_does_not_exist'));
    expect(e).toMatchObject({ code: 'ASSISTANT_NOT_FOUND', params: { assistantId: 'asst_does_not_exist' } });
  });

  it('Assistants API not served: says OpenAI retired it on 2026-08-26', async () => {
    const e = await rig.fail('providers:test', assistantDraft('asst_x', open.url));
    expect(e.code).toBe('ASSISTANTS_API_UNAVAILABLE');
    expect(e.hint).toContain('OpenAI retired the Assistants API on 2026-08-26');
  });

  it('assistant not found, whatever the server’s 404 says, as long as it serves the Assistants API', async () => {
    // A self-hosted server's bare FastAPI 404 names no assistant: asking /assistants decides, not the wording.
    server.nextResponses({ ...faults.fastapiError(404, 'Not Found'), match: { method: 'GET', path: '/assistants/asst_gone' } });
    const e = await rig.fail('providers:test', assistantDraft('asst_gone'));
    expect(e).toMatchObject({ code: 'ASSISTANT_NOT_FOUND', params: { assistantId: 'asst_gone' } });
  });

  it('a wrong base URL is a path problem, not a missing API', async () => {
    const e = await rig.fail('providers:test', assistantDraft('asst_x', server.origin));
    expect(e.code).toBe('NOT_FOUND_PATH');
    expect(e.hint).toContain(`${server.origin}/v1`);
  });

  it('the Assistant ID is required', async () => {
    const e = await rig.fail('providers:test', assistantDraft(''));
    expect(e.fields?.assistantId).toEqual({ code: 'ASSISTANT_ID_REQUIRED', message: 'OpenAI Assistant ID is required' });
  });
});

describe('Test Connection: TLS', () => {
  let tlsServer: https.Server;
  let tlsUrl = '';
  let certDir = '';

  beforeAll(async () => {
    // A self-signed certificate made for this run: the connection must fail, never skip verification.
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-tls-'));
    const key = path.join(certDir, 'key.pem');
    const cert = path.join(certDir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    tlsServer = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('a self-signed certificate is a TLS error', async () => {
    const e = await rig.fail('providers:test', draft({ baseUrl: tlsUrl }));
    expect(e).toMatchObject({ code: 'TLS_FAILED', retryable: false, params: { context: 'self_signed' } });
    expect(e.message).toBe(`The secure connection to ${new URL(tlsUrl).host} failed: its certificate is self-signed.`);
  });

  it('https to a plain-http port says it does not speak HTTPS', async () => {
    const e = await rig.fail('providers:test', draft({ baseUrl: open.url.replace('http://', 'https://') }));
    expect(e).toMatchObject({ code: 'TLS_FAILED', params: { context: 'not_https' } });
  });
});

describe('the saved provider is usable by chat exactly as tested', () => {
  it('resolve() gives the real key and header values', async () => {
    const saved: ProviderView = await rig.call(
      'providers:save',
      draft({ name: 'Resolved', baseUrl: server.url, apiKey: withKey(), customHeaders: [{ name: 'api-key', value: 'azure-key-abcdef' }, { name: 'X-Title', value: 'SB' }] }),
    );
    const resolved = await rig.services.providers.resolve(saved.id);
    expect(resolved.apiKey).toBe(KEY);
    expect(resolved.config.customHeaders).toEqual([
      { name: 'api-key', value: 'azure-key-abcdef' },
      { name: 'X-Title', value: 'SB' },
    ]);
    await rig.call('providers:delete', { id: saved.id });
  });
});
