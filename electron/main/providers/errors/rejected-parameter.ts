/**
 * A 400 (or FastAPI's 422) that names one request parameter the server or model refuses, in the words of
 * OpenAI, vLLM, LiteLLM or Ollama (see shared/COMPAT.md). Only a parameter we sent from the conversation's
 * settings counts: the user can then send without it, and that is remembered for the provider and model.
 */
import { APIError } from 'openai';
import { appError, type AppError } from '../../../../shared/result';

const PATTERNS: readonly RegExp[] = [
  // OpenAI: "Unsupported parameter: 'max_tokens' is not supported …", "Unsupported value: 'temperature' does not support …"
  /Unsupported (?:parameter|value): '([\w.]+)'/i,
  // OpenAI's older wording, vLLM, many compatible servers
  /Unrecognized request argument supplied: ([\w.]+)/i,
  // vLLM / FastAPI validation errors, Python or JSON quoting
  /['"]loc['"]:\s*[([]\s*['"]body['"],\s*['"]([\w.]+)['"]/,
  // newer pydantic wording: "1 validation error for ChatCompletionRequest\nseed\n  Extra inputs are not permitted"
  /validation error for \w+\s+([\w.]+)\s+Extra inputs are not permitted/,
  // LiteLLM: "does not support parameters: ['seed']" or "{'seed': 42}"
  /does not support parameters:\s*[[{]\s*['"]([\w.]+)['"]/i,
  // LiteLLM for reasoning models: "gpt-5-nano doesn't support temperature=0.1 while reasoning is active"
  /doesn't support ([\w.]+)=/i,
  // Ollama (Go's JSON decoder): "… into Go struct field ChatCompletionRequest.seed of type …"
  /Go struct field \w+\.([\w.]+) of type/,
];

function bodyText(error: APIError): string {
  const parts = [error.message];
  try {
    if (error.error !== undefined) parts.push(JSON.stringify(error.error));
  } catch {
    // a body that cannot be stringified adds nothing
  }
  return parts.join('\n');
}

/** A failed request as our own clients report it (the Assistants client): its status and body text. */
interface HttpFailure {
  status: number;
  bodyText: string;
}

function isHttpFailure(error: unknown): error is HttpFailure {
  const e = error as Partial<HttpFailure> | null;
  return typeof e === 'object' && e !== null && typeof e.status === 'number' && typeof e.bodyText === 'string';
}

function errorFields(bodyText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    const error = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The refused parameter, when the error (the SDK's APIError or an HttpFailure) names one of `sent`; null for any other failure. */
export function rejectedParameter(error: unknown, sent: ReadonlySet<string>): string | null {
  let status: number | undefined;
  let body: Record<string, unknown>;
  let text: string;
  if (error instanceof APIError) {
    status = error.status;
    body = (typeof error.error === 'object' && error.error !== null ? error.error : {}) as Record<string, unknown>;
    text = bodyText(error);
  } else if (isHttpFailure(error)) {
    status = error.status;
    body = errorFields(error.bodyText);
    text = error.bodyText;
  } else {
    return null;
  }
  if (status !== 400 && status !== 422) return null;
  const param = typeof body.param === 'string' ? body.param : null;
  if (param && sent.has(param)) return param;
  for (const pattern of PATTERNS) {
    const name = pattern.exec(text)?.[1];
    if (name && sent.has(name)) return name;
  }
  // A bare mention is enough when the server's sentence is about an unknown or unsupported field.
  if (/unsupported|unrecognized|not supported|not permitted|unknown (?:field|parameter)/i.test(text)) {
    for (const name of sent) if (new RegExp(`['"\`.\\s]${name.replace('.', '\\.')}['"\`\\s,:]`).test(text)) return name;
  }
  return null;
}

/** One sentence naming the parameter, with the way out ("Send without it"). */
export function parameterRejectedError(parameter: string, model: string): AppError {
  return appError('PARAMETER_REJECTED', `The server refused the parameter “${parameter}”${model ? ` for ${model}` : ''}.`, {
    hint: 'Send without it: Switchboard then leaves it out for this provider and model.',
    params: { parameter, model },
  });
}
