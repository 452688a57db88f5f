/**
 * Tools end to end: real Chromium drives the built Settings and Chat windows through the browser host. The
 * user adds and enables a test MCP server (the SDK's stdio server) in Settings, sees it ready with its
 * tools, turns it on for a conversation, asks; the model (the local test server) calls a tool; the user
 * approves the call on its card, sees the result and the model's answer. A denied call: the model is told so.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../electron/browser-host/host';
import { faults, startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server/index.js';
import type { ChatRequestInfo } from '../fixtures/openai-server/types.js';
import { localProvider, startE2eHost, type E2eHost } from '../support/e2e-host';
import { STDIO_SERVER } from '../support/mcp/mcp-rig';

/** The model's answer after tools ran: what the tool messages said. */
function toldByTools(info: ChatRequestInfo): string {
  const messages = info.body.messages as { role: string; content: string }[];
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  const tools = messages.slice(lastUser).filter((m) => m.role === 'tool');
  return tools.length > 0 ? `The tool said: ${tools.map((m) => m.content).join(' | ')}` : `Echo: ${info.lastUserText}`;
}

describe('Tools (MCP) in the browser', () => {
  let server: OpenAIServer;
  let host: BrowserHost;
  let e2e: E2eHost;
  let chat: Page;

  const mainCall: E2eHost['call'] = (channel, input) => e2e.call(channel, input);

  const composer = () => chat.getByRole('textbox', { name: 'Message', exact: true });

  beforeAll(async () => {
    server = await startOpenAIServer();
    server.setBehavior({ reply: toldByTools });
    e2e = await startE2eHost({ dataDirPrefix: 'sb-e2e-tools-' });
    host = e2e.host;
    await mainCall('providers:save', localProvider(server.url));
  });

  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('adds a server in Settings, approves a call in the chat, shows the result and the answer; a denied call is told to the model', async () => {
    const settings = await e2e.open(host.settingsUrl);
    await settings.getByRole('button', { name: 'MCP servers', exact: true }).click();
    await settings.getByRole('button', { name: 'Add MCP server' }).click();
    const form = settings.locator('.mcp-form');
    await form.getByLabel('Name', { exact: true }).fill('Test tools');
    await form.getByLabel('Command', { exact: true }).fill(process.execPath);
    await form.getByLabel('Arguments', { exact: true }).fill(STDIO_SERVER);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.getByText('Ready with 6 tools').waitFor({ timeout: 20_000 });
    await settings.getByText('Repeats the text it is given.').waitFor();

    chat = await e2e.open(host.chatUrl);
    await composer().fill('Hello first');
    await composer().press('Enter');
    await chat.locator('.message-assistant').getByText('Echo: Hello first').waitFor();

    await chat.getByRole('button', { name: /^Tools/ }).click();
    const dialog = chat.getByRole('dialog', { name: 'Tools for this conversation' });
    await dialog.getByRole('checkbox', { name: /Test tools/ }).check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await chat.getByText('1 on').waitFor();

    server.nextResponses(
      faults.chat([{ type: 'content', text: 'Checking. ' }, { type: 'tool_calls', calls: [{ id: 'e1', name: 'echo', arguments: '{"text":"<b>bold</b>"}' }] }, { type: 'finish', reason: 'tool_calls' }]),
    );
    await composer().fill('Use the echo tool');
    await composer().press('Enter');
    const card = chat.getByRole('region', { name: 'Tool call: echo' });
    await card.getByText('Waiting for you').waitFor();
    await card.getByText('on Test tools').waitFor();
    await card.getByRole('button', { name: 'Allow once' }).click();
    await chat.locator('.message-assistant').getByText('The tool said: echo: <b>bold</b>').waitFor();
    await card.getByText('Done', { exact: true }).waitFor();
    // The result is shown collapsed, as text (the tag is not rendered as HTML).
    const result = card.locator('.tool-call-result');
    expect(await result.getAttribute('open')).toBeNull();
    await result.locator('summary').click();
    expect(await result.locator('pre').textContent()).toBe('echo: <b>bold</b>');
    expect(await card.locator('b').count()).toBe(0);

    server.nextResponses(faults.chat([{ type: 'tool_calls', calls: [{ id: 'e2', name: 'add', arguments: '{"a":1,"b":2}' }] }, { type: 'finish', reason: 'tool_calls' }]));
    await composer().fill('Add numbers');
    await composer().press('Enter');
    const second = chat.getByRole('region', { name: 'Tool call: add' });
    await second.getByRole('button', { name: 'Deny' }).click();
    await chat.locator('.message-assistant').getByText('The tool said: The user denied this tool call.').waitFor();
    await second.getByText('Denied', { exact: true }).waitFor();

    // Deleting the server in Settings asks first, then it is gone.
    await form.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = settings.getByRole('dialog', { name: 'Delete “Test tools”?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await settings.locator('.provider-sidebar').getByText('Test tools').waitFor({ state: 'detached' });
    expect((await mainCall('mcp:list', undefined)).servers).toEqual([]);
    expect(e2e.pageErrors).toEqual([]);
  });
});
