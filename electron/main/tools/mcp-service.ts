/**
 * MCP servers and tools for the rest of main: the `mcp:*` channels (Settings), the user's decisions on
 * calls (`chat:decideTool`), the servers a conversation offers (`conversations:setTools`), and, for the
 * chat service, the tools and tool-loop dependencies of a turn.
 */
import { summarizeConversation, type Conversation } from '../../../shared/models/conversation';
import type { McpServerList, McpServerView, ToolCallRecord, ToolDecision } from '../../../shared/models/tools';
import { AppFailure } from '../../../shared/result';
import type { ConversationStore } from '../conversations/conversation-store';
import type { CallContext, Handlers } from '../ipc/dispatcher';
import type { EventSink } from '../ipc/events';
import type { Logger } from '../logger';
import type { ToolSpec } from '../providers/provider-kind';
import type { KeyVault } from '../secrets/key-vault';
import { sdkConnector, type McpConnector } from './mcp-connection';
import { McpServerStore } from './mcp-server-store';
import { McpSupervisor, type SupervisorTimers } from './mcp-supervisor';
import { ToolApprovals } from './tool-approvals';
import { buildCatalog, toolSpecs, type OfferedTool } from './tool-catalog';
import type { ToolLoopDeps } from './tool-loop';

export interface McpServiceDeps {
  dataDir: string;
  vault: KeyVault;
  conversations: ConversationStore;
  events: EventSink;
  log: Logger;
  connect?: McpConnector;
  timers?: SupervisorTimers;
  startTimeoutMs?: number;
  restartDelaysMs?: readonly number[];
  /** Bound on one tool call. */
  callTimeoutMs?: number;
  /** Tool rounds allowed in one reply. */
  maxRounds?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_ROUNDS = 10;

/** What a turn needs to offer tools: the functions and the loop's dependencies (null: none to offer), and why some are missing. */
export interface TurnTools {
  specs: ToolSpec[];
  loop: ToolLoopDeps | null;
  notice: string | null;
}

export function allowKey(tool: Pick<OfferedTool, 'serverId' | 'tool'>): string {
  return `${tool.serverId}/${tool.tool.name}`;
}

export class McpService {
  readonly store: McpServerStore;
  private readonly supervisor: McpSupervisor;
  private readonly approvals = new ToolApprovals();

  constructor(private readonly deps: McpServiceDeps) {
    this.store = new McpServerStore({ dataDir: deps.dataDir, vault: deps.vault, log: deps.log });
    this.supervisor = new McpSupervisor({
      connect: deps.connect ?? sdkConnector,
      resolve: (config) => this.store.resolve(config),
      onStatus: () => void this.broadcast(),
      log: deps.log,
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.startTimeoutMs !== undefined ? { startTimeoutMs: deps.startTimeoutMs } : {}),
      ...(deps.restartDelaysMs ? { restartDelaysMs: deps.restartDelaysMs } : {}),
    });
  }

  /** Starts the enabled servers (after start-up). */
  start(): void {
    this.supervisor.sync(this.store.list());
  }

  async list(): Promise<McpServerList> {
    const servers: McpServerView[] = [];
    for (const config of this.store.list()) servers.push({ ...(await this.store.masked(config)), status: this.supervisor.status(config.id) });
    const collisions = buildCatalog(this.readyServers(this.store.list().map((s) => s.id))).collisions;
    return { servers, alwaysAllowed: this.store.alwaysAllowed(), ...(collisions.length > 0 ? { collisions } : {}) };
  }

  private async broadcast(): Promise<void> {
    try {
      this.deps.events.broadcast('mcp:changed', await this.list());
    } catch (error) {
      this.deps.log.warn('mcp', 'could not send the MCP server list', error);
    }
  }

  private readyServers(ids: readonly string[]) {
    return ids.flatMap((id) => {
      const config = this.store.get(id);
      const status = this.supervisor.status(id);
      return config && config.enabled && status.state === 'ready' ? [{ id, name: config.name, tools: status.tools }] : [];
    });
  }

  /** A sentence naming the chosen servers that are not running (their tools are not offered), or null. */
  private missingNotice(ids: readonly string[]): string | null {
    const missing = ids.flatMap((id) => {
      const config = this.store.get(id);
      if (!config || this.supervisor.status(id).state === 'ready') return [];
      return [`“${config.name}”`];
    });
    if (missing.length === 0) return null;
    return missing.length === 1
      ? `The tools of ${missing[0]} were not offered: the server is not running (see Settings › MCP servers).`
      : `The tools of ${missing.join(', ')} were not offered: those servers are not running (see Settings › MCP servers).`;
  }

  /** The tools a conversation offers now (its chosen servers that are running); null when it chose none. */
  forConversation(conversation: Conversation): TurnTools | null {
    const ids = conversation.tools?.serverIds ?? [];
    if (ids.length === 0) return null;
    const notice = this.missingNotice(ids);
    const disabled = new Set(conversation.tools?.disabledTools ?? []);
    const catalog = buildCatalog(
      this.readyServers(ids).map((s) => ({ ...s, tools: s.tools.filter((t) => !disabled.has(`${s.id}/${t.name}`)) })),
    );
    if (catalog.tools.length === 0) return { specs: [], loop: null, notice };
    const conversationId = conversation.id;
    const allowedHere = new Set(conversation.toolApprovals ?? []);
    return {
      specs: toolSpecs(catalog),
      notice,
      loop: {
        tools: catalog.tools,
        maxRounds: this.deps.maxRounds ?? DEFAULT_MAX_ROUNDS,
        isAllowed: (tool) => allowedHere.has(allowKey(tool)) || this.store.alwaysAllowed().includes(allowKey(tool)),
        decide: (call: ToolCallRecord, signal) => this.approvals.wait(conversationId, call.id, signal),
        remember: async (tool, decision) => {
          const key = allowKey(tool);
          allowedHere.add(key);
          try {
            if (decision === 'always-global') {
              await this.store.setAllowed(key, true);
              await this.broadcast();
            } else {
              await this.deps.conversations.update(conversationId, (c) => {
                c.toolApprovals = [...new Set([...(c.toolApprovals ?? []), key])];
              }, { touch: false });
            }
          } catch (error) {
            // The call still runs (the user allowed it); only remembering it failed.
            this.deps.log.warn('mcp', 'could not remember an approval', error);
          }
        },
        call: (tool, args, signal) => this.callTool(tool, args, signal),
      },
    };
  }

  private async callTool(tool: OfferedTool, args: Record<string, unknown>, signal: AbortSignal) {
    const connection = this.supervisor.connection(tool.serverId);
    if (!connection) throw new Error(`The server “${tool.serverName}” is not running, so the tool could not be called.`);
    const timeoutMs = this.deps.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    try {
      return await connection.callTool(tool.tool.name, args, { signal, timeoutMs });
    } catch (error) {
      if (signal.aborted) throw error;
      const message = error instanceof Error ? error.message : '';
      if (/timed out|timeout/i.test(message)) throw new Error(`The tool did not answer within ${Math.round(timeoutMs / 1000)} s.`);
      if (/connection closed/i.test(message)) throw new Error(`The server “${tool.serverName}” stopped during the call.`);
      throw new Error(`The tool call failed: ${message.replace(/^MCP error -?\d+:\s*/, '').slice(0, 500) || 'no reason given'}.`);
    }
  }

  decide(conversationId: string, callId: string, decision: ToolDecision): void {
    this.approvals.decide(conversationId, callId, decision);
  }

  async setConversationTools(
    id: string,
    serverIds: string[],
    disabledTools: string[] = [],
    keepApprovals?: string[],
  ): Promise<{ serverIds: string[]; disabledTools?: string[] }> {
    const known = new Set(this.store.list().map((s) => s.id));
    const clean = [...new Set(serverIds)].filter((s) => known.has(s));
    const off = [...new Set(disabledTools)].filter((key) => clean.includes(key.slice(0, key.indexOf('/'))));
    const tools = { serverIds: clean, ...(off.length > 0 ? { disabledTools: off } : {}) };
    const conversation = await this.deps.conversations.update(id, (c) => {
      if (clean.length > 0) c.tools = tools;
      else delete c.tools;
      // Revoking only: an approval is never added here (that takes a decision on a call).
      if (keepApprovals) {
        const kept = (c.toolApprovals ?? []).filter((key) => keepApprovals.includes(key));
        if (kept.length > 0) c.toolApprovals = kept;
        else delete c.toolApprovals;
      }
    }, { touch: false });
    this.deps.events.broadcast('conversations:changed', { summary: this.deps.conversations.summary(id) ?? summarizeConversation(conversation) });
    return tools;
  }

  async dispose(): Promise<void> {
    await this.supervisor.dispose();
  }

  handlers(): Pick<Handlers, 'mcp:list' | 'mcp:save' | 'mcp:delete' | 'mcp:restart' | 'mcp:setAllowed' | 'chat:decideTool' | 'conversations:setTools'> {
    return {
      'mcp:list': () => this.list(),
      'mcp:save': async (draft, ctx) => {
        // A server is a program Switchboard will run: only the Settings window may add or change one, so
        // nothing a reply could do in the Chat window's page can configure a command.
        if (ctx.windowKind !== 'settings') {
          throw new AppFailure({ code: 'UNTRUSTED_SENDER', message: 'MCP servers can only be added or changed in the Settings window.' });
        }
        const saved = await this.store.save(draft);
        if (!saved) throw new AppFailure({ code: 'INTERNAL', message: 'The MCP server could not be saved.' });
        this.supervisor.sync(this.store.list());
        await this.broadcast();
        return { ...(await this.store.masked(saved)), status: this.supervisor.status(saved.id) };
      },
      'mcp:delete': async ({ id }) => {
        await this.store.remove(id);
        this.supervisor.sync(this.store.list());
        await this.broadcast();
      },
      'mcp:restart': async ({ id }) => {
        await this.supervisor.restart(id);
        await this.broadcast();
      },
      'mcp:setAllowed': async ({ key, allowed }, ctx) => {
        // Allowing a tool everywhere happens on a call's card (chat:decideTool); here only Settings may.
        if (allowed && ctx.windowKind !== 'settings') {
          throw new AppFailure({ code: 'UNTRUSTED_SENDER', message: 'Tools can only be allowed everywhere from a tool call or the Settings window.' });
        }
        await this.store.setAllowed(key, allowed);
        await this.broadcast();
        return this.list();
      },
      'chat:decideTool': ({ conversationId, callId, decision }, _ctx: CallContext) => this.decide(conversationId, callId, decision),
      'conversations:setTools': ({ id, serverIds, disabledTools, toolApprovals }) => this.setConversationTools(id, serverIds, disabledTools, toolApprovals),
    };
  }
}
