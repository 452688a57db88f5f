/**
 * The local OpenAI-compatible test server (tests/fixtures/openai-server), with the chat route also served
 * under `/timed/chat/completions`, where every response is timed at the socket: the moment the first chunk
 * with content was handed to the socket, the last one, and the end. It is the same route code (same
 * chunks, same spec validation, same faults); only the timestamps are added, per response, so nothing
 * else about the server changes.
 */
import type { ServerResponse } from 'node:http';
import { chatCompletionsRoutes } from '../tests/fixtures/openai-server/chat-completions.js';
import { startOpenAIServer, type OpenAIServer } from '../tests/fixtures/openai-server/index.js';
import type { RouteModule } from '../tests/fixtures/openai-server/index.js';
import { nowMs } from './child-rpc';

export interface ResponseTiming {
  requestId: number;
  /** The last user message of the request, to tell the app's request from the baseline's. */
  userText: string;
  firstContentAt: number | null;
  lastContentAt: number | null;
  endedAt: number | null;
}

export interface TimedServer {
  server: OpenAIServer;
  /** Base URL of the timed chat route (give it to the app and to the SDK baseline). */
  url: string;
  apiKey: string;
  timings: Map<number, ResponseTiming>;
  /** Resolves when a response whose last user message is `userText` has ended. */
  waitForResponse(userText: string, timeoutMs?: number): Promise<ResponseTiming>;
  /** Resolves with the time the server wrote a chunk containing `text` (checked on every write). */
  waitForWrite(text: string, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

// A content delta that is not empty: `"content":"` followed by anything but the closing quote.
const CONTENT_CHUNK = /"content":"[^"]/;

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user' && typeof m.content === 'string') return m.content;
  }
  return '';
}

export async function startTimedServer(apiKey: string): Promise<TimedServer> {
  const timings = new Map<number, ResponseTiming>();
  const endWaiters = new Set<(t: ResponseTiming) => boolean>();
  const writeWaiters = new Set<(chunk: string, at: number) => boolean>();

  const timeWrites = (res: ServerResponse, timing: ResponseTiming) => {
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const timed = (chunk: unknown, ...rest: unknown[]): boolean => {
      const ok = write(chunk, ...rest);
      const at = nowMs();
      if (typeof chunk === 'string' && CONTENT_CHUNK.test(chunk)) {
        timing.firstContentAt ??= at;
        timing.lastContentAt = at;
        for (const waiter of writeWaiters) if (waiter(chunk, at)) writeWaiters.delete(waiter);
      }
      return ok;
    };
    res.write = timed as ServerResponse['write'];
    res.once('close', () => {
      timing.endedAt = nowMs();
      for (const waiter of endWaiters) if (waiter(timing)) endWaiters.delete(waiter);
    });
  };

  const timedRoutes: RouteModule = (info) => {
    const [chat] = chatCompletionsRoutes(info);
    if (!chat) throw new Error('the test server has no chat route');
    return [
      {
        ...chat,
        path: '/timed/chat/completions',
        handle(ctx) {
          const timing: ResponseTiming = {
            requestId: ctx.request.id,
            userText: lastUserText(ctx.body),
            firstContentAt: null,
            lastContentAt: null,
            endedAt: null,
          };
          timings.set(ctx.request.id, timing);
          timeWrites(ctx.res, timing);
          return chat.handle(ctx);
        },
      },
    ];
  };

  const server = await startOpenAIServer({ apiKey, routes: [timedRoutes] });

  return {
    server,
    url: `${server.url}/timed`,
    apiKey,
    timings,
    waitForResponse(userText, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const done = [...timings.values()].find((t) => t.userText === userText && t.endedAt !== null);
        if (done) return resolve(done);
        const timer = setTimeout(() => {
          endWaiters.delete(waiter);
          reject(new Error(`no response to "${userText.slice(0, 60)}" ended within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (t: ResponseTiming) => {
          if (t.userText !== userText) return false;
          clearTimeout(timer);
          resolve(t);
          return true;
        };
        endWaiters.add(waiter);
      });
    },
    waitForWrite(text, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          writeWaiters.delete(waiter);
          reject(new Error(`the server did not write "${text}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (chunk: string, at: number) => {
          if (!chunk.includes(text)) return false;
          clearTimeout(timer);
          resolve(at);
          return true;
        };
        writeWaiters.add(waiter);
      });
    },
    close: () => server.close(),
  };
}
