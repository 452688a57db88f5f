import type { AppError } from '../result';
import type { AttachmentRef } from './attachments';
import type { GenerationSettings } from './generation-settings';
import type { FallbackTarget } from './provider';
import type { ConversationTools, ToolRound } from './tools';

export type MessageRole = 'user' | 'assistant';

/** `streaming` only while a reply is being generated; after a crash it is read back as `stopped`. */
export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'failed';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
}

/** A file citation or path from an Assistant reply, rendered readably under the message. */
export interface MessageAnnotation {
  type: 'file_citation' | 'file_path';
  text: string;
  fileId: string;
  quote?: string;
}

export interface Message {
  id: string;
  role: MessageRole;
  content: string;
  /** Reasoning ("Thinking"), shown apart from the answer and never sent back to the model. */
  reasoning?: string;
  status: MessageStatus;
  createdAt: string;
  /** Which provider/model produced an assistant message. */
  providerId?: string;
  model?: string;
  usage?: TokenUsage;
  /** `stop`, `length`, `content_filter`, … as the server said. */
  finishReason?: string;
  error?: AppError;
  annotations?: MessageAnnotation[];
  /** A user message: its attached files, by reference to main's attachment store (never their bytes). */
  attachments?: AttachmentRef[];
  /** A reply: the conversation's system prompt and parameters in effect when it was requested ("what was sent"). */
  settings?: GenerationSettings;
  /** A reply: request parameters left out because the provider refused them for this model ("Send without it"). */
  omittedParameters?: string[];
  /** A reply: who answered it and what was tried before (several keys or fallbacks; see providers/routing). */
  route?: ReplyRoute;
  /** A reply: the tool calls the model made, round by round, with their results (see models/tools.ts). */
  toolRounds?: ToolRound[];
  /** A reply: why tools the conversation chose were not offered (their server is not running). */
  toolNotice?: string;
  /**
   * Never saved: main sets it on a reply it holds in memory because its final save failed (a full disk),
   * so a window shows it as not saved yet. Only in what main sends, never in a file.
   */
  unsaved?: UnsavedReason;
}

/** Why one way to answer was passed over: a key cooling or rejected, a server down, a thread that cannot move. */
export type SkipReason = 'rate-limited' | 'cooling' | 'invalid-key' | 'unavailable' | 'stateful' | 'no-key' | 'missing';

/** One provider + model (+ key) that was tried or passed over before the answer (or before giving up). */
export interface RouteAttempt {
  providerId: string;
  providerName: string;
  model: string;
  keyLabel?: string;
  /** `…abcd` */
  keyHint?: string;
  reason: SkipReason;
  /** The failure's code and English sentence, when a request was made. */
  errorCode?: string;
  detail?: string;
  /** Cooling keys: until when. */
  until?: string;
}

/** Who answered a reply ("answered by Provider · model, key …abcd") and what was tried before. */
export interface ReplyRoute {
  providerId: string;
  providerName: string;
  model: string;
  keyLabel?: string;
  keyHint?: string;
  /** Tried or passed over before this one, in order. */
  attempts: RouteAttempt[];
  /** No one answered: every way was tried (the reply's error says so). */
  exhausted?: boolean;
  /** This one was asked after the others and refused the request itself (its error is the reply's). */
  failed?: boolean;
}

/** Why a finished reply is held in memory, not yet on disk. */
export type UnsavedReason = 'disk-full' | 'write-failed';

export interface Conversation {
  id: string;
  title: string;
  providerId: string | null;
  model: string;
  createdAt: string;
  updatedAt: string;
  messages: Message[];
  /**
   * The state a server keeps for this conversation, saved with it and reused for every later message: an
   * Assistants API thread id, or a Responses API conversation id (its provider kind decides which).
   */
  threadId?: string;
  /** Provider the server-side state belongs to (it cannot move between servers). */
  threadProviderId?: string;
  /** System prompt and parameters of this conversation; absent (files of older versions) = server defaults. */
  settings?: GenerationSettings;
  /** This conversation's own fallbacks (empty: none); absent = its provider's. */
  fallbacks?: FallbackTarget[];
  /** The MCP servers whose tools this conversation offers to its model; absent = none. */
  tools?: ConversationTools;
  /** Tools the user chose to always allow in this conversation: `serverId/toolName`. */
  toolApprovals?: string[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  providerId: string | null;
  model: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
  threadId?: string;
  /** The provider that owns `threadId` (an Assistants thread or a Responses conversation). */
  threadProviderId?: string;
  /** The conversation's system prompt and parameters, when it has any (the header shows it). */
  settings?: GenerationSettings;
  /** The conversation's own fallbacks, when it has them (the settings panel shows them). */
  fallbacks?: FallbackTarget[];
  /** The MCP servers the conversation offers its model, when any. */
  tools?: ConversationTools;
  /** Tools always allowed in this conversation (`serverId/toolName`), when any. */
  toolApprovals?: string[];
}

/**
 * Messages travel in pages: a long conversation opens with its latest messages and loads older ones as the
 * user scrolls up, so opening 10,000 messages costs what opening a hundred does.
 */
export const MESSAGE_PAGE_SIZE = 100;
/** The most messages one `conversations:get` or `conversations:messages` call returns. */
export const MESSAGE_PAGE_MAX = 1000;

/** `conversations:get`: the conversation with only its latest messages (`messages`, oldest first). */
export interface ConversationPage extends Conversation {
  /** How many messages come before `messages[0]` (0 when all are here); load them with `conversations:messages`. */
  olderCount: number;
}

/** `conversations:messages`: the messages right before a given one, oldest first. */
export interface MessagePage {
  messages: Message[];
  /** How many messages come before `messages[0]`. */
  olderCount: number;
}

/** The list entry of a conversation (main's index, `conversations:changed`, the sidebar). */
export function summarizeConversation(conversation: Conversation): ConversationSummary {
  return {
    id: conversation.id,
    title: conversation.title,
    providerId: conversation.providerId,
    model: conversation.model,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    messageCount: conversation.messages.length,
    ...(conversation.threadId ? { threadId: conversation.threadId } : {}),
    ...(conversation.threadId && conversation.threadProviderId ? { threadProviderId: conversation.threadProviderId } : {}),
    ...(conversation.settings ? { settings: structuredClone(conversation.settings) } : {}),
    ...(conversation.fallbacks ? { fallbacks: structuredClone(conversation.fallbacks) } : {}),
    ...(conversation.tools ? { tools: structuredClone(conversation.tools) } : {}),
    ...(conversation.toolApprovals?.length ? { toolApprovals: [...conversation.toolApprovals] } : {}),
  };
}
