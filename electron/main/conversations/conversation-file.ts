/**
 * The on-disk shape of one conversation file, checked on every read: a file edited by hand, cut short or
 * written by a newer version must be detected, never trusted blindly into the UI.
 */
import { z } from 'zod';
import type { Conversation } from '../../../shared/models/conversation';
import { readStoredSettings } from '../../../shared/models/generation-settings';

export const CONVERSATION_FILE_VERSION = 1;

const appErrorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    retryable: z.boolean().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .loose();

const routeAttemptSchema = z.object({
  providerId: z.string(),
  providerName: z.string(),
  model: z.string(),
  keyLabel: z.string().optional(),
  keyHint: z.string().optional(),
  reason: z.enum(['rate-limited', 'cooling', 'invalid-key', 'unavailable', 'stateful', 'no-key', 'missing']),
  errorCode: z.string().optional(),
  detail: z.string().optional(),
  until: z.string().optional(),
});

const replyRouteSchema = z.object({
  providerId: z.string(),
  providerName: z.string(),
  model: z.string(),
  keyLabel: z.string().optional(),
  keyHint: z.string().optional(),
  attempts: z.array(routeAttemptSchema),
  exhausted: z.boolean().optional(),
  failed: z.boolean().optional(),
});

const messageSchema = z
  .object({
    id: z.string().min(1),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    reasoning: z.string().optional(),
    status: z.enum(['complete', 'streaming', 'stopped', 'failed']),
    createdAt: z.string(),
    providerId: z.string().optional(),
    model: z.string().optional(),
    usage: z
      .object({
        promptTokens: z.number(),
        completionTokens: z.number(),
        totalTokens: z.number(),
        reasoningTokens: z.number().optional(),
      })
      .optional(),
    finishReason: z.string().optional(),
    error: appErrorSchema.optional(),
    annotations: z
      .array(
        z.object({
          type: z.enum(['file_citation', 'file_path']),
          text: z.string(),
          fileId: z.string(),
          quote: z.string().optional(),
        }),
      )
      .optional(),
    settings: z.unknown().transform(readStoredSettings).optional(),
    omittedParameters: z.array(z.string()).optional().catch(undefined),
    // Who answered (key pools and fallbacks); a damaged record is dropped, the reply kept.
    route: replyRouteSchema.optional().catch(undefined),
  })
  .loose();

/**
 * Tool fields (issue 19) arrived without a version bump, like settings: a damaged one is dropped on its own
 * (a reply keeps its text) rather than reaching a window that would fail to draw it.
 */
const toolCallSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    serverId: z.string(),
    serverName: z.string(),
    tool: z.string(),
    arguments: z.string(),
    state: z.enum(['pending', 'running', 'done', 'error', 'denied', 'cancelled']),
    result: z.string().optional(),
    message: z.string().optional(),
  })
  .loose();
const toolRoundsSchema = z.array(z.object({ contentLength: z.number().int().nonnegative(), calls: z.array(toolCallSchema) }).loose());
const conversationToolsSchema = z.object({ serverIds: z.array(z.string()), disabledTools: z.array(z.string()).optional() });

function readStoredTools(conversation: Conversation): void {
  const fields = conversation as { tools?: unknown; toolApprovals?: unknown };
  if (fields.tools !== undefined && !conversationToolsSchema.safeParse(fields.tools).success) delete fields.tools;
  if (fields.toolApprovals !== undefined && !z.array(z.string()).safeParse(fields.toolApprovals).success) delete fields.toolApprovals;
  for (const message of conversation.messages) {
    if (message.toolRounds !== undefined && !toolRoundsSchema.safeParse(message.toolRounds).success) delete message.toolRounds;
  }
}

/** What a conversation file and its index entry both carry. */
const conversationHeaderSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  providerId: z.string().nullable(),
  model: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  threadId: z.string().optional(),
  threadProviderId: z.string().optional(),
  // The conversation's own fallbacks (key pools and failover); a damaged list means its provider's.
  fallbacks: z.array(z.object({ providerId: z.string().min(1), model: z.string() })).max(50).optional().catch(undefined),
});

export const conversationSchema = conversationHeaderSchema
  .extend({ version: z.number().int().optional(), messages: z.array(messageSchema) })
  .loose();

/** Parses a conversation file. Throws on anything that is not a readable conversation. */
export function parseConversationFile(text: string, expectedId: string): Conversation {
  return checkedConversation(conversationSchema.parse(JSON.parse(text)), expectedId);
}

/** Messages above which `parseConversationFileInSlices` checks them in slices. */
const SLICED_ABOVE = 1000;
const headerOnlySchema = conversationHeaderSchema
  .extend({ version: z.number().int().optional(), messages: z.array(z.unknown()) })
  .loose();

/**
 * `parseConversationFile` for main's reads: the messages of a long conversation are checked a slice at a
 * time (at most `sliceMs`, then other work runs). Checking 10,000 messages at once held main for ~50 ms
 * of the ~100 ms stall a search index build showed when it read the longest conversation (profiled).
 */
export async function parseConversationFileInSlices(text: string, expectedId: string, sliceMs = 8): Promise<Conversation> {
  const raw: unknown = JSON.parse(text);
  const header = headerOnlySchema.parse(raw);
  if (header.messages.length <= SLICED_ABOVE) return checkedConversation(conversationSchema.parse(raw), expectedId);
  const messages: z.infer<typeof messageSchema>[] = new Array(header.messages.length);
  let start = performance.now();
  for (let i = 0; i < header.messages.length; i++) {
    const checked = messageSchema.safeParse(header.messages[i]);
    if (!checked.success) throw new Error(`message ${i}: ${checked.error.message}`);
    messages[i] = checked.data;
    if (performance.now() - start > sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      start = performance.now();
    }
  }
  return checkedConversation({ ...header, messages }, expectedId);
}

function checkedConversation(parsed: z.infer<typeof conversationSchema>, expectedId: string): Conversation {
  if (parsed.version !== undefined && parsed.version > CONVERSATION_FILE_VERSION) {
    throw new Error(`conversation file version ${parsed.version} is newer than this app understands`);
  }
  if (parsed.id !== expectedId) throw new Error('conversation id does not match its file name');
  const { version: _version, settings: rawSettings, ...rest } = parsed as typeof parsed & { settings?: unknown };
  const conversation = rest as Conversation;
  // Settings arrived without a version bump: the field is additive, files without it (older versions)
  // mean the server's defaults, and an older version reading a newer file keeps it untouched (loose schema).
  // A damaged field is dropped on its own rather than losing the conversation.
  const settings = readStoredSettings(rawSettings);
  if (settings) conversation.settings = settings;
  readStoredTools(conversation);
  // A reply still `streaming` on disk was cut off by a crash or a quit: nothing will ever finish it.
  for (const message of conversation.messages) {
    if (message.status === 'streaming') message.status = 'stopped';
  }
  return conversation;
}

export function serializeConversation(conversation: Conversation): string {
  return JSON.stringify({ version: CONVERSATION_FILE_VERSION, ...conversation });
}

const summarySchema = conversationHeaderSchema.extend({
  messageCount: z.number().int().nonnegative(),
  settings: z.unknown().transform(readStoredSettings).optional(),
  tools: conversationToolsSchema.optional().catch(undefined),
  toolApprovals: z.array(z.string()).optional().catch(undefined),
});

export const INDEX_VERSION = 1;

/** The summary index: what the list needs, plus enough of each file's identity to notice it changed. */
export const indexSchema = z.object({
  version: z.literal(INDEX_VERSION),
  entries: z.array(
    z.object({
      summary: summarySchema,
      size: z.number().int().nonnegative(),
      mtimeMs: z.number(),
    }),
  ),
});
export type IndexFile = z.infer<typeof indexSchema>;
