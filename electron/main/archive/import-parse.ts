/**
 * Reading a file someone chose to import: our own export (JSON, or the zip of all conversations) or
 * ChatGPT's data export (`conversations.json`, alone or inside the zip ChatGPT mails). Pure: bytes in,
 * conversations out, or one AppFailure saying what is wrong and where (the line of a JSON syntax error,
 * the conversation that does not fit), so an import is all or nothing.
 */
import { strFromU8, unzipSync } from 'fflate';
import { z } from 'zod';
import type { Conversation, Message } from '../../../shared/models/conversation';
import { EXPORT_FORMAT_NAME, EXPORT_FORMAT_VERSION } from '../../../shared/models/archive';
import { AppFailure, type ErrorCode } from '../../../shared/result';
import { conversationSchema } from '../conversations/conversation-file';
import { isValidConversationId } from '../conversations/conversation-store';
import { ARCHIVE_JSON_NAME } from './export-formats';

export interface ParsedImport {
  source: 'switchboard' | 'chatgpt';
  conversations: Conversation[];
}

function failure(code: ErrorCode, message: string, params: Record<string, string | number> = {}): AppFailure {
  return new AppFailure({ code, message, params });
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Parses an import file's bytes. Throws an AppFailure (IMPORT_*) with one sentence when it cannot. */
export function parseImport(bytes: Uint8Array, fileName: string): ParsedImport {
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) return parseJsonText(textFromZip(bytes, fileName), fileName);
  return parseJsonText(new TextDecoder('utf-8', { fatal: false }).decode(bytes), fileName);
}

function textFromZip(bytes: Uint8Array, fileName: string): string {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => /(^|\/)(conversations|switchboard-conversations)\.json$/.test(f.name) });
  } catch {
    throw failure('IMPORT_UNREADABLE', `${fileName} is not a readable zip file.`, { file: fileName });
  }
  const name =
    Object.keys(entries).find((n) => n === ARCHIVE_JSON_NAME || n.endsWith(`/${ARCHIVE_JSON_NAME}`)) ??
    Object.keys(entries).find((n) => n === 'conversations.json' || n.endsWith('/conversations.json'));
  if (!name) {
    throw failure('IMPORT_FOREIGN', `${fileName} holds neither a Switchboard nor a ChatGPT export.`, { file: fileName });
  }
  return strFromU8(entries[name]!);
}

/** Line and column of a character offset, for a JSON syntax error. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function parseJsonText(text: string, fileName: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    throw failure('IMPORT_NOT_JSON', `${fileName} is not valid JSON (line ${line}, column ${column}).`, { file: fileName, line, column });
  }
  if (isRecord(data) && data.format === EXPORT_FORMAT_NAME) return { source: 'switchboard', conversations: parseOurs(data, fileName) };
  if (Array.isArray(data) && data.length > 0 && data.every((c) => isRecord(c) && 'mapping' in c)) {
    return { source: 'chatgpt', conversations: data.map((c, i) => fromChatGpt(c, i)) };
  }
  throw failure('IMPORT_FOREIGN', `${fileName} is neither a Switchboard nor a ChatGPT export.`, { file: fileName });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ourEnvelope = z.object({ version: z.number().int(), conversations: z.array(z.unknown()) });

function parseOurs(data: Record<string, unknown>, fileName: string): Conversation[] {
  const envelope = ourEnvelope.safeParse(data);
  if (!envelope.success) throw failure('IMPORT_FOREIGN', `${fileName} is not a complete Switchboard export.`, { file: fileName });
  if (envelope.data.version > EXPORT_FORMAT_VERSION) {
    throw failure('IMPORT_NEWER_VERSION', `${fileName} was exported by a newer Switchboard (format ${envelope.data.version}).`, {
      file: fileName,
      version: envelope.data.version,
    });
  }
  const seen = new Set<string>();
  return envelope.data.conversations.map((raw, i) => {
    const parsed = conversationSchema.safeParse(raw);
    const title = isRecord(raw) && typeof raw.title === 'string' ? raw.title : '';
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? issue.path.join('.') : '';
      throw badConversation(i, title, { reason: 'field', field: where });
    }
    if (!isValidConversationId(parsed.data.id)) throw badConversation(i, title, { reason: 'foreignId' });
    if (seen.has(parsed.data.id)) throw badConversation(i, title, { reason: 'duplicateId' });
    seen.add(parsed.data.id);
    const { version: _version, ...conversation } = parsed.data;
    return conversation as Conversation;
  });
}

/** Why a conversation cannot be imported: `reason` picks the translated sentence (i18next context). */
type BadConversation =
  | { reason: 'field'; field: string }
  | { reason: 'foreignId' | 'duplicateId' | 'noId' | 'loop' }
  | { reason: 'currentMissing' | 'messageMissing'; message: string };

function englishDetail(bad: BadConversation): string {
  switch (bad.reason) {
    case 'field':
      return `the field “${bad.field}” is missing or wrong`;
    case 'foreignId':
      return 'its id is not one Switchboard makes';
    case 'duplicateId':
      return 'its id appears twice in the file';
    case 'noId':
      return 'it has no id';
    case 'loop':
      return 'its messages form a loop';
    case 'currentMissing':
      return `its current message ${bad.message} is not in the file`;
    case 'messageMissing':
      return `its message ${bad.message} is not in the file`;
  }
}

/**
 * IMPORT_BAD_CONVERSATION with the reason as params (`context` selects the sentence, e.g.
 * IMPORT_BAD_CONVERSATION_loop, in each language) rather than an English phrase inside them.
 */
function badConversation(index: number, title: string, bad: BadConversation): AppFailure {
  const name = title ? ` (“${title.slice(0, 80)}”)` : '';
  const { reason, ...details } = bad;
  return failure('IMPORT_BAD_CONVERSATION', `Conversation ${index + 1}${name} cannot be imported: ${englishDetail(bad)}.`, {
    index: index + 1,
    title: title.slice(0, 80),
    context: reason,
    ...details,
  });
}

// ---- ChatGPT ----

const chatGptMessage = z
  .object({
    id: z.string(),
    author: z.object({ role: z.string() }).loose(),
    create_time: z.number().nullable().optional(),
    content: z.object({ content_type: z.string() }).loose().nullable().optional(),
    recipient: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .loose();

const chatGptNode = z.object({
  message: chatGptMessage.nullable().optional(),
  parent: z.string().nullable().optional(),
});

const chatGptConversation = z
  .object({
    title: z.string().nullable().optional(),
    create_time: z.number().nullable().optional(),
    update_time: z.number().nullable().optional(),
    mapping: z.record(z.string(), chatGptNode),
    current_node: z.string().nullable().optional(),
    conversation_id: z.string().optional(),
    id: z.string().optional(),
    default_model_slug: z.string().nullable().optional(),
  })
  .loose();

type ChatGptMessage = z.infer<typeof chatGptMessage>;

function isoOf(seconds: number | null | undefined, fallback: string): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return fallback;
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** Ids from ChatGPT become ours with a prefix, so importing the same export twice finds them. */
function idFrom(prefix: string, source: string): string {
  return `${prefix}${source.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 128);
}

/** The visible text of a message, or null for what a reader of the conversation never saw. */
function textOf(message: ChatGptMessage): { text: string; attachments: string[] } | null {
  const content = message.content;
  if (!content) return null;
  const meta = message.metadata ?? {};
  if (meta.is_visually_hidden_from_conversation === true) return null;
  if (message.recipient !== undefined && message.recipient !== 'all') return null; // a call to a tool
  const attachments = Array.isArray(meta.attachments)
    ? meta.attachments.map((a) => (isRecord(a) && typeof a.name === 'string' ? a.name : '')).filter(Boolean)
    : [];
  let pieces: string[] = [];
  if (content.content_type === 'text' || content.content_type === 'multimodal_text') {
    const parts = Array.isArray(content.parts) ? content.parts : [];
    pieces = parts.map((p) => (typeof p === 'string' ? p : '')).filter((p) => p.length > 0);
  } else if (content.content_type === 'code' && typeof content.text === 'string') {
    pieces = ['```\n' + content.text + '\n```'];
  } else {
    return null;
  }
  const text = pieces.join('\n\n');
  if (!text.trim() && attachments.length === 0) return null;
  return { text, attachments };
}

/** The reasoning ChatGPT showed ("thoughts") before a reply. */
function thoughtsOf(message: ChatGptMessage): string | null {
  const content = message.content;
  if (!content || content.content_type !== 'thoughts' || !Array.isArray(content.thoughts)) return null;
  const text = content.thoughts
    .map((t) => (isRecord(t) ? [t.summary, t.content].filter((x) => typeof x === 'string' && x).join('\n\n') : ''))
    .filter(Boolean)
    .join('\n\n');
  return text || null;
}

/** One ChatGPT conversation: the branch that ends at `current_node` (what the user last saw), in order. */
export function fromChatGpt(raw: unknown, index: number): Conversation {
  const title = isRecord(raw) && typeof raw.title === 'string' ? raw.title : '';
  const parsed = chatGptConversation.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badConversation(index, title, { reason: 'field', field: issue ? issue.path.join('.') : '' });
  }
  const c = parsed.data;
  const sourceId = c.conversation_id ?? c.id;
  if (!sourceId) throw badConversation(index, title, { reason: 'noId' });
  const mapping = c.mapping;
  let leaf = c.current_node ?? null;
  if (leaf === null || !(leaf in mapping)) {
    if (leaf !== null) throw badConversation(index, title, { reason: 'currentMissing', message: leaf });
    // No current message recorded: the newest message that nothing follows.
    const parents = new Set(Object.values(mapping).map((n) => n.parent).filter(Boolean));
    leaf =
      Object.keys(mapping)
        .filter((id) => !parents.has(id))
        .sort((a, b) => (mapping[b]!.message?.create_time ?? 0) - (mapping[a]!.message?.create_time ?? 0))[0] ?? null;
  }
  const branch: ChatGptMessage[] = [];
  const visited = new Set<string>();
  for (let id = leaf; id !== null && id !== undefined; id = mapping[id]?.parent ?? null) {
    if (visited.has(id)) throw badConversation(index, title, { reason: 'loop' });
    visited.add(id);
    const node = mapping[id];
    if (!node) throw badConversation(index, title, { reason: 'messageMissing', message: id });
    if (node.message) branch.push(node.message);
  }
  branch.reverse();
  const created = isoOf(c.create_time, new Date(0).toISOString());
  const messages: Message[] = [];
  let reasoning: string[] = [];
  for (const message of branch) {
    const role = message.author.role;
    if (role === 'assistant') {
      const thoughts = thoughtsOf(message);
      if (thoughts) {
        reasoning.push(thoughts);
        continue;
      }
    }
    if (role !== 'user' && role !== 'assistant') continue; // system prompts, tool output
    const shown = textOf(message);
    if (!shown) continue;
    const meta = message.metadata ?? {};
    const model = typeof meta.model_slug === 'string' ? meta.model_slug : undefined;
    const next: Message = {
      id: idFrom('cg-', message.id),
      role,
      content: shown.text,
      status: 'complete',
      createdAt: isoOf(message.create_time, messages[messages.length - 1]?.createdAt ?? created),
      ...(role === 'assistant' && model ? { model } : {}),
      ...(role === 'assistant' && reasoning.length > 0 ? { reasoning: reasoning.join('\n\n') } : {}),
      ...(shown.attachments.length > 0
        ? { annotations: shown.attachments.map((name) => ({ type: 'file_path' as const, text: name, fileId: name })) }
        : {}),
    };
    if (role === 'assistant') reasoning = [];
    // ChatGPT splits one reply into several nodes around tool calls: they read as one reply.
    const previous = messages[messages.length - 1];
    if (previous && previous.role === 'assistant' && role === 'assistant') {
      messages[messages.length - 1] = { ...previous, content: `${previous.content}\n\n${next.content}` };
      continue;
    }
    messages.push(next);
  }
  return {
    id: idFrom('chatgpt-', sourceId),
    title: title.trim() || 'ChatGPT conversation',
    providerId: null,
    model: c.default_model_slug ?? '',
    createdAt: created,
    updatedAt: isoOf(c.update_time, created),
    messages,
  };
}
