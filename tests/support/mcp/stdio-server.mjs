#!/usr/bin/env node
/**
 * An MCP server over stdio, written with the official SDK, for tests and the bench. Run with plain node:
 *   node tests/support/mcp/stdio-server.mjs [--name N] [--garbage] [--exit] [--crash-after-ms MS]
 * Tools: echo {text}, add {a, b}, slow {ms}, fail {}, huge {size}, crash {}.
 * --garbage prints a line that is not JSON-RPC (like a program that logs to stdout) and then goes silent;
 * --exit exits at once with a message on stderr.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};

if (flag('--exit')) {
  process.stderr.write('fatal: missing configuration file\n');
  process.exit(3);
}
if (flag('--garbage')) {
  process.stdout.write('Starting weather server v1.2 on port 8080...\n');
  setInterval(() => undefined, 1000);
} else {
  const server = new McpServer({ name: option('--name', 'test-tools'), version: '1.0.0' });
  server.registerTool('echo', { description: 'Repeats the text it is given.', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: ['echo:', text, process.env.ECHO_SUFFIX, process.env.API_TOKEN].filter(Boolean).join(' ') }],
  }));
  server.registerTool('add', { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('slow', { description: 'Waits, then answers.', inputSchema: { ms: z.number() } }, async ({ ms }) => {
    await new Promise((r) => setTimeout(r, ms));
    return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
  });
  server.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'disk not mounted' }],
  }));
  server.registerTool('huge', { description: 'Returns a long text.', inputSchema: { size: z.number() } }, async ({ size }) => ({
    content: [{ type: 'text', text: 'x'.repeat(size) }],
  }));
  server.registerTool('crash', { description: 'Exits the server.', inputSchema: {} }, async () => {
    setTimeout(() => process.exit(1), 10);
    return { content: [{ type: 'text', text: 'bye' }] };
  });
  await server.connect(new StdioServerTransport());
  const crashAfter = Number(option('--crash-after-ms', '0'));
  if (crashAfter > 0) setTimeout(() => process.exit(1), crashAfter);
}
