/**
 * A user message with attachments, as each API takes it. Images become image input (a data URL for Chat
 * Completions and Responses, an uploaded file for Assistants); text files become text parts headed by their
 * file name, after the message's own text. A message without attachments stays a plain string, exactly as
 * before, so requests without attachments do not change at all.
 *
 * `omitImages` ("Send without images", a model that refused image input): each image is named in a text part
 * instead, so the model still knows the user attached something.
 */
import type OpenAI from 'openai';
import type { HistoryAttachment, HistoryMessage } from './provider-kind';

/** The pseudo-parameter "Send without images" leaves out (remembered per provider and model, like a refused parameter). */
export const IMAGES_PARAMETER = 'images';

export function hasImages(history: readonly HistoryMessage[]): boolean {
  return history.some((m) => m.attachments?.some((a) => a.kind === 'image') ?? false);
}

/** A text file as the model reads it: its name and type, then its text. */
export function fileText(attachment: HistoryAttachment): string {
  if (attachment.text === undefined) return `[Attached file “${attachment.name}” is no longer available.]`;
  return `<file name="${attachment.name.replace(/"/g, "'")}" type="${attachment.mime}">\n${attachment.text}\n</file>`;
}

function imageStandIn(attachment: HistoryAttachment, omitted: boolean): string {
  return omitted
    ? `[Image “${attachment.name}” attached; left out because this model does not accept images.]`
    : `[Attached image “${attachment.name}” is no longer available.]`;
}

export function dataUrl(attachment: HistoryAttachment): string {
  return `data:${attachment.mime};base64,${attachment.base64 ?? ''}`;
}

type Piece = { type: 'text'; text: string } | { type: 'image'; attachment: HistoryAttachment };

/** The message's pieces in order: its text, then each attachment (a stand-in text where an image cannot go). */
function pieces(message: HistoryMessage, omitImages: boolean): Piece[] {
  const out: Piece[] = [];
  if (message.content.trim() !== '') out.push({ type: 'text', text: message.content });
  for (const attachment of message.attachments ?? []) {
    if (attachment.kind === 'text') out.push({ type: 'text', text: fileText(attachment) });
    else if (!omitImages && attachment.base64 !== undefined) out.push({ type: 'image', attachment });
    else out.push({ type: 'text', text: imageStandIn(attachment, omitImages) });
  }
  return out;
}

/** All the text a message sends (its own and its text files'), as a server that stored it gives it back. */
export function sentText(message: HistoryMessage, omitImages = false): string {
  return pieces(message, omitImages)
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('');
}

/** Chat Completions: a string, or `text` and `image_url` content parts. */
export function chatCompletionsMessage(message: HistoryMessage, omitImages: boolean): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  if (message.role !== 'user' || !message.attachments?.length) return { role: message.role, content: message.content };
  const content = pieces(message, omitImages).map((p): OpenAI.Chat.Completions.ChatCompletionContentPart =>
    p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: { url: dataUrl(p.attachment) } },
  );
  return { role: 'user', content };
}

/** Responses: a string, or `input_text` and `input_image` parts. */
export function responsesMessage(message: HistoryMessage, omitImages: boolean): OpenAI.Responses.EasyInputMessage {
  if (message.role !== 'user' || !message.attachments?.length) return { role: message.role, content: message.content };
  const content = pieces(message, omitImages).map((p): OpenAI.Responses.ResponseInputContent =>
    p.type === 'text'
      ? { type: 'input_text', text: p.text }
      : { type: 'input_image', image_url: dataUrl(p.attachment), detail: 'auto' },
  );
  return { role: 'user', content };
}

/** Assistants: `text` and `image_file` parts; `upload` turns an image into a file id (Files API, purpose `vision`). */
export async function assistantContent(
  message: HistoryMessage,
  omitImages: boolean,
  upload: (attachment: HistoryAttachment) => Promise<string>,
): Promise<string | ({ type: 'text'; text: string } | { type: 'image_file'; image_file: { file_id: string } })[]> {
  if (!message.attachments?.length) return message.content;
  const out: ({ type: 'text'; text: string } | { type: 'image_file'; image_file: { file_id: string } })[] = [];
  for (const p of pieces(message, omitImages)) {
    if (p.type === 'text') out.push({ type: 'text', text: p.text });
    else out.push({ type: 'image_file', image_file: { file_id: await upload(p.attachment) } });
  }
  return out;
}
