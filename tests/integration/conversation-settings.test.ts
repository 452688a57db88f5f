/**
 * A conversation's system prompt and parameters, set through `conversations:setSettings` and sent by the
 * real services to the local test server: each field arrives as the official spec names it, per API (the
 * server validates every request against the OpenAPI spec), and out-of-range values are refused by main.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationSettings } from '../../shared/models/generation-settings';
import type { ProviderConfig } from '../../shared/models/provider';
import { AssistantsApi } from '../fixtures/openai-server/assistants';
import { assistantsRoutes } from '../fixtures/openai-server/assistants-routes';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index';
import type { RefusingServer } from '../fixtures/openai-server/refused-parameters';
import { ResponsesApi } from '../fixtures/openai-server/responses';
import { responsesRoutes } from '../fixtures/openai-server/responses-routes';
import { expectWithinSpecThenReset } from '../support/api-fixture-checks';
import { errorOf, startRig, type Rig } from '../support/chat-rig';
import * as turns from '../support/chat-turns';

const KEY = 'sk-conversation-settings-7788';

let server: OpenAIServer;
let responses: ResponsesApi;
let assistants: AssistantsApi;
let rig: Rig;

beforeAll(async () => {
  responses = new ResponsesApi();
  assistants = new AssistantsApi();
  server = await startOpenAIServer({ apiKey: KEY, routes: [responsesRoutes(responses), assistantsRoutes(assistants)] });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await rig.close();
  await expectWithinSpecThenReset(responses, server);
  await expectWithinSpecThenReset(assistants, server);
});

const everything: GenerationSettings = {
  systemPrompt: 'You are terse.',
  temperature: 0.4,
  topP: 0.8,
  maxOutputTokens: 300,
  presencePenalty: 0.5,
  frequencyPenalty: -0.25,
  seed: 1234,
  stop: ['END', '###'],
  reasoningEffort: 'low',
};

async function conversationWith(provider: ProviderConfig, settings: GenerationSettings) {
  const conversation = await turns.newConversation(rig, provider);
  await rig.call('conversations:setSettings', { id: conversation.id, settings });
  return conversation;
}

const bodyOf = (routePath: string) => server.requestsTo(routePath, 'POST').at(-1)?.body as Record<string, unknown>;

describe('conversation settings reach each API under their spec names', () => {
  it('Chat Completions: system message first, max_tokens, every sampling field', async () => {
    rig = startRig();
    const provider = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: server.url, model: 'gpt-4o-mini' }, KEY);
    const c = await conversationWith(provider, everything);
    const reply = await turns.sendAndAwaitReply(rig, c.id, 'Hello');
    expect(reply.final.status).toBe('complete');
    const body = bodyOf('/chat/completions');
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello' },
    ]);
    expect(body).toMatchObject({
      temperature: 0.4,
      top_p: 0.8,
      max_tokens: 300,
      presence_penalty: 0.5,
      frequency_penalty: -0.25,
      seed: 1234,
      stop: ['END', '###'],
      reasoning_effort: 'low',
    });
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('Chat Completions with an OpenAI reasoning model: developer message and max_completion_tokens', async () => {
    rig = startRig();
    const provider = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: server.url, model: 'o3-mini' }, KEY);
    const c = await conversationWith(provider, { systemPrompt: 'Think.', maxOutputTokens: 900, reasoningEffort: 'high' });
    await turns.sendAndAwaitReply(rig, c.id, 'Why?');
    const body = bodyOf('/chat/completions');
    expect((body.messages as unknown[])[0]).toEqual({ role: 'developer', content: 'Think.' });
    expect(body.max_completion_tokens).toBe(900);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body.reasoning_effort).toBe('high');
  });

  it('empty settings send nothing, and the history limit keeps only the latest messages', async () => {
    rig = startRig();
    const provider = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: server.url, model: 'gpt-4o-mini' }, KEY);
    const c = await conversationWith(provider, { systemPrompt: '  ', stop: [], historyLimit: 'all' });
    await turns.sendAndAwaitReply(rig, c.id, 'one');
    expect(Object.keys(bodyOf('/chat/completions')).sort()).toEqual(['messages', 'model', 'stream', 'stream_options']);
    await turns.sendAndAwaitReply(rig, c.id, 'two');
    await rig.call('conversations:setSettings', { id: c.id, settings: { historyLimit: 3 } });
    await turns.sendAndAwaitReply(rig, c.id, 'three');
    expect((bodyOf('/chat/completions').messages as { content: string }[]).map((m) => m.content)).toEqual(['two', 'Echo: two', 'three']);
  });

  it('Responses: instructions (over the provider’s), max_output_tokens, reasoning.effort, temperature, top_p', async () => {
    rig = startRig();
    const provider = rig.addProvider(
      { type: 'openai-responses', name: 'Responses', baseUrl: server.url, model: 'gpt-4o-mini', instructions: 'Provider default.', conversationState: 'stateless' },
      KEY,
    );
    const c = await conversationWith(provider, everything);
    const reply = await turns.sendAndAwaitReply(rig, c.id, 'Hi');
    expect(reply.final.status).toBe('complete');
    const body = bodyOf('/responses');
    expect(body).toMatchObject({
      instructions: 'You are terse.',
      temperature: 0.4,
      top_p: 0.8,
      max_output_tokens: 300,
      reasoning: { effort: 'low' },
    });
    for (const chatOnly of ['seed', 'stop', 'presence_penalty', 'frequency_penalty', 'max_tokens']) expect(body).not.toHaveProperty(chatOnly);

    const plain = await turns.newConversation(rig, provider);
    await turns.sendAndAwaitReply(rig, plain.id, 'Hi');
    expect(bodyOf('/responses').instructions).toBe('Provider default.');
  });

  it('Assistants: additional_instructions, temperature, top_p and max_completion_tokens on the run', async () => {
    rig = startRig();
    const provider = rig.addProvider(
      { type: 'openai-assistant', name: 'Assistant', baseUrl: server.url, model: '', assistantId: assistants.createAssistant({ name: 'A', model: 'gpt-4o' }) },
      KEY,
    );
    const c = await conversationWith(provider, everything);
    const reply = await turns.sendAndAwaitReply(rig, c.id, 'Hi');
    expect(reply.final.status).toBe('complete');
    const runBody = server.requests.filter((r) => r.method === 'POST' && /\/runs$/.test(r.routePath ?? '')).at(-1)?.body as Record<string, unknown>;
    expect(runBody).toMatchObject({
      additional_instructions: 'You are terse.',
      temperature: 0.4,
      top_p: 0.8,
      max_completion_tokens: 300,
    });
    for (const other of ['seed', 'stop', 'instructions', 'max_tokens']) expect(runBody).not.toHaveProperty(other);
  });
});

describe('conversations:setSettings', () => {
  it('refuses out-of-range values in main and keeps what was saved; older conversations have no settings', async () => {
    rig = startRig();
    const provider = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: server.url, model: 'gpt-4o-mini' }, KEY);
    const c = await conversationWith(provider, { temperature: 1.2 });
    for (const settings of [{ temperature: 2.5 }, { topP: 1.1 }, { maxOutputTokens: -5 }, { seed: 0.5 }, { stop: ['a', 'b', 'c', 'd', 'e'] }]) {
      expect(errorOf(await rig.raw('conversations:setSettings', { id: c.id, settings })).code).toBe('INVALID_INPUT');
    }
    expect((await rig.call('conversations:get', { id: c.id })).settings).toEqual({ temperature: 1.2 });
    const fresh = await turns.newConversation(rig, provider);
    expect((await rig.call('conversations:get', { id: fresh.id })).settings).toBeUndefined();
    rig = await rig.restart();
    expect((await rig.call('conversations:get', { id: c.id })).settings).toEqual({ temperature: 1.2 });
  });
});

describe('a parameter the server refuses', () => {
  const styles = [
    { server: 'openai', name: 'max_tokens', settings: { maxOutputTokens: 64 } },
    { server: 'openai-unrecognized', name: 'seed', settings: { seed: 7 } },
    { server: 'vllm', name: 'seed', settings: { seed: 7 } },
    { server: 'litellm', name: 'presence_penalty', settings: { presencePenalty: 1 } },
    { server: 'ollama', name: 'stop', settings: { stop: ['x'] } },
  ] satisfies { server: RefusingServer; name: string; settings: GenerationSettings }[];

  for (const style of styles) {
    it(`${style.server}: one sentence naming "${style.name}", and "Send without it" is remembered for the provider and model`, async () => {
      rig = startRig();
      server.setBehavior({ refuseParameters: { names: [style.name], server: style.server } });
      const provider = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: server.url, model: 'gpt-4o-mini' }, KEY);
      const c = await conversationWith(provider, { ...style.settings, temperature: 0.5 });
      const refused = await turns.sendAndAwaitReply(rig, c.id, 'Hello');
      expect(refused.final.status).toBe('failed');
      expect(refused.final.error?.code).toBe('PARAMETER_REJECTED');
      expect(refused.final.error?.params?.parameter).toBe(style.name);
      expect(refused.final.error?.message).toContain(style.name);

      const again = await rig.call('chat:sendWithout', { conversationId: c.id, parameter: style.name });
      const reply = await rig.finished(again.streamId);
      expect(reply.final.status).toBe('complete');
      const body = bodyOf('/chat/completions');
      expect(body).not.toHaveProperty(style.name);
      expect(body.temperature).toBe(0.5);

      // Remembered across a restart, for this model only.
      rig = await rig.restart();
      const next = await turns.sendAndAwaitReply(rig, c.id, 'Later');
      expect(next.final.status).toBe('complete');
      await rig.call('conversations:setProvider', { id: c.id, providerId: provider.id, model: 'gpt-4o' });
      const other = await turns.sendAndAwaitReply(rig, c.id, 'Other model');
      expect(other.final.error?.code).toBe('PARAMETER_REJECTED');
    });
  }
});

describe('what was sent', () => {
  it('each reply records the settings in effect and the parameters left out', async () => {
    rig = startRig();
    server.setBehavior({ refuseParameters: { names: ['seed'], server: 'openai-unrecognized' } });
    const provider = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: server.url, model: 'gpt-4o-mini' }, KEY);
    const c = await conversationWith(provider, { systemPrompt: 'P', seed: 3 });
    await turns.sendAndAwaitReply(rig, c.id, 'one');
    const again = await rig.call('chat:sendWithout', { conversationId: c.id, parameter: 'seed' });
    await rig.finished(again.streamId);
    await rig.call('conversations:setSettings', { id: c.id, settings: { temperature: 1 } });
    await turns.sendAndAwaitReply(rig, c.id, 'two');
    rig = await rig.restart();
    const replies = (await rig.call('conversations:get', { id: c.id })).messages.filter((m) => m.role === 'assistant');
    expect(replies.map((m) => [m.settings, m.omittedParameters])).toEqual([
      [{ systemPrompt: 'P', seed: 3 }, ['seed']],
      [{ temperature: 1 }, ['seed']],
    ]);
  });
});

describe('a parameter refused by the Responses and Assistants APIs', () => {
  it('Responses: names it, and "Send without it" leaves it out', async () => {
    rig = startRig();
    server.setBehavior({ refuseParameters: { names: ['temperature'], server: 'openai' } });
    const provider = rig.addProvider(
      { type: 'openai-responses', name: 'Responses', baseUrl: server.url, model: 'gpt-4o-mini', conversationState: 'stateless' },
      KEY,
    );
    const c = await conversationWith(provider, { temperature: 0.2, maxOutputTokens: 100 });
    const refused = await turns.sendAndAwaitReply(rig, c.id, 'Hi');
    expect(refused.final.error?.code).toBe('PARAMETER_REJECTED');
    expect(refused.final.error?.params?.parameter).toBe('temperature');
    const again = await rig.call('chat:sendWithout', { conversationId: c.id, parameter: 'temperature' });
    expect((await rig.finished(again.streamId)).final.status).toBe('complete');
    const body = bodyOf('/responses');
    expect(body).not.toHaveProperty('temperature');
    expect(body.max_output_tokens).toBe(100);
  });

  it('Assistants: names it, and "Send without it" leaves it out of the run', async () => {
    rig = startRig();
    server.setBehavior({ refuseParameters: { names: ['top_p'], server: 'openai-unrecognized' } });
    const provider = rig.addProvider(
      { type: 'openai-assistant', name: 'Assistant', baseUrl: server.url, model: '', assistantId: assistants.createAssistant({ name: 'A', model: 'gpt-4o' }) },
      KEY,
    );
    const c = await conversationWith(provider, { topP: 0.5, temperature: 0.7 });
    const refused = await turns.sendAndAwaitReply(rig, c.id, 'Hi');
    expect(refused.final.error?.code).toBe('PARAMETER_REJECTED');
    expect(refused.final.error?.params?.parameter).toBe('top_p');
    const again = await rig.call('chat:sendWithout', { conversationId: c.id, parameter: 'top_p' });
    expect((await rig.finished(again.streamId)).final.status).toBe('complete');
    const runBody = server.requests.filter((r) => r.method === 'POST' && /\/runs$/.test(r.routePath ?? '')).at(-1)?.body as Record<string, unknown>;
    expect(runBody).not.toHaveProperty('top_p');
    expect(runBody.temperature).toBe(0.7);
  });
});
