import { describe, expect, it } from 'vitest';
import type { HistoryAttachment, HistoryMessage } from '../../../../electron/main/providers/provider-kind';
import { assistantContent, chatCompletionsMessage, hasImages, responsesMessage, sentText } from '../../../../electron/main/providers/attachment-parts';
import { attachmentRefusal, isImageRefusal } from '../../../../electron/main/providers/errors/images-rejected';

const image: HistoryAttachment = { id: 'a'.repeat(64), name: 'cat.png', mime: 'image/png', size: 3, kind: 'image', width: 1, height: 1, base64: 'AAAA' };
const file: HistoryAttachment = { id: 'b'.repeat(64), name: 'n"otes.md', mime: 'text/markdown', size: 5, kind: 'text', text: '# hi' };
const gone: HistoryAttachment = { id: 'c'.repeat(64), name: 'old.png', mime: 'image/png', size: 3, kind: 'image' };
const message: HistoryMessage = { role: 'user', content: 'Look', attachments: [image, file] };

describe('request building per API', () => {
  it('a message without attachments stays a plain string everywhere', async () => {
    const plain: HistoryMessage = { role: 'user', content: 'Hi' };
    expect(chatCompletionsMessage(plain, false)).toEqual({ role: 'user', content: 'Hi' });
    expect(responsesMessage(plain, false)).toEqual({ role: 'user', content: 'Hi' });
    expect(await assistantContent(plain, false, () => Promise.reject(new Error('no upload')))).toBe('Hi');
    expect(hasImages([plain])).toBe(false);
  });

  it('Chat Completions: text, image_url data URL, the file headed by its (quoted-safe) name', () => {
    expect(chatCompletionsMessage(message, false)).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Look' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'text', text: `<file name="n'otes.md" type="text/markdown">\n# hi\n</file>` },
      ],
    });
  });

  it('Responses: input_text and input_image', () => {
    expect(responsesMessage(message, false).content).toEqual([
      { type: 'input_text', text: 'Look' },
      { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
      { type: 'input_text', text: `<file name="n'otes.md" type="text/markdown">\n# hi\n</file>` },
    ]);
  });

  it('Assistants: images uploaded and sent as image_file', async () => {
    const uploaded: string[] = [];
    const content = await assistantContent(message, false, (a) => {
      uploaded.push(a.name);
      return Promise.resolve('file-9');
    });
    expect(uploaded).toEqual(['cat.png']);
    expect(content).toEqual([
      { type: 'text', text: 'Look' },
      { type: 'image_file', image_file: { file_id: 'file-9' } },
      { type: 'text', text: `<file name="n'otes.md" type="text/markdown">\n# hi\n</file>` },
    ]);
  });

  it('images left out (Send without images) or no longer stored become a sentence naming them', () => {
    expect(chatCompletionsMessage({ role: 'user', content: '', attachments: [image, gone] }, true).content).toEqual([
      { type: 'text', text: '[Image “cat.png” attached; left out because this model does not accept images.]' },
      { type: 'text', text: '[Image “old.png” attached; left out because this model does not accept images.]' },
    ]);
    expect(chatCompletionsMessage({ role: 'user', content: 'x', attachments: [gone] }, false).content).toEqual([
      { type: 'text', text: 'x' },
      { type: 'text', text: '[Attached image “old.png” is no longer available.]' },
    ]);
  });

  it('sentText is what a server gives back of the message (for lining up a server conversation)', () => {
    expect(sentText(message)).toBe(`Look<file name="n'otes.md" type="text/markdown">\n# hi\n</file>`);
  });
});

describe('image refusals', () => {
  const failure = (status: number, bodyText: string) => ({ status, bodyText });
  it('recognises each server’s wording, only when images were sent', () => {
    for (const text of [
      'Invalid content type. image_url is only supported by certain models.',
      'Model does not support images. Please use a model that does.',
      'Unsupported content part type: "image_url"',
      'At most 0 image(s) may be provided in one request.',
      'this model is missing data required for image input',
      'qwen2.5 does not support image input',
      // an Assistants run of a model without vision
      'Invalid content type. image_file is only supported by certain models.',
      // a raw JSON body (the Assistants client reads the body as text): the quotes come escaped
      JSON.stringify({ error: { message: 'Unsupported content part type: "image_file"', type: 'invalid_request_error', param: null, code: null } }),
    ]) {
      expect(isImageRefusal(failure(400, text)), text).toBe(true);
      expect(attachmentRefusal(failure(400, text), true, 'm', 'host')?.code).toBe('IMAGES_REJECTED');
      expect(attachmentRefusal(failure(400, text), false, 'm', 'host')).toBeNull();
    }
    expect(isImageRefusal(failure(500, 'Unsupported content part type: "image_url"'))).toBe(true);
    expect(isImageRefusal(failure(401, 'does not support images'))).toBe(false);
    expect(isImageRefusal(failure(400, 'max_tokens is too large'))).toBe(false);
  });
  it('413 is "too large" whatever was sent', () => {
    expect(attachmentRefusal(failure(413, '<html>413 Request Entity Too Large</html>'), false, 'm', 'example.com')).toMatchObject({
      code: 'REQUEST_TOO_LARGE',
      message: 'example.com refused the request as too large (HTTP 413).',
    });
  });
});
