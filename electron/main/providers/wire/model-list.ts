/**
 * The model list every OpenAI-style server answers at `GET {base}/models`, read with a deadline and a size
 * cap, and the warnings a connection test gives about it. Every failure is one AppError from the error
 * mapper, thrown as an AppFailure.
 */
import type OpenAI from 'openai';
import type { ConnectionWarning } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import { isSecretHeaderName } from '../../../../shared/validation/provider-validation';
import { mapProviderError, notOpenAIApi, notOpenAIJson, type ErrorContext } from '../errors/request-failure';
import type { ConnectionTarget, ConnectionTestDeps } from '../provider-kind';
import { createOpenAIClient, DEFAULT_CONNECT_TIMEOUT_MS } from './openai-client';

/** Bodies larger than this are not a model list we need (OpenRouter's full list is ~1 MB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function contextFor(target: ConnectionTarget, timeoutMs: number, operation: ErrorContext['operation']): ErrorContext {
  const secrets = [
    target.apiKey ?? '',
    ...target.customHeaders.filter((h) => isSecretHeaderName(h.name)).map((h) => h.value),
  ].filter((s) => s.length >= 4);
  return {
    baseUrl: target.baseUrl,
    timeoutMs,
    operation,
    secrets,
    ...(target.model ? { model: target.model } : {}),
    ...(target.assistantId ? { assistantId: target.assistantId } : {}),
  };
}

/** Reads a body with a deadline and a size cap; a server that sends headers and then stalls is a timeout. */
async function readBody(response: Response, timeoutMs: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error('Timed out reading the response body'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
      reject(error);
    }, timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) break;
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body, or explains that this is not an OpenAI-style API; every failure is an AppFailure. */
export async function readJson(response: Response, timeoutMs: number, ctx: ErrorContext): Promise<unknown> {
  const contentType = response.headers.get('content-type');
  let text: string;
  try {
    text = await readBody(response, timeoutMs);
  } catch (error) {
    throw new AppFailure(mapProviderError(error, ctx));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppFailure(notOpenAIApi(contentType, text, ctx));
  }
}

function notAModelList(ctx: ErrorContext): AppFailure {
  return new AppFailure(notOpenAIJson(ctx.baseUrl, 'model list'));
}

/** Model ids from the list shapes seen in the wild: OpenAI `{data: [{id}]}`, `{models: [...]}`, `[...]`. */
export function modelIdsFrom(body: unknown): string[] | null {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null
      ? ((body as Record<string, unknown>).data ?? (body as Record<string, unknown>).models)
      : undefined;
  if (!Array.isArray(list)) return null;
  const ids = list
    .map((item) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'object' && item !== null) {
        const o = item as Record<string, unknown>;
        if (typeof o.id === 'string') return o.id;
        if (typeof o.name === 'string') return o.name;
        if (typeof o.model === 'string') return o.model;
      }
      return null;
    })
    .filter((id): id is string => id !== null && id.trim() !== '');
  return [...new Set(ids)].sort((a, b) => a.localeCompare(b));
}

export function clientFor(target: ConnectionTarget, deps: ConnectionTestDeps): { client: OpenAI; timeoutMs: number } {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return { client: createOpenAIClient(target, { fetch: deps.fetch, timeoutMs }), timeoutMs };
}

export async function fetchModelIds(client: OpenAI, target: ConnectionTarget, timeoutMs: number): Promise<string[]> {
  const ctx = contextFor(target, timeoutMs, 'models');
  let response: Response;
  try {
    response = await client.models.list().asResponse();
  } catch (error) {
    throw new AppFailure(mapProviderError(error, ctx));
  }
  const body = await readJson(response, timeoutMs, ctx);
  const ids = modelIdsFrom(body);
  if (ids === null) throw notAModelList(ctx);
  return ids;
}

/** `GET {base}/models` for the Model field's list. */
export async function listModels(target: ConnectionTarget, deps: ConnectionTestDeps): Promise<string[]> {
  const { client, timeoutMs } = clientFor(target, deps);
  return fetchModelIds(client, target, timeoutMs);
}

export function modelNotListedWarning(model: string): ConnectionWarning {
  return {
    code: 'MODEL_NOT_LISTED',
    message: `The model “${model}” is not in this server’s list; check its spelling if chats fail.`,
    params: { model },
  };
}

/** `status`: what `GET /models` answered (404, 405 …). */
export function modelsNotListedWarning(status: number | string): ConnectionWarning {
  return {
    code: 'MODELS_NOT_LISTED',
    message: `This server does not list its models (GET /models answered HTTP ${status}), so the Model list cannot be filled; type the model name.`,
    params: { status },
  };
}

export function isMissingEndpoint(error: unknown): error is AppFailure {
  return error instanceof AppFailure && error.appError.code === 'NOT_FOUND_PATH';
}
