/**
 * Request/response over Node's child-process IPC channel, for the parts of the benchmark that must run in
 * their own process: the browser host (the app's main process, whose memory is measured on its own) and
 * the plain-Node openai SDK client (the baseline, which must not share an event loop with anything).
 * Every child also answers `clock`, so the parent can place the child's timestamps on its own clock.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateClockOffset, type ClockSample } from './stats';

/** A method takes one structured-cloneable parameter; `never` here lets any parameter type fit. */
export type RpcMethods = Record<string, (params: never) => unknown>;

interface Request {
  rpc: 'call';
  id: number;
  method: string;
  params: unknown;
}
type Reply = { rpc: 'reply'; id: number; ok: true; value: unknown } | { rpc: 'reply'; id: number; ok: false; error: string };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Wall-clock milliseconds at high resolution: the clock every process of the benchmark reports in. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface Child<M extends RpcMethods> {
  call<K extends keyof M & string>(method: K, params: Parameters<M[K]>[0]): Promise<Awaited<ReturnType<M[K]>>>;
  /** The child's clock minus ours, estimated from round trips. */
  clockOffset(samples?: number): Promise<{ offsetMs: number; uncertaintyMs: number }>;
  readonly pid: number;
  close(): Promise<void>;
}

export async function startChild<M extends RpcMethods>(entry: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Child<M>> {
  const child: ChildProcess = fork(path.join(repoRoot, entry), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', ...(options.nodeArgs ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: options.env ?? process.env,
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited: string | null = null;

  await new Promise<void>((resolve, reject) => {
    const onMessage = (msg: unknown) => {
      if ((msg as { rpc?: string }).rpc === 'ready') {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${entry} exited with code ${code} before it was ready`)));
  });

  child.on('message', (msg: unknown) => {
    const reply = msg as Reply;
    if (reply.rpc !== 'reply') return;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`${entry}: ${reply.error}`));
  });
  child.on('exit', (code, signal) => {
    exited = `${entry} exited (${signal ?? code})`;
    for (const waiter of pending.values()) waiter.reject(new Error(exited));
    pending.clear();
  });

  const rawCall = (method: string, params: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      if (exited) {
        reject(new Error(exited));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const request: Request = { rpc: 'call', id, method, params };
      child.send(request);
    });

  return {
    call: <K extends keyof M & string>(method: K, params: Parameters<M[K]>[0]) =>
      rawCall(method, params) as Promise<Awaited<ReturnType<M[K]>>>,
    pid: child.pid ?? -1,
    async clockOffset(samples = 25) {
      const exchanges: ClockSample[] = [];
      for (let i = 0; i < samples; i++) {
        const sentAt = nowMs();
        const remoteAt = (await rawCall('clock', undefined)) as number;
        exchanges.push({ sentAt, remoteAt, receivedAt: nowMs() });
      }
      return estimateClockOffset(exchanges);
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** In the child: answers the parent's calls with `methods` (plus `clock`), then says it is ready. */
export function serveRpc(methods: RpcMethods): void {
  if (!process.send) throw new Error('this module runs as a child of the benchmark (no IPC channel)');
  const send = (msg: unknown) => process.send?.(msg);
  process.on('message', (msg: unknown) => {
    const request = msg as Request;
    if (request.rpc !== 'call') return;
    const method = request.method === 'clock' ? () => nowMs() : methods[request.method];
    if (!method) {
      send({ rpc: 'reply', id: request.id, ok: false, error: `unknown method ${request.method}` } satisfies Reply);
      return;
    }
    Promise.resolve()
      .then(() => method(request.params as never))
      .then(
        (value) => send({ rpc: 'reply', id: request.id, ok: true, value } satisfies Reply),
        (error: unknown) =>
          send({ rpc: 'reply', id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Reply),
      );
  });
  // The parent going away (Ctrl+C, crash) must not leave a host process behind.
  process.on('disconnect', () => process.exit(0));
  send({ rpc: 'ready' });
}
