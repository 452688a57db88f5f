/**
 * Validation of a provider draft, shared by main (which enforces it on save and test) and the Settings UI
 * (which shows it next to each field as the user types). Pure: no I/O, no Node or DOM APIs beyond URL.
 *
 * The result lists issues per field. `error` blocks saving; `warning` and `hint` never do. Each issue has a
 * stable `code` the UI translates (`settings:validation.<CODE>`, interpolating `params`) and an English
 * `message` to fall back on. The codes are listed in FIELD_ISSUE_CODES below:
 *
 *   NAME_REQUIRED                 error    name
 *   BASE_URL_REQUIRED             error    baseUrl
 *   BASE_URL_INVALID              error    baseUrl           params: suggestion (may be '')
 *   BASE_URL_SCHEME               error    baseUrl           params: scheme
 *   BASE_URL_CREDENTIALS          error    baseUrl
 *   BASE_URL_PLACEHOLDER          error    baseUrl           params: placeholder
 *   BASE_URL_NORMALIZED           hint     baseUrl           params: removed, normalized
 *   BASE_URL_MISSING_V1           hint     baseUrl           params: suggestion
 *   BASE_URL_DOUBLE_V1            warning  baseUrl           params: suggestion
 *   BASE_URL_INSECURE             warning  baseUrl           params: host
 *   API_KEY_REQUIRED              error    apiKey
 *   API_KEY_INVALID_CHARS         error    apiKey
 *   API_KEY_UNUSUAL               hint     apiKey
 *   ASSISTANT_ID_REQUIRED         error    assistantId       (message: "OpenAI Assistant ID is required")
 *   ASSISTANT_ID_FORMAT           hint     assistantId
 *   RUN_TIMEOUT_INVALID           error    runTimeoutMs      params: min, max (minutes)
 *   RUN_TIMEOUT_RANGE             error    runTimeoutMs      params: min, max (minutes)
 *   HEADER_NAME_REQUIRED          error    customHeaders.N.name
 *   HEADER_NAME_INVALID           error    customHeaders.N.name   params: name
 *   HEADER_NAME_RESERVED          error    customHeaders.N.name   params: name
 *   HEADER_DUPLICATE              error    customHeaders.N.name   params: name
 *   HEADER_AUTHORIZATION_CONFLICT error    customHeaders.N.name
 *   HEADER_VALUE_INVALID          error    customHeaders.N.value  params: name
 *
 * The Authorization rule: a custom `Authorization` header is accepted only when the provider has no API key
 * (then that header is the credential, e.g. a non-Bearer scheme); with a key as well it is an error,
 * because two sources for one header is never what the user meant.
 */
import type { CustomHeader, ProviderDraft, ProviderType } from '../models/provider';
import { DEFAULT_BASE_URL } from '../models/provider';
import type { FieldIssue } from '../result';

export const FIELD_ISSUE_CODES = [
  'NAME_REQUIRED',
  'BASE_URL_REQUIRED',
  'BASE_URL_INVALID',
  'BASE_URL_SCHEME',
  'BASE_URL_CREDENTIALS',
  'BASE_URL_PLACEHOLDER',
  'BASE_URL_NORMALIZED',
  'BASE_URL_MISSING_V1',
  'BASE_URL_DOUBLE_V1',
  'BASE_URL_INSECURE',
  'API_KEY_REQUIRED',
  'API_KEY_INVALID_CHARS',
  'API_KEY_UNUSUAL',
  'ASSISTANT_ID_REQUIRED',
  'ASSISTANT_ID_FORMAT',
  'RUN_TIMEOUT_INVALID',
  'RUN_TIMEOUT_RANGE',
  'HEADER_NAME_REQUIRED',
  'HEADER_NAME_INVALID',
  'HEADER_NAME_RESERVED',
  'HEADER_DUPLICATE',
  'HEADER_AUTHORIZATION_CONFLICT',
  'HEADER_VALUE_INVALID',
] as const;
export type FieldIssueCode = (typeof FIELD_ISSUE_CODES)[number];

export type IssueSeverity = 'error' | 'warning' | 'hint';

export interface ValidationIssue extends FieldIssue {
  code: FieldIssueCode;
  /** `name`, `baseUrl`, `apiKey`, `assistantId`, `runTimeoutMs`, or `customHeaders.<row>.name|value`. */
  field: string;
  severity: IssueSeverity;
}

export interface ProviderValidation {
  /** True when nothing blocks saving. */
  ok: boolean;
  issues: ValidationIssue[];
  /** Blocking issues by field (first one per field), as carried by AppError.fields. */
  errors: Record<string, FieldIssue>;
  /** The base URL as it will be saved (or '' when it is invalid). */
  normalizedBaseUrl: string;
}

export interface ValidationContext {
  /** True when the provider already has a key stored (so `keep` keeps a key). */
  hasStoredKey: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Base URL

/** Endpoint paths people paste by mistake; removed so requests go to `{base}/chat/completions` once. */
const ENDPOINT_SUFFIXES = ['/chat/completions', '/completions', '/responses', '/models'];
const VERSION_SEGMENT = /^v\d+(?:(?:alpha|beta)\d*)?$/i;
const PLACEHOLDERS = ['YOUR-RESOURCE', 'YOUR_RESOURCE', '<resource>', '{resource}'];

export interface BaseUrlCheck {
  /** The normalised URL, or null when it cannot be used. */
  normalized: string | null;
  issues: ValidationIssue[];
}

function baseUrlIssue(
  code: FieldIssueCode,
  severity: IssueSeverity,
  message: string,
  params?: Record<string, string | number>,
): ValidationIssue {
  return { field: 'baseUrl', code, severity, message, ...(params ? { params } : {}) };
}

/** True for hosts that never leave this machine, where plain http is normal (Ollama, LM Studio, vLLM). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === '0:0:0:0:0:0:0:1'
  );
}

/** Parses and normalises a base URL; `null` in `normalized` means it cannot be used. */
export function normalizeBaseUrl(input: string): BaseUrlCheck {
  const raw = input.trim();
  if (raw === '') {
    return { normalized: null, issues: [baseUrlIssue('BASE_URL_REQUIRED', 'error', 'API Base URL is required.')] };
  }
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (!schemeMatch) {
    // "localhost:11434/v1" or "api.example.com/v1": say what is missing and offer the fixed URL.
    const hostPart = raw.split(/[/?#]/)[0] ?? '';
    const hostname = hostPart.replace(/:\d+$/, '');
    const looksLikeHost = /^[a-z0-9.-]+(?::\d+)?$/i.test(hostPart) || /^\[[0-9a-f:]+\](?::\d+)?$/i.test(hostPart);
    const suggestion = looksLikeHost ? `${isLoopbackHost(hostname) ? 'http' : 'https'}://${raw}` : '';
    return {
      normalized: null,
      issues: [
        baseUrlIssue(
          'BASE_URL_INVALID',
          'error',
          suggestion
            ? `Enter a full URL starting with http:// or https://, for example ${suggestion}.`
            : 'Enter a full URL starting with http:// or https://, for example https://api.example.com/v1.',
          { suggestion },
        ),
      ],
    };
  }
  const scheme = (schemeMatch[1] ?? '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return {
      normalized: null,
      issues: [
        baseUrlIssue('BASE_URL_SCHEME', 'error', `The API Base URL must start with http:// or https://, not ${scheme}://.`, {
          scheme,
        }),
      ],
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      normalized: null,
      issues: [
        baseUrlIssue('BASE_URL_INVALID', 'error', 'This is not a valid URL. Check it for typos and spaces.', {
          suggestion: '',
        }),
      ],
    };
  }
  if (!url.hostname) {
    return {
      normalized: null,
      issues: [baseUrlIssue('BASE_URL_INVALID', 'error', 'The URL has no host name.', { suggestion: '' })],
    };
  }
  if (url.username || url.password) {
    return {
      normalized: null,
      issues: [
        baseUrlIssue(
          'BASE_URL_CREDENTIALS',
          'error',
          'Do not put a user name or password in the URL: use the API Key field or a custom header, which are kept in the keychain.',
        ),
      ],
    };
  }
  const decoded = decodeURIComponent(`${url.hostname}${url.pathname}`);
  const placeholder = PLACEHOLDERS.find((p) => decoded.toLowerCase().includes(p.toLowerCase()));
  if (placeholder) {
    return {
      normalized: null,
      issues: [
        baseUrlIssue(
          'BASE_URL_PLACEHOLDER',
          'error',
          `Replace ${placeholder} in the URL with the name of your resource.`,
          { placeholder },
        ),
      ],
    };
  }

  const issues: ValidationIssue[] = [];
  let pathname = url.pathname.replace(/\/+$/, '');
  let removed = '';
  for (const suffix of ENDPOINT_SUFFIXES) {
    if (pathname.toLowerCase().endsWith(suffix)) {
      removed = pathname.slice(pathname.length - suffix.length);
      pathname = pathname.slice(0, pathname.length - suffix.length).replace(/\/+$/, '');
      break;
    }
  }
  const normalized = `${url.protocol}//${url.host}${pathname}${url.search}`;
  if (removed) {
    issues.push(
      baseUrlIssue(
        'BASE_URL_NORMALIZED',
        'hint',
        `“${removed}” was removed: the base URL ends before the endpoint, so it will be saved as ${normalized}.`,
        { removed, normalized },
      ),
    );
  }
  const v1 = suggestVersionFix(normalized);
  if (v1?.kind === 'missing') {
    issues.push(
      baseUrlIssue(
        'BASE_URL_MISSING_V1',
        'hint',
        `Most OpenAI-style servers expect the base URL to end in /v1. If Test Connection fails, try ${v1.suggestion}.`,
        { suggestion: v1.suggestion },
      ),
    );
  } else if (v1?.kind === 'double') {
    issues.push(
      baseUrlIssue('BASE_URL_DOUBLE_V1', 'warning', `The URL contains /v1 twice. Did you mean ${v1.suggestion}?`, {
        suggestion: v1.suggestion,
      }),
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    issues.push(
      baseUrlIssue(
        'BASE_URL_INSECURE',
        'warning',
        `This connection to ${url.hostname} is not encrypted: your API key and messages would travel in clear text. Use https:// unless the server is on a network you trust.`,
        { host: url.hostname },
      ),
    );
  }
  return { normalized, issues };
}

/**
 * The likely fix for a base URL that 404s: add a missing `/v1`, or collapse a doubled one. Null when the
 * path already has exactly one version segment (or the URL cannot be parsed).
 */
export function suggestVersionFix(baseUrl: string): { kind: 'missing' | 'double'; suggestion: string } | null {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const doubled = /\/(v\d+)\/\1(?=\/|$)/i;
  const path = url.pathname.replace(/\/+$/, '');
  if (doubled.test(path)) {
    return { kind: 'double', suggestion: `${url.protocol}//${url.host}${path.replace(doubled, '/$1')}${url.search}` };
  }
  if (segments.some((s) => VERSION_SEGMENT.test(s))) return null;
  return { kind: 'missing', suggestion: `${url.protocol}//${url.host}${path}/v1${url.search}` };
}

/** The base URL a provider of this type uses: `openai` always talks to api.openai.com. */
export function effectiveBaseUrlInput(type: ProviderType, baseUrl: string): string {
  if (type === 'openai') return DEFAULT_BASE_URL;
  if ((type === 'openai-assistant' || type === 'openai-responses') && baseUrl.trim() === '') return DEFAULT_BASE_URL;
  return baseUrl;
}

/** Types that talk to gateways needing their own headers (Azure `api-key`, LiteLLM, Cloudflare AI Gateway). */
export function supportsCustomHeaders(type: ProviderType): boolean {
  return type === 'openai-compatible' || type === 'openai-responses';
}

// ---------------------------------------------------------------------------------------------------------
// API key

/** Keys are sent in a header: line breaks or control characters inside them can never work. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Outer whitespace (a trailing newline from copying) is never part of a key. */
export function normalizeApiKey(value: string): string {
  return value.trim();
}

export function looksUnusualForOpenAI(key: string): boolean {
  return !key.startsWith('sk-') || key.length < 20 || /\s/.test(key);
}

// ---------------------------------------------------------------------------------------------------------
// Custom headers

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers the HTTP stack owns; setting them breaks requests in ways the user cannot see. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'accept-encoding',
]);

/**
 * Header names whose values are credentials (Azure `api-key`, `cf-aig-authorization`, `x-api-key`, cookies,
 * tokens): such values are kept in the keychain like the API key and only shown masked.
 */
export function isSecretHeaderName(name: string): boolean {
  return /auth|key|token|secret|cookie|password|credential|session|signature/i.test(name);
}

function validateHeaders(headers: readonly CustomHeader[], hasKey: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  headers.forEach((header, row) => {
    const name = header.name.trim();
    const nameField = `customHeaders.${row}.name`;
    const valueField = `customHeaders.${row}.value`;
    if (name === '') {
      if (header.value !== '') {
        issues.push({
          field: nameField,
          code: 'HEADER_NAME_REQUIRED',
          severity: 'error',
          message: 'Enter a header name, or remove this row.',
        });
      }
      return;
    }
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      issues.push({
        field: nameField,
        code: 'HEADER_NAME_INVALID',
        severity: 'error',
        message: "Header names may contain only letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ (no spaces, colons or line breaks).",
        params: { name },
      });
    } else if (RESERVED_HEADERS.has(lower)) {
      issues.push({
        field: nameField,
        code: 'HEADER_NAME_RESERVED',
        severity: 'error',
        message: `${name} is set by Switchboard itself and cannot be overridden.`,
        params: { name },
      });
    } else if (seen.has(lower)) {
      issues.push({
        field: nameField,
        code: 'HEADER_DUPLICATE',
        severity: 'error',
        message: `The header ${name} is listed more than once.`,
        params: { name },
      });
    } else if (lower === 'authorization' && hasKey) {
      issues.push({
        field: nameField,
        code: 'HEADER_AUTHORIZATION_CONFLICT',
        severity: 'error',
        message:
          'Authorization is already sent from the API key. To send your own Authorization header, clear the API key.',
      });
    }
    seen.add(lower);
    if (CONTROL_CHARS.test(header.value.replace(/\t/g, ''))) {
      issues.push({
        field: valueField,
        code: 'HEADER_VALUE_INVALID',
        severity: 'error',
        message: `The value of ${name} contains line breaks or control characters, which cannot be sent.`,
        params: { name },
      });
    }
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------------------
// Assistant run timeout

/**
 * The run timeout an Assistant provider may have, in minutes: a run is cancelled on the server after it, so
 * less than a minute cuts off ordinary tool runs, and more than an hour leaves a stuck run (and its cost)
 * going for longer than anyone waits at a chat window.
 */
export const RUN_TIMEOUT_MINUTES = { min: 1, max: 60 } as const;

/** `runTimeoutMs` of a draft: absent keeps the saved value (or the default); NaN is text that is not a number. */
function validateRunTimeout(runTimeoutMs: number | undefined): ValidationIssue[] {
  if (runTimeoutMs === undefined) return [];
  const params = { min: RUN_TIMEOUT_MINUTES.min, max: RUN_TIMEOUT_MINUTES.max };
  if (!Number.isFinite(runTimeoutMs)) {
    return [
      {
        field: 'runTimeoutMs',
        code: 'RUN_TIMEOUT_INVALID',
        severity: 'error',
        message: `Enter the run timeout as a number of minutes, from ${params.min} to ${params.max}.`,
        params,
      },
    ];
  }
  if (runTimeoutMs < RUN_TIMEOUT_MINUTES.min * 60_000 || runTimeoutMs > RUN_TIMEOUT_MINUTES.max * 60_000) {
    return [
      {
        field: 'runTimeoutMs',
        code: 'RUN_TIMEOUT_RANGE',
        severity: 'error',
        message: `The run timeout must be from ${params.min} to ${params.max} minutes.`,
        params,
      },
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------
// The whole draft

/** True when the draft, once saved, would have a key (a new one, or the stored one kept). */
export function draftHasKey(draft: Pick<ProviderDraft, 'apiKey' | 'keys'>, ctx: ValidationContext): boolean {
  // A key pool: any key kept or set counts (empty ones are refused by validateKeyDrafts).
  if (draft.keys !== undefined) return draft.keys.some((k) => (k.value !== undefined ? normalizeApiKey(k.value) !== '' : k.id !== undefined));
  if (draft.apiKey.action === 'set') return normalizeApiKey(draft.apiKey.value) !== '';
  if (draft.apiKey.action === 'keep') return ctx.hasStoredKey;
  return false;
}

export function validateProviderDraft(draft: ProviderDraft, ctx: ValidationContext): ProviderValidation {
  const issues: ValidationIssue[] = [];

  if (draft.name.trim() === '') {
    issues.push({ field: 'name', code: 'NAME_REQUIRED', severity: 'error', message: 'Name is required.' });
  }

  const base = normalizeBaseUrl(effectiveBaseUrlInput(draft.type, draft.baseUrl));
  issues.push(...base.issues);

  const hasKey = draftHasKey(draft, ctx);
  if (draft.apiKey.action === 'set' && CONTROL_CHARS.test(normalizeApiKey(draft.apiKey.value))) {
    issues.push({
      field: 'apiKey',
      code: 'API_KEY_INVALID_CHARS',
      severity: 'error',
      message: 'The API key contains line breaks or control characters. Paste it again without them.',
    });
  }
  if (draft.type === 'openai') {
    if (!hasKey) {
      issues.push({ field: 'apiKey', code: 'API_KEY_REQUIRED', severity: 'error', message: 'API Key is required.' });
    } else if (draft.apiKey.action === 'set' && looksUnusualForOpenAI(normalizeApiKey(draft.apiKey.value))) {
      issues.push({
        field: 'apiKey',
        code: 'API_KEY_UNUSUAL',
        severity: 'hint',
        message: 'This does not look like an OpenAI API key (they usually start with “sk-”). It will be saved as entered.',
      });
    }
  }

  if (draft.type === 'openai-assistant') {
    const assistantId = draft.assistantId.trim();
    if (assistantId === '') {
      issues.push({
        field: 'assistantId',
        code: 'ASSISTANT_ID_REQUIRED',
        severity: 'error',
        message: 'OpenAI Assistant ID is required',
      });
    } else if (!assistantId.startsWith('asst_')) {
      issues.push({
        field: 'assistantId',
        code: 'ASSISTANT_ID_FORMAT',
        severity: 'hint',
        message: 'OpenAI Assistant IDs start with “asst_”. Other servers may use other formats, so it will be saved as entered.',
      });
    }
    issues.push(...validateRunTimeout(draft.runTimeoutMs));
  }

  if (supportsCustomHeaders(draft.type)) issues.push(...validateHeaders(draft.customHeaders, hasKey));

  const errors: Record<string, FieldIssue> = {};
  for (const issue of issues) {
    if (issue.severity !== 'error' || errors[issue.field]) continue;
    errors[issue.field] = { code: issue.code, message: issue.message, ...(issue.params ? { params: issue.params } : {}) };
  }
  return {
    ok: Object.keys(errors).length === 0,
    issues,
    errors,
    normalizedBaseUrl: base.normalized ?? '',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Masking

/** The placeholder shown for a stored secret: `…` plus the last 4 characters when the secret is long
 * enough that those do not give most of it away. */
export function maskSecret(secret: string): string {
  return secret.length >= 8 ? `…${secret.slice(-4)}` : '…';
}
