import { describe, expect, it } from 'vitest';
import type { ProviderDraft } from '../../../../shared/models/provider';
import {
  FIELD_ISSUE_CODES,
  isLoopbackHost,
  isSecretHeaderName,
  maskSecret,
  normalizeBaseUrl,
  suggestVersionFix,
  validateProviderDraft,
  type ValidationIssue,
} from '../../../../shared/validation/provider-validation';

function draft(patch: Partial<ProviderDraft> = {}): ProviderDraft {
  return {
    type: 'openai-compatible',
    name: 'Local',
    baseUrl: 'http://localhost:11434/v1',
    model: '',
    assistantId: '',
    customHeaders: [],
    apiKey: { action: 'keep' },
    ...patch,
  };
}

const none = { hasStoredKey: false };
const codes = (issues: ValidationIssue[]) => issues.map((i) => i.code);

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1'],
    ['  https://api.openai.com/v1///  ', 'https://api.openai.com/v1'],
    ['http://localhost:11434/v1/chat/completions', 'http://localhost:11434/v1'],
    ['http://localhost:11434/v1/chat/completions/', 'http://localhost:11434/v1'],
    ['https://openrouter.ai/api/v1/models', 'https://openrouter.ai/api/v1'],
    ['HTTPS://API.Example.COM/v1', 'https://api.example.com/v1'],
    ['https://res.openai.azure.com/openai/v1?api-version=preview', 'https://res.openai.azure.com/openai/v1?api-version=preview'],
    ['https://api.example.com/v1#frag', 'https://api.example.com/v1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeBaseUrl(input).normalized).toBe(expected);
  });

  it('says what was removed from a pasted endpoint URL', () => {
    const r = normalizeBaseUrl('http://localhost:1234/v1/chat/completions');
    const issue = r.issues.find((i) => i.code === 'BASE_URL_NORMALIZED');
    expect(issue).toMatchObject({ severity: 'hint', params: { removed: '/chat/completions', normalized: 'http://localhost:1234/v1' } });
  });

  it('rejects anything that is not an http(s) URL, with a fixed suggestion when it is only missing the scheme', () => {
    expect(normalizeBaseUrl('').issues[0]?.code).toBe('BASE_URL_REQUIRED');
    expect(normalizeBaseUrl('ftp://x/v1').issues[0]).toMatchObject({ code: 'BASE_URL_SCHEME', params: { scheme: 'ftp' } });
    expect(normalizeBaseUrl('file:///etc/passwd').issues[0]?.code).toBe('BASE_URL_SCHEME');
    expect(normalizeBaseUrl('localhost:11434/v1').issues[0]).toMatchObject({
      code: 'BASE_URL_INVALID',
      params: { suggestion: 'http://localhost:11434/v1' },
    });
    expect(normalizeBaseUrl('api.example.com/v1').issues[0]?.params?.suggestion).toBe('https://api.example.com/v1');
    expect(normalizeBaseUrl('not a url').issues[0]?.code).toBe('BASE_URL_INVALID');
    expect(normalizeBaseUrl('http://exa mple.com').normalized).toBeNull();
    for (const bad of ['', 'ftp://x', 'localhost:1/v1', 'not a url']) expect(normalizeBaseUrl(bad).normalized).toBeNull();
  });

  it('refuses credentials in the URL and the Azure placeholder', () => {
    expect(normalizeBaseUrl('https://user:pw@api.example.com/v1').issues[0]?.code).toBe('BASE_URL_CREDENTIALS');
    expect(normalizeBaseUrl('https://YOUR-RESOURCE.openai.azure.com/openai/v1').issues[0]?.code).toBe('BASE_URL_PLACEHOLDER');
  });

  it('hints at a missing /v1 and warns about a doubled one', () => {
    expect(normalizeBaseUrl('http://localhost:11434').issues.find((i) => i.code === 'BASE_URL_MISSING_V1')?.params).toEqual({
      suggestion: 'http://localhost:11434/v1',
    });
    expect(codes(normalizeBaseUrl('https://generativelanguage.googleapis.com/v1beta/openai').issues)).not.toContain('BASE_URL_MISSING_V1');
    expect(codes(normalizeBaseUrl('https://x.openai.azure.com/openai/v1').issues)).toEqual([]);
    expect(normalizeBaseUrl('http://localhost:8000/v1/v1').issues.find((i) => i.code === 'BASE_URL_DOUBLE_V1')?.params).toEqual({
      suggestion: 'http://localhost:8000/v1',
    });
    expect(suggestVersionFix('https://api.example.com/v1')).toBeNull();
  });

  it('warns about plain http to a non-loopback host only', () => {
    expect(codes(normalizeBaseUrl('http://192.168.1.20:8000/v1').issues)).toContain('BASE_URL_INSECURE');
    expect(codes(normalizeBaseUrl('http://llm.example.com/v1').issues)).toContain('BASE_URL_INSECURE');
    for (const local of ['http://localhost:11434/v1', 'http://127.0.0.1:8000/v1', 'http://[::1]:1234/v1', 'http://app.localhost/v1']) {
      expect(codes(normalizeBaseUrl(local).issues)).not.toContain('BASE_URL_INSECURE');
    }
    expect(codes(normalizeBaseUrl('https://llm.example.com/v1').issues)).not.toContain('BASE_URL_INSECURE');
    expect(normalizeBaseUrl('http://10.0.0.1/v1').issues.find((i) => i.code === 'BASE_URL_INSECURE')?.severity).toBe('warning');
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('validateProviderDraft', () => {
  it('accepts a minimal keyless compatible provider', () => {
    const r = validateProviderDraft(draft(), none);
    expect(r.ok).toBe(true);
    expect(r.normalizedBaseUrl).toBe('http://localhost:11434/v1');
  });

  it('requires a name', () => {
    const r = validateProviderDraft(draft({ name: '   ' }), none);
    expect(r.ok).toBe(false);
    expect(r.errors.name?.code).toBe('NAME_REQUIRED');
  });

  it('openai: key required (stored or new), unusual keys only hinted, base URL fixed', () => {
    const base = draft({ type: 'openai', baseUrl: 'junk' });
    expect(validateProviderDraft(base, none).errors.apiKey?.code).toBe('API_KEY_REQUIRED');
    expect(validateProviderDraft(base, { hasStoredKey: true }).ok).toBe(true);
    expect(validateProviderDraft({ ...base, apiKey: { action: 'clear' } }, { hasStoredKey: true }).errors.apiKey?.code).toBe(
      'API_KEY_REQUIRED',
    );
    expect(validateProviderDraft({ ...base, apiKey: { action: 'set', value: '   ' } }, none).errors.apiKey?.code).toBe('API_KEY_REQUIRED');
    const unusual = validateProviderDraft({ ...base, apiKey: { action: 'set', value: 'abc123' } }, none);
    expect(unusual.ok).toBe(true);
    expect(unusual.issues.find((i) => i.code === 'API_KEY_UNUSUAL')?.severity).toBe('hint');
    const normal = validateProviderDraft({ ...base, apiKey: { action: 'set', value: 'sk-proj-abcdefghijklmnopqrstuvwxyz' } }, none);
    expect(codes(normal.issues)).not.toContain('API_KEY_UNUSUAL');
    expect(normal.normalizedBaseUrl).toBe('https://api.openai.com/v1');
  });

  it('rejects keys with line breaks inside, accepts any format otherwise', () => {
    expect(validateProviderDraft(draft({ apiKey: { action: 'set', value: 'abc\ndef' } }), none).errors.apiKey?.code).toBe(
      'API_KEY_INVALID_CHARS',
    );
    expect(validateProviderDraft(draft({ apiKey: { action: 'set', value: '  any-format-at-all\n' } }), none).ok).toBe(true);
  });

  it('assistant: ID required with the exact text; non-asst_ IDs only hinted; base URL optional', () => {
    const a = draft({ type: 'openai-assistant', baseUrl: '', assistantId: '' });
    const r = validateProviderDraft(a, none);
    expect(r.errors.assistantId).toEqual({ code: 'ASSISTANT_ID_REQUIRED', message: 'OpenAI Assistant ID is required' });
    expect(r.normalizedBaseUrl).toBe('https://api.openai.com/v1');
    const other = validateProviderDraft({ ...a, assistantId: 'my-assistant' }, none);
    expect(other.ok).toBe(true);
    expect(other.issues.find((i) => i.code === 'ASSISTANT_ID_FORMAT')?.severity).toBe('hint');
    expect(codes(validateProviderDraft({ ...a, assistantId: 'asst_abc' }, none).issues)).toEqual([]);
  });

  it('assistant run timeout: 1 to 60 minutes, a clear message for text that is no number, absent keeps the saved value', () => {
    const assistant = (runTimeoutMs: number | undefined) =>
      validateProviderDraft(draft({ type: 'openai-assistant', assistantId: 'asst_1', ...(runTimeoutMs === undefined ? {} : { runTimeoutMs }) }), none);
    expect(assistant(undefined).ok).toBe(true);
    for (const ok of [60_000, 90_000, 5 * 60_000, 60 * 60_000]) expect(assistant(ok).ok).toBe(true);
    for (const out of [0, 59_999, 60 * 60_000 + 1, -60_000]) {
      expect(assistant(out).errors.runTimeoutMs).toEqual({
        code: 'RUN_TIMEOUT_RANGE',
        message: 'The run timeout must be from 1 to 60 minutes.',
        params: { min: 1, max: 60 },
      });
    }
    expect(assistant(Number.NaN).errors.runTimeoutMs).toEqual({
      code: 'RUN_TIMEOUT_INVALID',
      message: 'Enter the run timeout as a number of minutes, from 1 to 60.',
      params: { min: 1, max: 60 },
    });
    // Other types have no run timeout to check (the field is not shown for them).
    expect(validateProviderDraft(draft({ runTimeoutMs: 0 }), none).ok).toBe(true);
  });

  it('custom headers: token names, no CR/LF, no duplicates, reserved names, Authorization only without a key', () => {
    const withHeaders = (customHeaders: ProviderDraft['customHeaders'], patch: Partial<ProviderDraft> = {}) =>
      validateProviderDraft(draft({ customHeaders, ...patch }), none);
    expect(withHeaders([{ name: 'X-Title', value: 'Switchboard' }, { name: 'HTTP-Referer', value: 'https://x' }]).ok).toBe(true);
    expect(withHeaders([{ name: 'Bad Name', value: 'v' }]).errors['customHeaders.0.name']?.code).toBe('HEADER_NAME_INVALID');
    expect(withHeaders([{ name: 'X-A\r\nInjected', value: 'v' }]).errors['customHeaders.0.name']?.code).toBe('HEADER_NAME_INVALID');
    expect(withHeaders([{ name: 'X-A', value: 'v\r\nX-B: y' }]).errors['customHeaders.0.value']?.code).toBe('HEADER_VALUE_INVALID');
    expect(withHeaders([{ name: 'X-A', value: 'tab\tis fine' }]).ok).toBe(true);
    expect(withHeaders([{ name: 'x-a', value: '1' }, { name: 'X-A', value: '2' }]).errors['customHeaders.1.name']?.code).toBe(
      'HEADER_DUPLICATE',
    );
    expect(withHeaders([{ name: 'Host', value: 'evil' }]).errors['customHeaders.0.name']?.code).toBe('HEADER_NAME_RESERVED');
    expect(withHeaders([{ name: '', value: 'orphan' }]).errors['customHeaders.0.name']?.code).toBe('HEADER_NAME_REQUIRED');
    expect(withHeaders([{ name: '', value: '' }]).ok).toBe(true);
    // Authorization: allowed as the credential when there is no key, refused next to a key.
    expect(withHeaders([{ name: 'Authorization', value: 'Token abc' }]).ok).toBe(true);
    expect(
      withHeaders([{ name: 'authorization', value: 'Token abc' }], { apiKey: { action: 'set', value: 'k' } }).errors['customHeaders.0.name']
        ?.code,
    ).toBe('HEADER_AUTHORIZATION_CONFLICT');
    expect(
      validateProviderDraft(draft({ customHeaders: [{ name: 'Authorization', value: 'x' }] }), { hasStoredKey: true }).ok,
    ).toBe(false);
  });

  it('headers of other types are not validated (they are not shown or saved)', () => {
    expect(validateProviderDraft(draft({ type: 'openai', apiKey: { action: 'set', value: 'sk-x' }, customHeaders: [{ name: 'bad name', value: '' }] }), none).ok).toBe(
      true,
    );
  });

  it('every issue code is in the exported list, and errors carry one issue per field', () => {
    const r = validateProviderDraft(
      draft({ name: '', baseUrl: 'ftp://x', customHeaders: [{ name: 'a b', value: '\n' }], apiKey: { action: 'set', value: 'a\u0000' } }),
      none,
    );
    for (const issue of r.issues) expect(FIELD_ISSUE_CODES).toContain(issue.code);
    expect(Object.keys(r.errors).sort()).toEqual(['apiKey', 'baseUrl', 'customHeaders.0.name', 'customHeaders.0.value', 'name']);
  });
});

describe('secrets helpers', () => {
  it('masks with the last 4 characters only when that does not reveal most of it', () => {
    expect(maskSecret('sk-abcdefgh1234a1b2')).toBe('…a1b2');
    expect(maskSecret('short')).toBe('…');
  });

  it('recognises secret header names', () => {
    for (const name of ['api-key', 'Authorization', 'cf-aig-authorization', 'x-api-key', 'X-Auth-Token', 'Cookie', 'x-client-secret']) {
      expect(isSecretHeaderName(name), name).toBe(true);
    }
    for (const name of ['HTTP-Referer', 'X-Title', 'OpenAI-Beta', 'x-region']) expect(isSecretHeaderName(name), name).toBe(false);
  });
});
