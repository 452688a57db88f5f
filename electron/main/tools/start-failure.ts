/** Why an MCP server did not start, as one sentence for Settings (and the log). */
import type { McpServerConfig } from '../../../shared/models/tools';

export type StartFailureKind = 'not-found' | 'garbage' | 'exited' | 'timeout' | 'failed';

export class StartFailure extends Error {
  readonly failure: StartFailureKind;
  constructor(kind: StartFailureKind, message: string) {
    super(message);
    this.name = 'StartFailure';
    this.failure = kind;
  }
}

function lastLine(text: string): string {
  const line = text.trim().split('\n').pop()?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function codeOf(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return '';
}

export function startFailure(kind: StartFailureKind, server: McpServerConfig, error: unknown, stderr: string, timeoutMs = 0): StartFailure {
  const said = lastLine(stderr);
  const tail = said ? ` It said: “${said}”` : '';
  if (server.transport === 'stdio') {
    const code = codeOf(error);
    if (kind === 'not-found' || code === 'ENOENT') {
      return new StartFailure('not-found', `The command “${server.command}” was not found. Check the command, or give its full path.`);
    }
    if (code === 'EACCES') return new StartFailure('not-found', `The command “${server.command}” cannot be run (permission denied).`);
    if (kind === 'garbage') {
      return new StartFailure('garbage', `“${server.command}” printed something that is not MCP (JSON-RPC) on its output; is it an MCP server?${tail}`);
    }
    if (kind === 'exited') return new StartFailure('exited', `The server exited as soon as it started.${tail}`);
    if (kind === 'timeout') return new StartFailure('timeout', `The server did not answer within ${Math.round(timeoutMs / 1000)} s.${tail}`);
    const message = error instanceof Error ? error.message : '';
    if (/connection closed/i.test(message)) return new StartFailure('exited', `The server exited as soon as it started.${tail}`);
    return new StartFailure('failed', `The server could not be started${message ? `: ${message.slice(0, 300)}` : '.'}${tail}`);
  }
  if (kind === 'timeout') return new StartFailure('timeout', `The server at ${server.url} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
  const code = codeOf(error);
  if (code === 'ECONNREFUSED') return new StartFailure('failed', `Nothing is listening at ${server.url}. Is the server running?`);
  if (code === 'ENOTFOUND') return new StartFailure('failed', `The host of ${server.url} was not found.`);
  const message = error instanceof Error ? error.message : String(error ?? '');
  // The SDK's StreamableHTTPError carries the status as `code`; older wordings put it in the message.
  const numeric = (error as { code?: unknown } | null)?.code;
  const status = typeof numeric === 'number' ? String(numeric) : /HTTP (\d{3})/.exec(message)?.[1];
  if (status === '401' || status === '403') return new StartFailure('failed', `The server at ${server.url} refused the request (HTTP ${status}); check its headers.`);
  if (status === '404') return new StartFailure('failed', `There is no MCP endpoint at ${server.url} (HTTP 404); check the URL.`);
  if (status && Number(status) >= 400) return new StartFailure('failed', `The server at ${server.url} answered HTTP ${status}; is it an MCP (Streamable HTTP) endpoint?`);
  if (kind === 'garbage') return new StartFailure('garbage', `The server at ${server.url} did not answer in MCP (JSON-RPC).`);
  return new StartFailure('failed', `Could not connect to the MCP server at ${server.url}${message ? `: ${message.slice(0, 300)}` : '.'}`);
}
