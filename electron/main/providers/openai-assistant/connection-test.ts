import type { ConnectionTestResult } from '../../../../shared/models/provider';
import { AppFailure } from '../../../../shared/result';
import { notOpenAIJson } from '../errors/request-failure';
import type { HttpDeps } from '../provider-kind';
import { missingAssistantIdError, toAppError } from './assistant-errors';
import { AssistantsClient, type AssistantEndpoint } from './assistants-client';

/**
 * Test Connection for an Assistant provider, the one implementation (the Settings form's test and a saved
 * provider's): retrieves the assistant and reports its name and model. A failure says
 * precisely which of these it is: no such assistant, a server without the Assistants API (OpenAI retired
 * it on 2026-08-26), a base URL where no OpenAI-style API lives (with the /v1 hint), or any other
 * network or HTTP failure. Every request is bounded by `deps.connectTimeoutMs`.
 */
export async function testAssistantConnection(
  endpoint: AssistantEndpoint,
  deps: HttpDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<ConnectionTestResult> {
  const assistantId = endpoint.assistantId.trim();
  if (!assistantId) throw new AppFailure(missingAssistantIdError());
  const target = { ...endpoint, assistantId };
  const client = new AssistantsClient(target, deps);
  let data: unknown;
  try {
    ({ data } = await client.json<unknown>('GET', `/assistants/${encodeURIComponent(assistantId)}`, undefined, signal));
  } catch (error) {
    throw new AppFailure(await toAppError(error, client, target, deps.connectTimeoutMs, signal, 'assistant'));
  }
  const o = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null;
  if (!o || typeof o.id !== 'string') throw new AppFailure(notOpenAIJson(endpoint.baseUrl, 'assistant'));
  const name = typeof o.name === 'string' && o.name.trim() !== '' ? o.name : null;
  const model = typeof o.model === 'string' ? o.model : '';
  return {
    message: `Connected to the assistant ${name ? `“${name}”` : o.id}${model ? ` (${model})` : ''}.`,
    assistant: { id: o.id, name, model },
    method: 'assistant',
    warnings: [],
  };
}
