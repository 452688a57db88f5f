/**
 * Test Connection for `openai` and `openai-compatible` providers: `GET {base}/models`. When a gateway has
 * no `/models` (404/405) and a model is set, a 1-token completion proves the rest works, so the test does
 * not fail only because of that. Every wait is bounded: the SDK's timer covers connect + headers, and
 * reading the body has its own limit.
 */
import type OpenAI from 'openai';
import type { ConnectionTestResult, ConnectionWarning } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import { mapProviderError, notOpenAIJson } from '../errors/request-failure';
import type { ConnectionTarget, ConnectionTestDeps } from '../provider-kind';
import { clientFor, contextFor, fetchModelIds, isMissingEndpoint, modelNotListedWarning, modelsNotListedWarning, readJson } from '../wire/model-list';

async function completionCheck(client: OpenAI, target: ConnectionTarget, timeoutMs: number): Promise<void> {
  const ctx = contextFor(target, timeoutMs, 'chat');
  let response: Response;
  try {
    response = await client.chat.completions
      .create({ model: target.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false })
      .asResponse();
  } catch (error) {
    throw new AppFailure(mapProviderError(error, ctx));
  }
  const body = await readJson(response, timeoutMs, ctx);
  const choices = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).choices : undefined;
  if (!Array.isArray(choices)) throw new AppFailure(notOpenAIJson(target.baseUrl, 'chat completion'));
}

export async function testChatConnection(target: ConnectionTarget, deps: ConnectionTestDeps): Promise<ConnectionTestResult> {
  const { client, timeoutMs } = clientFor(target, deps);
  try {
    const models = await fetchModelIds(client, target, timeoutMs);
    const warnings: ConnectionWarning[] = [];
    if (target.model && models.length > 0 && !models.includes(target.model)) warnings.push(modelNotListedWarning(target.model));
    return {
      message:
        models.length === 0
          ? 'Connected, but the server lists no models. Enter the model name by hand.'
          : `Connected. ${models.length} ${models.length === 1 ? 'model' : 'models'} available.`,
      modelCount: models.length,
      models,
      method: 'models',
      warnings,
    };
  } catch (error) {
    if (!isMissingEndpoint(error)) throw error;
    const status = error.appError.params?.status ?? 404;
    if (!target.model) {
      const appError = error.appError;
      throw new AppFailure({
        ...appError,
        hint:
          appError.hint ??
          'If this server does not list models, enter the Model and test again: Switchboard then tries a 1-token completion instead.',
        params: { ...appError.params, ...(appError.hint ? {} : { context: 'models_missing' }) },
      });
    }
    try {
      await completionCheck(client, target, timeoutMs);
    } catch (fallbackError) {
      // Both endpoints missing: the base URL is wrong, and the first error (with its /v1 hint) says so.
      if (isMissingEndpoint(fallbackError)) throw error;
      throw fallbackError;
    }
    return {
      message: `Connected. A 1-token test completion with “${target.model}” worked.`,
      method: 'completion',
      warnings: [modelsNotListedWarning(status)],
    };
  }
}
