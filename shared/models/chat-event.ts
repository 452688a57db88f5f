import type { AppError } from '../result';
import type { MessageAnnotation, MessageStatus, ReplyRoute, TokenUsage } from './conversation';
import type { ToolRound } from './tools';

/**
 * Why an automatic retry waits: the server limits the request rate (429), or it is unavailable for now and
 * said when to come back (503 with `retry-after`, e.g. a server still loading the model).
 */
export type RetryReason = 'rate-limited' | 'unavailable';

/**
 * What a provider adapter yields while a reply is generated. The chat service turns these into
 * coalesced `chat:event` pushes and into persisted message updates.
 */
export type ChatEvent =
  | { type: 'delta'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'usage'; usage: TokenUsage }
  /** A short status line (e.g. "Running code interpreter…"); null clears it. */
  | { type: 'status'; code: string | null; text: string | null }
  | { type: 'annotations'; annotations: MessageAnnotation[] }
  /** Waiting before an automatic retry: seconds until the next attempt (no `reason` means rate-limited). */
  | { type: 'retry-wait'; attempt: number; seconds: number; reason?: RetryReason }
  /** The adapter discarded partial text (a retry restarted the reply). */
  | { type: 'reset' }
  | { type: 'done'; finishReason: string | null }
  /** The model asks for these function calls (assembled from the stream); the tool loop answers them. */
  | { type: 'tool-calls'; calls: ModelToolCall[]; inline?: boolean }
  /** The tool loop's state changed (a call asked, approved, ran …): the whole list of rounds so far. */
  | { type: 'tool-rounds'; rounds: ToolRound[] }
  /** Tools the conversation chose could not be offered for this reply (one sentence). */
  | { type: 'tool-notice'; text: string }
  | { type: 'error'; error: AppError };

/** A function call as the model wrote it. */
export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * One coalesced push to the window that asked (about one per animation frame per stream).
 * Text fields are appended to what the window already has.
 */
export interface ChatStreamEvent {
  streamId: string;
  conversationId: string;
  messageId: string;
  /** Text appended since the previous event. */
  contentDelta?: string;
  reasoningDelta?: string;
  /** The whole text so far replaces what the window has (after a reset, or on re-attach). */
  replaceContent?: string;
  replaceReasoning?: string;
  usage?: TokenUsage;
  statusLine?: { code: string | null; text: string | null };
  annotations?: MessageAnnotation[];
  retryWait?: { attempt: number; seconds: number; reason?: RetryReason } | null;
  /** Who is answering (or, at the end, that no one could) and what was tried before. */
  route?: ReplyRoute;
  /** The reply's tool rounds as they are now (replaces what the window has). */
  toolRounds?: ToolRound[];
  toolNotice?: string;
  /** Present on the final event of the stream. */
  final?: { status: Exclude<MessageStatus, 'streaming'>; finishReason?: string; error?: AppError };
}
