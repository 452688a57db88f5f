/**
 * What an end-to-end test stands on: a temp data dir, the browser host serving the built renderer from it
 * (real services, the real OS keychain), and Chromium with an en-US context whose pages report their
 * errors, so a test can assert that the page never failed. Closing also removes the keychain entries of
 * every provider the test saved, so a run that failed half-way leaves nothing in the user's keychain.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/host';
import type { Handler, WindowKind } from '../../electron/main/ipc/dispatcher';
import type { ChannelName, ChannelParsedInput, ChannelResult } from '../../shared/ipc/contract';
import type { ProviderDraft } from '../../shared/models/provider';
import { createMemoryLogger } from '../../electron/main/logger';
import { KEYCHAIN_SERVICE } from '../../electron/main/secrets/secret-store';
import { launchChromium } from './chromium';

export interface E2eHostOptions {
  /** Start of the temp data dir's name, so a dir left behind says which test made it. */
  dataDirPrefix: string;
  /** Writes into the empty data dir before the host first reads it. */
  seed?: (dataDir: string) => void;
  /** Playwright's timeout for every step; Playwright's own default when absent. */
  defaultTimeoutMs?: number;
  /** The keychain accounts a saved provider may hold; by default only its API key (the provider id). */
  keychainAccounts?: (providerId: string) => string[];
}

export interface E2eHost {
  readonly host: BrowserHost;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly dataDir: string;
  /** Every uncaught exception and console error of every page opened here. */
  readonly pageErrors: string[];
  /** A page that reports its errors, not yet navigated: listeners that must see the first load go on first. */
  newPage(): Promise<Page>;
  open(url: string): Promise<Page>;
  /** Files under the data dir whose bytes contain `needle` (config, conversations, anything the app wrote). */
  filesContaining(needle: string): string[];
  /**
   * A channel's handler in main, called as a window of `windowKind` (default: the Chat window) would, without
   * a page: a test's set-up, and checks of what main holds beside what the page shows.
   */
  call<C extends ChannelName>(channel: C, input: ChannelParsedInput<C>, windowKind?: WindowKind): Promise<ChannelResult<C>>;
  close(): Promise<void>;
}

/** An OpenAI-compatible provider on a local test server (model gpt-4o-mini, no key), with `fields` over it. */
export function localProvider(baseUrl: string, fields: Partial<ProviderDraft> = {}): ProviderDraft {
  return {
    type: 'openai-compatible',
    name: 'Local server',
    baseUrl,
    model: 'gpt-4o-mini',
    assistantId: '',
    customHeaders: [],
    apiKey: { action: 'keep' },
    ...fields,
  };
}

export async function startE2eHost(options: E2eHostOptions): Promise<E2eHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), options.dataDirPrefix));
  const pageErrors: string[] = [];
  let host: BrowserHost | undefined;
  let browser: Browser | undefined;

  const close = async () => {
    await browser?.close();
    if (host) {
      const accounts = options.keychainAccounts ?? ((id: string) => [id]);
      for (const provider of host.services.config.listProviders()) {
        for (const account of accounts(provider.id)) await keytar.deletePassword(KEYCHAIN_SERVICE, account).catch(() => false);
      }
      await host.close();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    options.seed?.(dataDir);
    host = await startBrowserHost({ port: 0, dataDir, fetch: globalThis.fetch, log: createMemoryLogger(), systemLocale: 'en-US' });
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US' });
    if (options.defaultTimeoutMs !== undefined) context.setDefaultTimeout(options.defaultTimeoutMs);

    const newPage = async () => {
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text());
      });
      return page;
    };

    return {
      host,
      browser,
      context,
      dataDir,
      pageErrors,
      newPage,
      async open(url) {
        const page = await newPage();
        await page.goto(url);
        return page;
      },
      filesContaining: (needle) => filesContaining(dataDir, needle),
      async call<C extends ChannelName>(channel: C, input: ChannelParsedInput<C>, windowKind: WindowKind = 'chat'): Promise<ChannelResult<C>> {
        const handler = (host as BrowserHost).services.handlers[channel] as Handler<C> | undefined;
        if (!handler) throw new Error(`no handler for ${channel}`);
        return handler(input, { windowId: -1, windowKind });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (fs.readFileSync(full).includes(needle)) hits.push(full);
    }
  };
  walk(dir);
  return hits;
}

/**
 * Records every text the page's body shows from now on, and returns a reader of them: a reply that
 * streamed in leaves snapshots of itself part-way through, one that appeared at once leaves none.
 */
export async function recordBodyTexts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { __seen: Set<string> }).__seen = seen;
    new MutationObserver(() => seen.add(document.body.innerText)).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { __seen: Set<string> }).__seen]);
}

/** Sends `text` from the chat window's composer with Enter and waits for `expectedReply` to show in full. */
export async function sendAndAwaitReply(chat: Page, text: string, expectedReply: string): Promise<void> {
  const composer = chat.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  await chat.getByText(expectedReply, { exact: true }).waitFor({ timeout: 20_000 });
}
