/**
 * Attachments through the real services and the local test server: what `attachments:add` accepts and
 * refuses (one sentence naming the type), the exact content parts each API receives (every request is
 * validated against the official OpenAPI spec by the server), refusals of models without vision in their
 * servers' own words with "Send without images", a 413, and the store: one blob per content, kept while
 * referenced, collected after the conversation is deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AttachmentRef } from '../../shared/models/attachments';
import type { ProviderConfig } from '../../shared/models/provider';
import { faults, IMAGE_REFUSING_MODELS } from '../fixtures/openai-server/index';
import { allApisServer } from '../support/all-apis-server';
import { b64, HELLO_PDF, pngOf, TINY_JPEG } from '../support/attachment-samples';
import { errorOf, startRig, type Rig } from '../support/chat-rig';
import * as turns from '../support/chat-turns';

const KEY = 'sk-attachments-4455';

const apis = allApisServer(KEY);
let rig: Rig;

afterEach(async () => {
  await rig.close();
});

const bodyOf = (routePath: string) => apis.server.requestsTo(routePath, 'POST').at(-1)?.body as Record<string, unknown>;
const add = (name: string, bytes: Uint8Array | string) => rig.call('attachments:add', { name, data: b64(bytes) });

async function sendWith(conversationId: string, text: string, attachments: AttachmentRef[]) {
  const started = await rig.call('chat:send', { conversationId, text, attachments });
  return rig.finished(started.streamId);
}

function chatProvider(model = 'gpt-4o-mini'): ProviderConfig {
  return rig.addProvider({ type: 'openai-compatible', name: 'Local', baseUrl: apis.server.url, model }, KEY);
}

describe('attachments:add', () => {
  it('stores images with their size from the header, text decoded from its encoding, and a PDF as its text', async () => {
    rig = startRig();
    const png = await add('shot.png', pngOf(3, 2));
    expect(png).toMatchObject({ kind: 'image', mime: 'image/png', width: 3, height: 2, name: 'shot.png' });
    expect(png.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await add('photo.jpg', TINY_JPEG)).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 1, height: 1 });

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo, 世界', 'utf16le')]);
    const text = await add('notes.md', utf16);
    expect(text).toMatchObject({ kind: 'text', mime: 'text/markdown' });
    expect(Buffer.from((await rig.call('attachments:read', { id: text.id })).data, 'base64').toString('utf8')).toBe('héllo, 世界');

    const latin1 = await add('old.csv', Buffer.from('name;city\nJosé;Zürich\nFrançois;Besançon\nRenée;Orléans\n', 'latin1'));
    expect(Buffer.from((await rig.call('attachments:read', { id: latin1.id })).data, 'base64').toString('utf8')).toContain('Zürich');

    const pdf = await add('paper.pdf', HELLO_PDF);
    expect(pdf).toMatchObject({ kind: 'text', mime: 'application/pdf' });
    expect(Buffer.from((await rig.call('attachments:read', { id: pdf.id })).data, 'base64').toString('utf8')).toBe('Hello PDF world');

    // The same bytes are stored once; the name is the caller's, never a path.
    const again = await add('../../etc/other-name.png', pngOf(3, 2));
    expect(again.id).toBe(png.id);
    expect(again.name).toBe('other-name.png');
    const shard = path.join(rig.dataDir, 'attachments', png.id.slice(0, 2));
    expect(fs.readdirSync(shard)).toEqual([png.id]);
  });

  it('refuses other types, damaged images and oversized input in one sentence', async () => {
    rig = startRig();
    const zip = errorOf(await rig.raw('attachments:add', { name: 'report.docx', data: b64(Buffer.from('PK\u0003\u0004rest-of-zip')) }));
    expect(zip).toMatchObject({ code: 'ATTACHMENT_UNSUPPORTED', params: { name: 'report.docx', type: 'Word document' } });
    expect(zip.message).toBe('“report.docx” is a Word document: Switchboard can attach images (PNG, JPEG, WebP, GIF), text files and PDFs.');
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(16)]);
    expect(errorOf(await rig.raw('attachments:add', { name: 'IMG_1.HEIC', data: b64(heic) })).params?.type).toBe('HEIC image');
    const binary = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256));
    expect(errorOf(await rig.raw('attachments:add', { name: 'blob.bin', data: b64(binary) })).params?.type).toBe('binary .bin file');
    const truncated = pngOf(4, 4).subarray(0, 30);
    expect(errorOf(await rig.raw('attachments:add', { name: 'cut.png', data: b64(truncated) })).code).toBe('ATTACHMENT_UNREADABLE');
    expect(errorOf(await rig.raw('attachments:add', { name: 'bad.pdf', data: b64('%PDF-1.4 nothing here') })).code).toBe('ATTACHMENT_UNREADABLE');
    const huge = 'x'.repeat(Math.ceil((10 * 1024 * 1024) / 3) * 4 + 8);
    expect(errorOf(await rig.raw('attachments:add', { name: 'big.txt', data: huge })).code).toBe('INVALID_INPUT');
    const tooLong = errorOf(await rig.raw('attachments:add', { name: 'long.log', data: b64('a'.repeat(400_001)) }));
    expect(tooLong).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', params: { context: 'text' } });
    expect(fs.existsSync(path.join(rig.dataDir, 'attachments')) ? fs.readdirSync(path.join(rig.dataDir, 'attachments')) : []).toEqual([]);
  });
});

describe('what each API receives', () => {
  it('Chat Completions: text, then image_url data URLs and the text file headed by its name; kept by Regenerate and after a restart', async () => {
    rig = startRig();
    const c = await turns.newConversation(rig, chatProvider());
    const png = await add('shot.png', pngOf(2, 2));
    const notes = await add('notes.md', '# Title\nbody');
    const reply = await sendWith(c.id, 'What is this?', [png, notes]);
    expect(reply.final.status).toBe('complete');
    const expected = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(pngOf(2, 2))}` } },
          { type: 'text', text: '<file name="notes.md" type="text/markdown">\n# Title\nbody\n</file>' },
        ],
      },
    ];
    expect(bodyOf('/chat/completions').messages).toEqual(expected);
    expect(apis.server.violations).toEqual([]);

    const again = await rig.call('chat:regenerate', { conversationId: c.id });
    await rig.finished(again.streamId);
    expect(bodyOf('/chat/completions').messages).toEqual(expected);

    rig = await rig.restart();
    const page = await rig.call('conversations:get', { id: c.id });
    expect(page.messages[0]?.attachments).toEqual([png, notes]);
    // The conversation file holds references, never the bytes.
    const file = fs.readdirSync(path.join(rig.dataDir, 'conversations')).find((f) => f.startsWith(c.id));
    expect(fs.readFileSync(path.join(rig.dataDir, 'conversations', file ?? ''), 'utf8')).not.toContain(b64(pngOf(2, 2)));

    // Edit and resend keeps the attachments.
    const userId = page.messages[0]?.id ?? '';
    const edited = await rig.call('chat:editAndResend', { conversationId: c.id, messageId: userId, text: 'And now?' });
    await rig.finished(edited.streamId);
    const sent = bodyOf('/chat/completions').messages as { content: { type: string }[] }[];
    expect(sent[0]?.content.map((p) => p.type)).toEqual(['text', 'image_url', 'text']);
  });

  it('a message with only an image is sent; one with neither text nor attachments is refused', async () => {
    rig = startRig();
    const c = await turns.newConversation(rig, chatProvider());
    const png = await add('only.png', pngOf(1, 1));
    await sendWith(c.id, '', [png]);
    expect(bodyOf('/chat/completions').messages).toEqual([
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${b64(pngOf(1, 1))}` } }] },
    ]);
    expect((await rig.call('conversations:get', { id: c.id })).title).toBe('only.png');
    expect(errorOf(await rig.raw('chat:send', { conversationId: c.id, text: '  ', attachments: [] })).code).toBe('INVALID_INPUT');
    const forged = { ...png, id: 'f'.repeat(64) };
    expect(errorOf(await rig.raw('chat:send', { conversationId: c.id, text: 'x', attachments: [forged] }))).toMatchObject({
      code: 'NOT_FOUND',
      params: { context: 'attachment' },
    });
  });

  it('Responses (stateless): input_text and input_image parts', async () => {
    rig = startRig();
    const provider = rig.addProvider(
      { type: 'openai-responses', name: 'Responses', baseUrl: apis.server.url, model: 'gpt-4o-mini', conversationState: 'stateless' },
      KEY,
    );
    const c = await turns.newConversation(rig, provider);
    const jpg = await add('p.jpg', TINY_JPEG);
    const log = await add('app.log', 'line 1\nline 2');
    const reply = await sendWith(c.id, 'Look', [jpg, log]);
    expect(reply.final.status).toBe('complete');
    expect(bodyOf('/responses').input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look' },
          { type: 'input_image', image_url: `data:image/jpeg;base64,${b64(TINY_JPEG)}`, detail: 'auto' },
          { type: 'input_text', text: '<file name="app.log" type="text/plain">\nline 1\nline 2\n</file>' },
        ],
      },
    ]);
  });

  it('Responses (server conversation): the new input carries the parts, and Regenerate lines the conversation up', async () => {
    rig = startRig();
    const provider = rig.addProvider({ type: 'openai-responses', name: 'Responses', baseUrl: apis.server.url, model: 'gpt-4o-mini' }, KEY);
    const c = await turns.newConversation(rig, provider);
    const png = await add('s.png', pngOf(2, 1));
    const notes = await add('n.txt', 'notes');
    expect((await sendWith(c.id, 'Q', [png, notes])).final.status).toBe('complete');
    const first = bodyOf('/responses');
    expect((first.input as { content: { type: string }[] }[])[0]?.content.map((p) => p.type)).toEqual(['input_text', 'input_image', 'input_text']);
    const again = await rig.call('chat:regenerate', { conversationId: c.id });
    expect((await rig.finished(again.streamId)).final.status).toBe('complete');
    // The old turn was deleted from the server conversation before the question went again (not doubled).
    expect(apis.server.requests.filter((r) => r.method === 'DELETE' && /^\/conversations\/[^/]+\/items\//.test(r.routePath ?? '')).length).toBeGreaterThan(0);
    const resent = bodyOf('/responses');
    expect((resent.input as { content: { type: string }[] }[])[0]?.content.map((p) => p.type)).toEqual(['input_text', 'input_image', 'input_text']);
  });

  it('Assistants: the image is uploaded (Files API, purpose vision) and sent as image_file; the text file as text', async () => {
    rig = startRig();
    const assistantId = apis.assistants.createAssistant({ model: 'gpt-4o' });
    const provider = rig.addProvider({ type: 'openai-assistant', name: 'Assistant', baseUrl: apis.server.url, model: '', assistantId }, KEY);
    const c = await turns.newConversation(rig, provider);
    const png = await add('s.png', pngOf(2, 2));
    const notes = await add('n.txt', 'notes');
    const reply = await sendWith(c.id, 'Describe', [png, notes]);
    expect(reply.final.status).toBe('complete');
    expect(apis.uploads).toEqual([{ id: 'file-1', purpose: 'vision', filename: 's.png', type: 'image/png', bytes: expect.any(Number) }]);
    const messagePost = apis.server.requests.filter((r) => r.method === 'POST' && /^\/threads\/[^/]+\/messages$/.test(r.routePath ?? '')).at(-1);
    expect(messagePost?.body).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Describe' },
        { type: 'image_file', image_file: { file_id: 'file-1' } },
        { type: 'text', text: '<file name="n.txt" type="text/plain">\nnotes\n</file>' },
      ],
    });
  });
});

describe('Assistants: images uploaded for a thread leave the server with it', () => {
  const assistantConversation = async () => {
    rig = startRig();
    const assistantId = apis.assistants.createAssistant({ model: 'gpt-4o' });
    const provider = rig.addProvider({ type: 'openai-assistant', name: 'Assistant', baseUrl: apis.server.url, model: '', assistantId }, KEY);
    const c = await turns.newConversation(rig, provider);
    const reply = await sendWith(c.id, 'Describe', [await add('s.png', pngOf(2, 2))]);
    expect(reply.final.status).toBe('complete');
    expect((await sendWith(c.id, 'And this?', [await add('t.png', pngOf(3, 3))])).final.status).toBe('complete');
    const threadId = (await rig.call('conversations:get', { id: c.id })).threadId as string;
    return { c, threadId };
  };

  it('deleting the conversation with its thread deletes the images first, then the thread', async () => {
    const { c, threadId } = await assistantConversation();
    expect(apis.uploads.map((f) => [f.id, f.deleted ?? false])).toEqual([['file-1', false], ['file-2', false]]);
    expect(await rig.call('conversations:delete', { id: c.id, deleteRemoteThread: true })).toEqual({ remoteThreadDeleted: true });
    expect(apis.uploads.map((f) => [f.id, f.deleted ?? false])).toEqual([['file-1', true], ['file-2', true]]);
    expect(apis.assistants.threads.has(threadId)).toBe(false);
    const deletes = apis.server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.replace(/^\/v1/, ''));
    expect(deletes).toEqual(['/files/file-1', '/files/file-2', `/threads/${threadId}`]);
  });

  it('an image the server will not delete keeps the thread, and the note says so', async () => {
    const { c, threadId } = await assistantConversation();
    apis.server.nextResponses(faults.openaiError(403, { message: 'You have insufficient permissions for this operation. Missing scopes: api.files.write.' }, { method: 'DELETE', path: '/files/file-2' }));
    const result = await rig.call('conversations:delete', { id: c.id, deleteRemoteThread: true });
    expect(result.remoteThreadDeleted).toBe(false);
    expect(result.remoteError?.message).toMatch(/^Its images on the server could not be deleted, so the thread was kept: .+/);
    // The window words it from the code and params (translated), and says the thread was kept for the images.
    expect(result.remoteError).toMatchObject({ code: 'PERMISSION_DENIED', params: { status: 403, keptFor: 'images' } });
    // The others went; the thread (and so the user's way to find the rest) stays.
    expect(apis.uploads.map((f) => f.deleted ?? false)).toEqual([true, false]);
    expect(apis.assistants.threads.has(threadId)).toBe(true);
    expect((await rig.call('conversations:list', undefined)).some((s) => s.id === c.id)).toBe(false);
  });

  it('Edit and resend uploads the image again and deletes the upload the thread no longer uses', async () => {
    const { c } = await assistantConversation();
    const question = (await rig.call('conversations:get', { id: c.id })).messages.filter((m) => m.role === 'user').at(-1)!;
    const started = await rig.call('chat:editAndResend', { conversationId: c.id, messageId: question.id, text: 'And this one?' });
    expect((await rig.finished(started.streamId)).final.status).toBe('complete');
    expect(apis.uploads.map((f) => f.filename)).toEqual(['s.png', 't.png', 't.png']);
    // Deleted without holding up the reply: wait for it.
    await vi.waitFor(() => expect(apis.uploads.map((f) => f.deleted ?? false)).toEqual([false, true, false]));
  });
});

describe('refusals', () => {
  for (const model of Object.keys(IMAGE_REFUSING_MODELS)) {
    it(`${model}: "does not accept images" in one sentence; Send without images names them instead, remembered for the model`, async () => {
      rig = startRig();
      const c = await turns.newConversation(rig, chatProvider(model));
      const png = await add('s.png', pngOf(2, 2));
      const refused = await sendWith(c.id, 'What is it?', [png]);
      expect(refused.final.status).toBe('failed');
      expect(refused.final.error).toMatchObject({ code: 'IMAGES_REJECTED', message: `${model} does not accept images.`, params: { parameter: 'images' } });

      const again = await rig.call('chat:sendWithout', { conversationId: c.id, parameter: 'images' });
      const reply = await rig.finished(again.streamId);
      expect(reply.final.status).toBe('complete');
      expect(bodyOf('/chat/completions').messages).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'text', text: '[Image “s.png” attached; left out because this model does not accept images.]' },
          ],
        },
      ]);
      const messages = (await rig.call('conversations:get', { id: c.id })).messages;
      expect(messages[0]?.attachments).toEqual([png]);
      expect(messages[1]?.omittedParameters).toEqual(['images']);
    });
  }

  it('Responses: a model without vision refuses input_image in one sentence', async () => {
    rig = startRig();
    const provider = rig.addProvider(
      { type: 'openai-responses', name: 'Responses', baseUrl: apis.server.url, model: 'text-only-openai', conversationState: 'stateless' },
      KEY,
    );
    const c = await turns.newConversation(rig, provider);
    const refused = await sendWith(c.id, 'Q', [await add('s.png', pngOf(1, 1))]);
    expect(refused.final.error?.code).toBe('IMAGES_REJECTED');
  });

  it('413 from the server: the request is too large, in one sentence', async () => {
    rig = startRig();
    apis.server.nextResponses(faults.openaiError(413, { message: 'Request Entity Too Large' }, { path: '/chat/completions' }));
    const c = await turns.newConversation(rig, chatProvider());
    const refused = await sendWith(c.id, 'Q', [await add('s.png', pngOf(1, 1))]);
    expect(refused.final.error).toMatchObject({ code: 'REQUEST_TOO_LARGE', params: { status: 413 } });
  });

  it('Assistants: a 413 on the image upload is "too large", in one sentence', async () => {
    rig = startRig();
    const assistantId = apis.assistants.createAssistant({ model: 'gpt-4o' });
    const provider = rig.addProvider({ type: 'openai-assistant', name: 'Assistant', baseUrl: apis.server.url, model: '', assistantId }, KEY);
    const c = await turns.newConversation(rig, provider);
    apis.server.nextResponses(faults.openaiError(413, { message: 'File too large' }, { path: '/files' }));
    const refused = await sendWith(c.id, 'Q', [await add('s.png', pngOf(1, 1))]);
    expect(refused.final.error).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    expect(apis.uploads).toEqual([]);
  });

  it('a text-only model that receives no images answers as usual', async () => {
    rig = startRig();
    const c = await turns.newConversation(rig, chatProvider('text-only-vllm'));
    const reply = await sendWith(c.id, 'Q', [await add('n.txt', 'plain')]);
    expect(reply.final.status).toBe('complete');
  });
});

describe('the store', () => {
  it('keeps a referenced blob, collects it once the conversation is deleted, and keeps an unsent one for the grace period', async () => {
    rig = startRig();
    const c = await turns.newConversation(rig, chatProvider());
    const sent = await add('sent.png', pngOf(5, 5));
    const composing = await add('composing.png', pngOf(6, 6));
    await sendWith(c.id, 'Q', [sent]);
    const blob = (id: string) => path.join(rig.dataDir, 'attachments', id.slice(0, 2), id);
    // Make both look old: only the reference keeps `sent`.
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    fs.utimesSync(blob(sent.id), old, old);
    expect(await rig.services.collectAttachments()).toBe(0);
    expect(fs.existsSync(blob(sent.id))).toBe(true);
    expect(fs.existsSync(blob(composing.id))).toBe(true);

    await rig.call('conversations:delete', { id: c.id });
    await rig.services.collectAttachments();
    expect(fs.existsSync(blob(sent.id))).toBe(false);
    expect(fs.existsSync(blob(composing.id))).toBe(true);
  });
});
