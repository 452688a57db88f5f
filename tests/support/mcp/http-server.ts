/**
 * An in-process MCP server over Streamable HTTP (the official SDK, stateless mode) on 127.0.0.1, port 0.
 * Tools: `lookup {key}` answers from a small table; `echo {text}` (to collide with the stdio server's).
 * `requiredHeader` makes it answer 401 without that header.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface McpHttpServer {
  url: string;
  calls: { tool: string; args: unknown }[];
  close(): Promise<void>;
}

function build(calls: McpHttpServer['calls']): McpServer {
  const server = new McpServer({ name: 'http-tools', version: '1.0.0' });
  server.registerTool('lookup', { description: 'Looks up a key in the test table.', inputSchema: { key: z.string() } }, async ({ key }) => {
    calls.push({ tool: 'lookup', args: { key } });
    const table: Record<string, string> = { capital: 'Taipei', river: 'Tamsui' };
    return { content: [{ type: 'text', text: table[key] ?? `no entry for ${key}` }] };
  });
  server.registerTool('echo', { description: 'Repeats text over HTTP.', inputSchema: { text: z.string() } }, async ({ text }) => {
    calls.push({ tool: 'echo', args: { text } });
    return { content: [{ type: 'text', text: `http echo: ${text}` }] };
  });
  return server;
}

export async function startMcpHttpServer(options: { requiredHeader?: { name: string; value: string } } = {}): Promise<McpHttpServer> {
  const calls: McpHttpServer['calls'] = [];
  const httpServer = http.createServer((req, res) => {
    const required = options.requiredHeader;
    if (required && req.headers[required.name.toLowerCase()] !== required.value) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        const server = build(calls);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, body);
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
