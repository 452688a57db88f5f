/**
 * Images refused on the stateful APIs: an Assistants run of a model without vision, an Assistants server
 * that takes no image parts in thread messages, and a Responses server conversation whose seeding is
 * refused for its images. Each is the one sentence "<model> does not accept images." with "Send without
 * images", and sending without them names the images in words and gets an answer (every request is
 * validated against the official OpenAPI spec by the local server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AttachmentRef } from '../../shared/models/attachments';
import { allApisServer } from '../support/all-apis-server';
import { b64, pngOf } from '../support/attachment-samples';
import { startRig, type Rig } from '../support/chat-rig';
import * as turns from '../support/chat-turns';

const KEY = 'sk-stateful-refusals-7788';
const STAND_IN = '[Image “s.png” attached; left out because this model does not accept images.]';

const apis = allApisServer(KEY);
let rig: Rig;

afterEach(async () => {
  await rig.close();
});

const add = (name: string, bytes: Uint8Array | string) => rig.call('attachments:add', { name, data: b64(bytes) });

async function sendWith(conversationId: string, text: string, attachments: AttachmentRef[]) {
  const started = await rig.call('chat:send', { conversationId, text, attachments });
  return rig.finished(started.streamId);
}

async function sendWithoutImages(conversationId: string) {
  const again = await rig.call('chat:sendWithout', { conversationId, parameter: 'images' });
  return rig.finished(again.streamId);
}

function assistantProvider(model: string) {
  const assistantId = apis.assistants.createAssistant({ model });
  return rig.addProvider({ type: 'openai-assistant', name: 'Assistant', baseUrl: apis.server.url, model: '', assistantId }, KEY);
}

function expectImagesRejected(error: unknown, model: string) {
  expect(error).toMatchObject({ code: 'IMAGES_REJECTED', message: `${model} does not accept images.`, params: { parameter: 'images' } });
  expect((error as { hint?: string }).hint).toMatch(/^Send without images/);
}

const threadUsers = () => apis.assistants.messagesOfThread(apis.assistants.lastRun()?.threadId ?? '').filter((m) => m.role === 'user');
const sentParts = () =>
  apis.server.requests
    .filter((r) => r.method === 'POST' && /^\/threads(?:\/[^/]+\/messages)?$/.test(r.routePath ?? ''))
    .flatMap((r) => JSON.stringify(r.body).match(/"type":"(?:image_file|text)"/g) ?? []);

describe('Assistants', () => {
  it('a run of a model without vision: one sentence; Send without images replaces the question in the thread, images named', async () => {
    rig = startRig();
    const c = await turns.newConversation(rig, assistantProvider('text-only-openai'));
    const refused = await sendWith(c.id, 'What is it?', [await add('s.png', pngOf(2, 2))]);
    expect(refused.final.status).toBe('failed');
    expectImagesRejected(refused.final.error, 'text-only-openai');

    const reply = await sendWithoutImages(c.id);
    expect(reply.final.status).toBe('complete');
    // The refused message (with its image_file) is gone from the thread; the question is there once, in words.
    expect(threadUsers().map((m) => m.text)).toEqual([`What is it?${STAND_IN}`]);
    expect(reply.content).toBe(`Assistant reply 1 in this thread: What is it?${STAND_IN}`);
    expect(apis.uploads).toHaveLength(1);
  });

  it('a server that takes no images in thread messages: one sentence; Send without images sends them in words', async () => {
    rig = startRig();
    apis.assistants.configure({ refuseMessageImages: true });
    const c = await turns.newConversation(rig, assistantProvider('gpt-4o'));
    const refused = await sendWith(c.id, 'Describe', [await add('s.png', pngOf(2, 2))]);
    expectImagesRejected(refused.final.error, 'gpt-4o');

    const reply = await sendWithoutImages(c.id);
    expect(reply.final.status).toBe('complete');
    expect(threadUsers().map((m) => m.text)).toEqual([`Describe${STAND_IN}`]);
    expect(sentParts().filter((p) => p.includes('image_file'))).toHaveLength(1);
  });
});

describe('Responses with a server conversation', () => {
  it('seeding refused for its images: one sentence; Send without images seeds them in words', async () => {
    rig = startRig();
    const chat = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: apis.server.url, model: 'gpt-4o' }, KEY);
    const c = await turns.newConversation(rig, chat);
    expect((await sendWith(c.id, 'What is it?', [await add('s.png', pngOf(2, 2))])).final.status).toBe('complete');

    const stateful = rig.addProvider({ type: 'openai-responses', name: 'Responses', baseUrl: apis.server.url, model: 'gpt-4o', conversationState: 'server' }, KEY);
    await rig.call('conversations:setProvider', { id: c.id, providerId: stateful.id, model: 'gpt-4o' });
    apis.responses.configure({ refuseConversationImages: true });
    const refused = await turns.sendAndAwaitReply(rig, c.id, 'And now?');
    expect(refused.final.status).toBe('failed');
    expectImagesRejected(refused.final.error, 'gpt-4o');

    const reply = await sendWithoutImages(c.id);
    expect(reply.final.status).toBe('complete');
    const conversationId = (await rig.call('conversations:get', { id: c.id })).threadId ?? '';
    const items = apis.responses.conversationItems(conversationId).filter((i) => i.role === 'user');
    expect(items.map((i) => i.text)).toEqual([`What is it?${STAND_IN}`, 'And now?']);
  });

  it('seeding refused in a later batch of items: nothing half-seeded is kept; Send without images seeds the whole history', async () => {
    rig = startRig();
    const chat = rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: apis.server.url, model: 'gpt-4o' }, KEY);
    const c = await turns.newConversation(rig, chat);
    for (let i = 1; i <= 10; i++) expect((await turns.sendAndAwaitReply(rig, c.id, `Question ${i}`)).final.status).toBe('complete');
    // Messages 21 and 22: past the first 20 items the conversation is created with.
    expect((await sendWith(c.id, 'What is it?', [await add('s.png', pngOf(2, 2))])).final.status).toBe('complete');

    const stateful = rig.addProvider({ type: 'openai-responses', name: 'Responses', baseUrl: apis.server.url, model: 'gpt-4o', conversationState: 'server' }, KEY);
    await rig.call('conversations:setProvider', { id: c.id, providerId: stateful.id, model: 'gpt-4o' });
    apis.responses.configure({ refuseConversationImages: true });
    const refused = await turns.sendAndAwaitReply(rig, c.id, 'And now?');
    expectImagesRejected(refused.final.error, 'gpt-4o');
    expect((await rig.call('conversations:get', { id: c.id })).threadId).toBeUndefined();

    const reply = await sendWithoutImages(c.id);
    expect(reply.final.status).toBe('complete');
    const conversationId = (await rig.call('conversations:get', { id: c.id })).threadId ?? '';
    const users = apis.responses.conversationItems(conversationId).filter((i) => i.role === 'user').map((i) => i.text);
    expect(users).toEqual([...Array.from({ length: 10 }, (_, i) => `Question ${i + 1}`), `What is it?${STAND_IN}`, 'And now?']);
  });
});
