/** What a 404 means: a wrong base URL, or a server without the Responses (or Conversations) API. */
import type OpenAI from 'openai';
import type { AppError } from '../../../../shared/result';
import { mapProviderError, type ErrorContext } from '../errors/request-failure';
import { responsesApiUnavailable, statusOf } from './responses-errors';

function isMissingRoute(status: number | null): boolean {
  return status === 404 || status === 405 || status === 410 || status === 501;
}

/** Whether the route `probe` asks exists: any answer but "no such route" says yes; null when none came. */
async function routeServed(probe: () => Promise<unknown>): Promise<boolean | null> {
  try {
    await probe();
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === null) return null;
    return !isMissingRoute(status);
  }
}

/** Is `/responses` routed here at all? An empty request costs nothing: a server with the API answers 400. */
export function responsesServed(client: OpenAI, signal?: AbortSignal): Promise<boolean | null> {
  return routeServed(() => client.post('/responses', { body: {}, ...(signal ? { signal } : {}) }));
}

/** Does `/models` answer? Tells "no Responses API here" from "this base URL is wrong". */
function modelsServed(client: OpenAI, signal?: AbortSignal): Promise<boolean | null> {
  return routeServed(() => client.models.list(signal ? { signal } : {}));
}

/**
 * Maps a failure to an AppError; a "no such path" answer is probed: when `/models` answers, the server is
 * fine but has no Responses API (or, for a Conversations request, no Conversations API).
 */
export async function responsesFailure(
  error: unknown,
  client: OpenAI,
  ctx: ErrorContext,
  api: 'responses' | 'conversations',
  signal?: AbortSignal,
): Promise<AppError> {
  const mapped = mapProviderError(error, ctx);
  if (mapped.code !== 'NOT_FOUND_PATH') return mapped;
  const status = typeof mapped.params?.status === 'number' ? mapped.params.status : 404;
  const baseUrl = ctx.baseUrl ?? '';
  if (api === 'conversations' && (await responsesServed(client, signal)) === true) return responsesApiUnavailable(baseUrl, status, 'conversations');
  if ((await modelsServed(client, signal)) === true) return responsesApiUnavailable(baseUrl, status);
  return mapped;
}
