/**
 * The IPC contract: every channel the renderer may call, with its input schema and result type, and every
 * event main may push. The preload, the main-side registrar, the browser host and the renderer's typed API
 * are all derived from this one file, so a new channel is one entry here plus one handler.
 */
import { z } from 'zod';
import type { ConnectionTestResult, KeychainStatus, ProviderList, ProviderView } from '../models/provider';
import { CONVERSATION_STATE_MODES, KEY_STRATEGIES, PROVIDER_TYPES } from '../models/provider';
import { MESSAGE_PAGE_MAX } from '../models/conversation';
import { generationSettingsSchema } from '../models/generation-settings';
import type { Conversation, ConversationPage, ConversationSummary, Message, MessagePage, UnsavedReason } from '../models/conversation';
import type { ChatStreamEvent } from '../models/chat-event';
import type { AppError } from '../result';
import type { AppInfo, AppNotice, PreferencesView } from '../models/preferences';
import type { CHANNEL_NAMES, EVENT_NAMES } from './channels';
import { SEARCH_LIMIT_MAX, SEARCH_QUERY_MAX, type SearchResults } from '../models/search';
import { PROMPT_IMPORT_MAX_CHARS, promptDraftSchema, type Prompt, type PromptImportSummary } from '../models/prompts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_MESSAGE_MAX, SHA256_HEX, type AttachmentRef } from '../models/attachments';
import { IMPORT_MAX_CHARS, type ExportOutcome, type ImportProgress, type ImportSummary } from '../models/archive';
import { TOOL_DECISIONS, mcpServerDraftSchema, type McpServerList, type McpServerView } from '../models/tools';

/** A channel: its input schema, and (as a type only) what a successful call returns. */
export interface ChannelSpec<S extends z.ZodType, R> {
  input: S;
  /** Phantom field: carries the result type, never read at run time. */
  readonly result?: R;
}

function channel<S extends z.ZodType>(input: S) {
  return { returns: <R>(): ChannelSpec<S, R> => ({ input }) };
}

const id = z.string().min(1).max(200);
const noInput = z.undefined();

// Field limits guard main against absurd payloads; the UI validates the meaning (shared/validation).
const customHeader = z.object({ name: z.string().max(200), value: z.string().max(8192) });

export const apiKeyChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }),
  z.object({ action: z.literal('set'), value: z.string().max(16_384) }),
  z.object({ action: z.literal('clear') }),
]);

const fallbacksSchema = z.array(z.object({ providerId: id, model: z.string().max(500) })).max(50);

export const providerDraftSchema = z.object({
  id: id.optional(),
  type: z.enum(PROVIDER_TYPES),
  name: z.string().max(200),
  baseUrl: z.string().max(2048),
  model: z.string().max(500),
  assistantId: z.string().max(500),
  customHeaders: z.array(customHeader).max(50),
  runTimeoutMs: z.number().int().min(1000).max(24 * 60 * 60 * 1000).optional(),
  // OpenAI Responses only (optional, so drafts of the other types are unchanged).
  instructions: z.string().max(100_000).optional(),
  conversationState: z.enum(CONVERSATION_STATE_MODES).optional(),
  defaults: generationSettingsSchema.optional(),
  apiKey: apiKeyChangeSchema,
  // Key pools and fallbacks (optional: a draft without them keeps what is saved).
  keys: z.array(z.object({ id: id.optional(), label: z.string().max(200), value: z.string().max(16_384).optional() })).max(50).optional(),
  keyStrategy: z.enum(KEY_STRATEGIES).optional(),
  fallbacks: fallbacksSchema.optional(),
});

/** A reference to a stored attachment, as `attachments:add` answered it (main checks the blob exists). */
export const attachmentRefSchema = z.object({
  id: z.string().regex(SHA256_HEX),
  name: z.string().min(1).max(200),
  mime: z.string().min(1).max(100),
  size: z.number().int().min(0).max(ATTACHMENT_MAX_BYTES),
  kind: z.enum(['image', 'text']),
  width: z.number().int().min(1).max(100_000).optional(),
  height: z.number().int().min(1).max(100_000).optional(),
});
const attachmentRefs = z.array(attachmentRefSchema).max(ATTACHMENTS_PER_MESSAGE_MAX);
/** Text, attachments, or both: a message with only an image is fine, an empty one is not. */
const hasTextOrAttachments = (input: { text: string; attachments?: unknown[] | undefined }) =>
  input.text.trim() !== '' || (input.attachments?.length ?? 0) > 0;
const sendText = z.string().max(1_000_000);

export const contract = {
  // ---- app ----
  'app:info': channel(noInput).returns<AppInfo>(),
  'app:openSettings': channel(noInput).returns<void>(),
  'app:openChat': channel(noInput).returns<void>(),
  'app:openExternal': channel(z.object({ url: z.string().max(8192) })).returns<void>(),
  'app:getPreferences': channel(noInput).returns<PreferencesView>(),
  'app:setPreferences': channel(z.object({ language: z.enum(['system', 'en', 'zh-TW']) })).returns<PreferencesView>(),
  'app:notices': channel(noInput).returns<AppNotice[]>(),
  'app:dismissNotice': channel(z.object({ id })).returns<void>(),
  /** The window's page listens for `app:command` now; main delivers the commands it held for it. */
  'app:windowReady': channel(noInput).returns<void>(),

  // ---- providers ----
  'providers:list': channel(noInput).returns<ProviderList>(),
  'providers:save': channel(providerDraftSchema).returns<ProviderView>(),
  'providers:delete': channel(z.object({ id })).returns<void>(),
  'providers:duplicate': channel(z.object({ id })).returns<ProviderView>(),
  'providers:test': channel(providerDraftSchema).returns<ConnectionTestResult>(),
  'providers:listModels': channel(providerDraftSchema).returns<{ models: string[] }>(),
  'providers:keychainStatus': channel(noInput).returns<KeychainStatus>(),
  /** The explicit choice to keep keys in memory for this session when the keychain is unavailable. */
  'providers:setSessionOnlyKeys': channel(z.object({ enabled: z.boolean() })).returns<KeychainStatus>(),

  // ---- conversations ----
  'conversations:list': channel(z.object({ query: z.string().max(500).optional() }).optional()).returns<
    ConversationSummary[]
  >(),
  /** The conversation with its latest `limit` messages (default MESSAGE_PAGE_SIZE) and how many come before. */
  'conversations:get': channel(
    z.object({ id, limit: z.number().int().min(0).max(MESSAGE_PAGE_MAX).optional() }),
  ).returns<ConversationPage>(),
  /**
   * Older messages: up to `limit` right before the message `before` (the oldest one the window has).
   * NOT_FOUND with params.context 'message' when that message is gone (the window then reads the latest again).
   */
  'conversations:messages': channel(
    z.object({ id, before: id, limit: z.number().int().min(1).max(MESSAGE_PAGE_MAX).optional() }),
  ).returns<MessagePage>(),
  'conversations:create': channel(
    z.object({ providerId: id.optional(), model: z.string().max(500).optional() }).optional(),
  ).returns<Conversation>(),
  'conversations:rename': channel(z.object({ id, title: z.string().min(1).max(500) })).returns<ConversationSummary>(),
  'conversations:setProvider': channel(
    z.object({ id, providerId: id, model: z.string().max(500) }),
  ).returns<ConversationSummary>(),
  /** The conversation's system prompt and parameters (replaces them all; out-of-range values are refused). */
  'conversations:setSettings': channel(z.object({ id, settings: generationSettingsSchema })).returns<Conversation>(),
  /** The conversation's own fallbacks (empty: none), or null to use its provider's. */
  'conversations:setFallbacks': channel(z.object({ id, fallbacks: fallbacksSchema.nullable() })).returns<ConversationSummary>(),
  'conversations:delete': channel(
    z.object({ id, deleteRemoteThread: z.boolean().optional() }),
  ).returns<{ remoteThreadDeleted: boolean; remoteError?: AppError }>(),

  // ---- chat ----
  'chat:send': channel(
    z.object({ conversationId: id, text: sendText, attachments: attachmentRefs.optional() }).refine(hasTextOrAttachments, {
      message: 'A message needs text or an attachment.',
    }),
  ).returns<{
    streamId: string;
    userMessage: Message;
    assistantMessage: Message;
  }>(),
  'chat:stop': channel(z.object({ conversationId: id })).returns<{ stopped: boolean }>(),
  /** Replace the last assistant reply with a new one (also the Retry button after an error). */
  'chat:regenerate': channel(z.object({ conversationId: id })).returns<{
    streamId: string;
    assistantMessage: Message;
  }>(),
  /** The server refused a parameter (PARAMETER_REJECTED): leave it out for this provider and model, and answer again. */
  'chat:sendWithout': channel(
    z.object({ conversationId: id, parameter: z.string().min(1).max(100).regex(/^[A-Za-z_][\w.]*$/) }),
  ).returns<{ streamId: string; assistantMessage: Message }>(),
  /** Edit the last user message and resend it; later messages are dropped. */
  /** Attachments of the edited message are kept (`attachments` replaces them when given). */
  'chat:editAndResend': channel(
    z.object({ conversationId: id, messageId: id, text: sendText, attachments: attachmentRefs.optional() }),
  ).returns<{
    streamId: string;
    userMessage: Message;
    assistantMessage: Message;
  }>(),
  /** A window that (re)loads asks for the reply streaming in a conversation, then receives the rest. */
  'chat:attach': channel(z.object({ conversationId: id })).returns<{
    active: { streamId: string; message: Message } | null;
  }>(),

  // ---- attachments ----
  /**
   * A file's bytes (base64, never a path) and name: main detects the type from the bytes, refuses what it
   * cannot send (one sentence naming the type), stores the rest and answers the reference to send with.
   */
  'attachments:add': channel(
    z.object({
      name: z.string().max(1000),
      data: z.string().max(Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4 + 4),
    }),
  ).returns<AttachmentRef>(),
  /** A stored attachment's bytes (base64), to show a sent image. */
  'attachments:read': channel(z.object({ id: z.string().regex(SHA256_HEX) })).returns<{ data: string }>(),

  // ---- search ----
  /** Every message and title matching the query (reasoning too when asked), best or newest first. */
  'search:query': channel(
    z.object({
      query: z.string().max(SEARCH_QUERY_MAX),
      sort: z.enum(['relevance', 'newest']).optional(),
      includeReasoning: z.boolean().optional(),
      limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
    }),
  ).returns<SearchResults>(),

  // ---- archive (export, import) ----
  'archive:export': channel(
    z.object({ id, format: z.enum(['markdown', 'json', 'html']), language: z.enum(['en', 'zh-TW']) }),
  ).returns<ExportOutcome>(),
  /** Every conversation in one zip (our JSON plus a Markdown file each). */
  'archive:exportAll': channel(z.object({ language: z.enum(['en', 'zh-TW']) })).returns<ExportOutcome>(),
  /** A file's bytes (never a path): our JSON or zip, or ChatGPT's conversations.json or zip. All or nothing. */
  'archive:import': channel(
    z.object({
      fileName: z.string().max(500),
      encoding: z.enum(['utf8', 'base64']),
      data: z.string().max(IMPORT_MAX_CHARS),
      /** Names the `archive:importProgress` events of this import. */
      importId: z.string().min(1).max(100).optional(),
    }),
  ).returns<ImportSummary>(),

  // ---- prompt library ----
  'prompts:list': channel(noInput).returns<Prompt[]>(),
  /** Without `id` a new prompt; with it, an edit. */
  'prompts:save': channel(promptDraftSchema).returns<Prompt>(),
  'prompts:delete': channel(z.object({ id })).returns<void>(),
  'prompts:duplicate': channel(z.object({ id })).returns<Prompt>(),
  /** A library file's text (our export format): all of its prompts are added, or none (one sentence says why). */
  'prompts:import': channel(
    z.object({ fileName: z.string().max(500), data: z.string().max(PROMPT_IMPORT_MAX_CHARS) }),
  ).returns<PromptImportSummary>(),
  /** The whole library as our JSON: saved through the save dialog, or handed back to download. */
  'prompts:export': channel(noInput).returns<ExportOutcome>(),

  // ---- MCP servers and tools ----
  'mcp:list': channel(noInput).returns<McpServerList>(),
  /** Without `id` a new server; with it, an edit (a running server restarts with the new settings). */
  'mcp:save': channel(mcpServerDraftSchema).returns<McpServerView>(),
  'mcp:delete': channel(z.object({ id })).returns<void>(),
  'mcp:restart': channel(z.object({ id })).returns<void>(),
  /** Allow a tool everywhere, or revoke that (`key`: `serverId/toolName`). */
  'mcp:setAllowed': channel(z.object({ key: z.string().min(1).max(500), allowed: z.boolean() })).returns<McpServerList>(),
  /** The user's decision on a tool call waiting in a reply. */
  'chat:decideTool': channel(z.object({ conversationId: id, callId: z.string().min(1).max(500), decision: z.enum(TOOL_DECISIONS) })).returns<void>(),
  /** The MCP servers whose tools the conversation offers its model (none: an empty list). */
  'conversations:setTools': channel(
    z.object({
      id,
      serverIds: z.array(id).max(100),
      disabledTools: z.array(z.string().min(1).max(500)).max(1000).optional(),
      /** The tools still always allowed in this conversation (a subset of what it has: revoking only). */
      toolApprovals: z.array(z.string().min(1).max(500)).max(1000).optional(),
    }),
  ).returns<{ serverIds: string[]; disabledTools?: string[] }>(),
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelResult<C extends ChannelName> = Exclude<Contract[C]['result'], undefined>;

/** Events main pushes to renderers. */
export interface EventPayloads {
  /** Coalesced stream deltas, only to the window that asked (or re-attached). */
  'chat:event': ChatStreamEvent;
  /**
   * A finished reply could not be saved (`saved: false`, with why: the window says so and offers to copy
   * it) or, later, was saved after all (`saved: true`). Broadcast: any window may show the conversation.
   */
  'chat:saveState': { conversationId: string; messageId: string; saved: boolean; reason?: UnsavedReason };
  /** Broadcast to every window when providers change, so the Chat window follows Settings live. */
  'providers:changed': ProviderList;
  /** Broadcast when a conversation is created, renamed, re-targeted, updated or deleted. */
  'conversations:changed': { summary?: ConversationSummary; deletedId?: string };
  'app:preferencesChanged': PreferencesView;
  /** Broadcast with the whole list when a notice arises after start-up (e.g. a damaged conversation moved aside). */
  'app:noticesChanged': AppNotice[];
  /** Main asks the Chat window to start a new conversation (app menu, Ctrl/Cmd+N). */
  'app:command': { command: 'new-chat' | 'open-settings' };
  /** Broadcast with the whole library whenever a prompt is added, changed or removed. */
  'prompts:changed': Prompt[];
  /** How far an import has come, to the window that started it. */
  'archive:importProgress': ImportProgress;
  /** Broadcast with the whole list when an MCP server changes (saved, status, tools) or an approval is revoked. */
  'mcp:changed': McpServerList;
}
export type EventName = keyof EventPayloads;

// Compile-time checks that the plain name lists used by the preload match the contract.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelNamesMatch: Same<(typeof CHANNEL_NAMES)[number], ChannelName> = true;
const eventNamesMatch: Same<(typeof EVENT_NAMES)[number], EventName> = true;
void channelNamesMatch;
void eventNamesMatch;
