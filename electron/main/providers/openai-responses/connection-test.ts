/**
 * Test Connection for an OpenAI Responses provider:
 * 1. `GET {base}/models` for the model list (a gateway without it only earns a warning, as for chat);
 * 2. `/responses` is served: with a Model set, a short test response (`store: false`, 16 output tokens, the
 *    smallest the API accepts) proves the model answers there; without one, an empty request tells whether
 *    the route exists at all (a server with the API answers 400, which costs nothing);
 * 3. with "Server keeps the conversation", the Conversations API is served: a conversation object is
 *    created and deleted again, so a stateless gateway is caught here instead of at the first message.
 * Every failure is one AppError (errors/, plus the 404 probes of route-probes.ts) thrown as an
 * AppFailure; every wait is bounded.
 */
import type OpenAI from 'openai';
import type { ConnectionTestResult, ConnectionWarning, ConversationStateMode } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import { isSecretHeaderName } from '../../../../shared/validation/provider-validation';
import { mapProviderError, notOpenAIApi, notOpenAIJson, type ErrorContext } from '../errors/request-failure';
import type { ConnectionTarget, ConnectionTestDeps } from '../provider-kind';
import { listModels, modelNotListedWarning, modelsNotListedWarning } from '../wire/model-list';
import { createOpenAIClient, DEFAULT_CONNECT_TIMEOUT_MS } from '../wire/openai-client';
import { responsesApiUnavailable } from './responses-errors';
import { responsesFailure, responsesServed } from './route-probes';

/** The smallest `max_output_tokens` the Responses API accepts. */
const PROBE_OUTPUT_TOKENS = 16;
/** A test response may take a few times the connect bound (a local server loading the model). */
const PROBE_BODY_FACTOR = 3;

function contextFor(target: ConnectionTarget, timeoutMs: number): ErrorContext {
  const secrets = [target.apiKey ?? '', ...target.customHeaders.filter((h) => isSecretHeaderName(h.name)).map((h) => h.value)].filter(
    (s) => s.length >= 4,
  );
  return { baseUrl: target.baseUrl, timeoutMs, operation: 'chat', secrets, ...(target.model ? { model: target.model } : {}) };
}

function notAResponse(target: ConnectionTarget): AppFailure {
  return new AppFailure(notOpenAIJson(target.baseUrl, 'response'));
}

/** The model list, or why a gateway has none (`/models` not found); anything else is thrown. */
async function modelList(target: ConnectionTarget, deps: ConnectionTestDeps): Promise<{ models: string[] } | { missing: AppFailure; missingStatus: number }> {
  try {
    return { models: await listModels(target, deps) };
  } catch (error) {
    if (error instanceof AppFailure && error.appError.code === 'NOT_FOUND_PATH') {
      const status = error.appError.params?.status;
      return { missing: error, missingStatus: typeof status === 'number' ? status : 404 };
    }
    throw error;
  }
}

async function probeResponse(client: OpenAI, target: ConnectionTarget, ctx: ErrorContext, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await client.responses
      .create(
        { model: target.model, input: 'ping', max_output_tokens: PROBE_OUTPUT_TOKENS, store: false },
        // One bound for the answer and its body: a server that sends headers and then stalls is a timeout.
        { signal: AbortSignal.timeout(timeoutMs * PROBE_BODY_FACTOR) },
      )
      .asResponse();
  } catch (error) {
    throw new AppFailure(await responsesFailure(error, client, ctx, 'responses'));
  }
  const contentType = response.headers.get('content-type');
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new AppFailure(mapProviderError(error, ctx));
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new AppFailure(notOpenAIApi(contentType, text, ctx));
  }
  // `incomplete` (16 tokens were not enough for a reasoning model) still proves the route and the model.
  if (typeof body !== 'object' || body === null || (body as { object?: unknown }).object !== 'response') throw notAResponse(target);
}

async function probeConversations(client: OpenAI, ctx: ErrorContext): Promise<void> {
  let id: string;
  try {
    id = (await client.conversations.create({ metadata: { purpose: 'switchboard-connection-test' } })).id;
  } catch (error) {
    throw new AppFailure(await responsesFailure(error, client, ctx, 'conversations'));
  }
  // Leave nothing behind; a failure here changes nothing about what the test learned.
  await client.conversations.delete(id).catch(() => undefined);
}

export async function testResponsesConnection(
  target: ConnectionTarget,
  deps: ConnectionTestDeps,
  conversationState: ConversationStateMode,
): Promise<ConnectionTestResult> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = createOpenAIClient(target, { fetch: deps.fetch, timeoutMs });
  const ctx = contextFor(target, timeoutMs);
  const warnings: ConnectionWarning[] = [];

  const list = await modelList(target, deps);
  if ('missingStatus' in list) {
    warnings.push(modelsNotListedWarning(list.missingStatus));
  } else if (target.model && list.models.length > 0 && !list.models.includes(target.model)) {
    warnings.push(modelNotListedWarning(target.model));
  }

  if (target.model) {
    await probeResponse(client, target, ctx, timeoutMs);
  } else {
    const served = await responsesServed(client);
    if (served === false) {
      // With /models missing as well, the base URL itself is wrong: say that (with its /v1 hint).
      if ('missing' in list) throw list.missing;
      throw new AppFailure(responsesApiUnavailable(target.baseUrl, 404));
    }
    warnings.push({ code: 'RESPONSES_NOT_PROBED', message: 'Choose a Model and test again to also send a short test response.' });
  }

  if (conversationState === 'server') await probeConversations(client, ctx);

  const models = 'models' in list ? list.models : undefined;
  return {
    message: target.model
      ? `Connected. “${target.model}” answered through the Responses API.`
      : models
        ? `Connected. ${models.length} ${models.length === 1 ? 'model' : 'models'} available.`
        : 'Connected to the Responses API.',
    method: target.model ? 'responses' : 'models',
    ...(models ? { models, modelCount: models.length } : {}),
    ...(target.model ? { responses: { model: target.model } } : {}),
    warnings,
  };
}
