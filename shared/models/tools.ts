/**
 * MCP servers and the tool calls a model makes through them. Configs hold no secrets: an environment
 * variable or header whose name looks secret (isSecretHeaderName) keeps its value in the OS keychain, and
 * the config keeps it empty (like a provider's custom headers).
 */
import { z } from 'zod';

export const MCP_TRANSPORTS = ['stdio', 'http'] as const;
export type McpTransport = (typeof MCP_TRANSPORTS)[number];

export interface NameValue {
  name: string;
  value: string;
}

export interface McpServerConfig {
  id: string;
  name: string;
  enabled: boolean;
  transport: McpTransport;
  /** stdio: the program the user configured, run as given (never a shell line). */
  command: string;
  args: string[];
  cwd: string;
  env: NameValue[];
  /** http: the Streamable HTTP endpoint. */
  url: string;
  headers: NameValue[];
}

const nameValue = z.object({ name: z.string().max(200), value: z.string().max(8192) });

/** A server as Settings sends it; a secret value sent back masked keeps the stored one. */
export const mcpServerDraftSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  name: z.string().max(200),
  enabled: z.boolean(),
  transport: z.enum(MCP_TRANSPORTS),
  command: z.string().max(4096),
  args: z.array(z.string().max(4096)).max(100),
  cwd: z.string().max(4096),
  env: z.array(nameValue).max(100),
  url: z.string().max(2048),
  headers: z.array(nameValue).max(50),
});
export type McpServerDraft = z.infer<typeof mcpServerDraftSchema>;

export type McpServerState = 'stopped' | 'starting' | 'ready' | 'error';

export interface McpToolInfo {
  /** The tool's own name on its server. */
  name: string;
  description: string;
  /** The tool's JSON schema for its arguments. */
  inputSchema: Record<string, unknown>;
}

export interface McpServerStatus {
  state: McpServerState;
  /** With `error`: one sentence for the user. */
  message?: string;
  tools: McpToolInfo[];
  /** Restarts after a crash so far (reset once ready). */
  restarts: number;
}

/** A server as Settings shows it: secret values masked. */
export interface McpServerView extends McpServerConfig {
  status: McpServerStatus;
}

export interface McpServerList {
  servers: McpServerView[];
  /** Tools the user allowed everywhere ("Always allow", globally): `serverId/toolName`. */
  alwaysAllowed: string[];
  /** One sentence per tool name several running servers share (they are namespaced for the model). */
  collisions?: string[];
}

/** Which servers a conversation offers to its model (absent: none), and tools of them it leaves out. */
export interface ConversationTools {
  serverIds: string[];
  /** Tools of those servers not offered: `serverId/toolName`. */
  disabledTools?: string[];
}

export type ToolDecision = 'once' | 'always-conversation' | 'always-global' | 'deny';
export const TOOL_DECISIONS = ['once', 'always-conversation', 'always-global', 'deny'] as const;

export type ToolCallState = 'pending' | 'running' | 'done' | 'error' | 'denied' | 'cancelled';

/** One call the model asked for, saved with the reply. */
export interface ToolCallRecord {
  /** The model's call id (Chat Completions `tool_calls[].id`, Responses `call_id`, Assistants tool call id). */
  id: string;
  /** The name the model used (namespaced when two servers have a tool of that name). */
  name: string;
  serverId: string;
  serverName: string;
  tool: string;
  /** The arguments JSON as the model wrote it. */
  arguments: string;
  state: ToolCallState;
  /** The tool's text result, in full (the model may have had a truncated copy). */
  result?: string;
  /** A sentence about what went wrong (denied, timeout, invalid arguments, server error …). */
  message?: string;
}

/** One tool round of a reply: the text written before the calls (`contentLength` chars of content), then the calls. */
export interface ToolRound {
  contentLength: number;
  calls: ToolCallRecord[];
}
