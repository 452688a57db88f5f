/**
 * One live connection to an MCP server over the official SDK: stdio (the program the user configured, run
 * without a shell) or Streamable HTTP. The supervisor sees only the McpConnection port, so its decisions
 * are tested with a stand-in; this file is the wiring, tested against real SDK servers.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig, McpToolInfo } from '../../../shared/models/tools';
import { startFailure, type StartFailure } from './start-failure';

export interface ToolCallOutcome {
  text: string;
  /** The tool itself reported an error (`isError`). */
  isError: boolean;
}

export interface McpConnection {
  readonly tools: McpToolInfo[];
  callTool(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome>;
  close(): Promise<void>;
  /** Called once when the connection ends on its own (the process exited, the HTTP session failed). */
  onClosed(listener: (reason: string) => void): void;
}

/** A config with its secret values read from the keychain. */
export type ResolvedServer = McpServerConfig;

export type McpConnector = (server: ResolvedServer, options: { timeoutMs: number }) => Promise<McpConnection>;

const CLIENT_INFO = { name: 'Switchboard', version: '0.1.0' };
/** Keeps the end of a server's stderr: the last line usually says why it exited. */
const STDERR_KEEP = 2_000;

function transportFor(server: ResolvedServer, stderrTail: { text: string }): Transport {
  if (server.transport === 'http') {
    const headers = Object.fromEntries(server.headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]));
    return new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } });
  }
  const transport = new StdioClientTransport({
    command: server.command,
    args: server.args,
    ...(server.cwd.trim() ? { cwd: server.cwd } : {}),
    env: Object.fromEntries(server.env.filter((e) => e.name.trim()).map((e) => [e.name.trim(), e.value])),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderrTail.text = (stderrTail.text + chunk.toString('utf8')).slice(-STDERR_KEEP);
  });
  return transport;
}

/** Text of an MCP tool result: text parts as they are, anything else named (images and resources are not shown). */
export function resultText(content: unknown, structured?: unknown): string {
  const parts: string[] = [];
  for (const part of Array.isArray(content) ? content : []) {
    const p = part as { type?: unknown; text?: unknown; resource?: { text?: unknown; uri?: unknown }; mimeType?: unknown };
    if (p.type === 'text' && typeof p.text === 'string') parts.push(p.text);
    else if (p.type === 'resource' && typeof p.resource?.text === 'string') parts.push(p.resource.text);
    else if (p.type === 'resource_link' || p.type === 'resource') parts.push(`[resource ${String(p.resource?.uri ?? (p as { uri?: unknown }).uri ?? '')}]`);
    else if (typeof p.type === 'string') parts.push(`[${p.type}${typeof p.mimeType === 'string' ? ` ${p.mimeType}` : ''}]`);
  }
  if (parts.length === 0 && structured !== undefined) return JSON.stringify(structured, null, 2);
  return parts.join('\n');
}

export const sdkConnector: McpConnector = async (server, { timeoutMs }) => {
  const stderrTail = { text: '' };
  const transport = transportFor(server, stderrTail);
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  let closedListener: ((reason: string) => void) | null = null;
  let connected = false;
  let closing = false;
  let garbage: StartFailure | null = null;
  let rejectStart: ((failure: StartFailure) => void) | null = null;
  // Chained before Client.connect sets its own handler: a line that is not JSON-RPC before the handshake
  // means the program is not an MCP server (or logs to stdout), and waiting for the timeout helps nobody.
  transport.onerror = (error) => {
    if (!connected && (error.name === 'SyntaxError' || error.name === 'ZodError') && !garbage) {
      garbage = startFailure('garbage', server, error, stderrTail.text);
      rejectStart?.(garbage);
    }
  };
  client.onclose = () => {
    if (closing) return;
    if (!connected) {
      // A process that exits before the handshake; an HTTP failure is reported by connect() itself, with its status.
      if (server.transport === 'stdio') rejectStart?.(garbage ?? startFailure('exited', server, null, stderrTail.text));
      return;
    }
    const tail = stderrTail.text.trim().split('\n').pop()?.trim();
    closedListener?.(tail ? `The server stopped: ${tail.slice(0, 300)}` : 'The server stopped.');
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(garbage ?? startFailure('timeout', server, null, stderrTail.text, timeoutMs)), timeoutMs);
      rejectStart = (failure) => {
        clearTimeout(timer);
        reject(failure);
      };
      client.connect(transport, { timeout: timeoutMs }).then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(garbage ?? startFailure('failed', server, error, stderrTail.text));
        },
      );
    });
    connected = true;
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      for (const t of page.tools) {
        tools.push({ name: t.name, description: t.description ?? t.title ?? '', inputSchema: t.inputSchema as Record<string, unknown> });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return {
      tools,
      async callTool(name, args, { signal, timeoutMs: callTimeout }) {
        const result = await client.callTool({ name, arguments: args }, undefined, { signal, timeout: callTimeout, maxTotalTimeout: callTimeout });
        return { text: resultText(result.content, result.structuredContent), isError: result.isError === true };
      },
      async close() {
        closing = true;
        await client.close().catch(() => undefined);
      },
      onClosed(listener) {
        closedListener = listener;
      },
    };
  } catch (error) {
    closing = true;
    await client.close().catch(() => undefined);
    throw error instanceof Error && 'failure' in error ? error : startFailure('failed', server, error, stderrTail.text);
  }
};
