/**
 * Redirects of provider requests, followed by us rather than by fetch. Fetch drops `Authorization` on a
 * redirect to another origin, but not `X-Api-Key`, `api-key` or any other header the user marked secret,
 * and a 307/308 carries the request body (the whole conversation) along. So every request goes out with
 * `redirect: 'manual'` and this wrapper decides: a redirect within the same origin (scheme, host, port) is
 * followed with the same headers, a bounded number of times, with fetch's method rules (301/302 after a
 * POST and 303 become a GET without a body; 307/308 keep method and body); a redirect to another origin is
 * refused with a sentence naming that host, so neither the key nor the message ever goes there.
 *
 * Node's fetch (undici) and Electron's net.fetch both hand back the 3xx response itself for `manual`, so
 * the behaviour is the same in the app and in tests.
 */
import { AppFailure } from '../../../../shared/result';
import { hostOf } from '../errors/request-failure';

export const MAX_REDIRECTS = 5;

const POLICY = Symbol('switchboard.redirect-policy');

type Fetch = typeof globalThis.fetch;

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

export function crossOriginRedirectError(from: string, to: URL): AppFailure {
  const host = hostOf(from);
  const target = to.host;
  return new AppFailure({
    code: 'REDIRECT_REFUSED',
    message: `${host} redirected the request to ${target}; Switchboard did not follow it, so your API key and message were not sent there.`,
    hint: 'If the provider really moved, put its new address in the API Base URL in Settings.',
    retryable: false,
    params: { host, target },
  });
}

function tooManyRedirectsError(from: string): AppFailure {
  const host = hostOf(from);
  return new AppFailure({
    code: 'REDIRECT_REFUSED',
    message: `${host} redirected the request more than ${MAX_REDIRECTS} times, so Switchboard stopped following it.`,
    hint: 'Check the API Base URL in Settings: it may point at a login page or a misconfigured proxy.',
    retryable: false,
    params: { host, target: host, count: MAX_REDIRECTS, context: 'loop' },
  });
}

function urlOf(input: Parameters<Fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** Wraps `inner` so redirects follow the policy above; wrapping twice changes nothing. */
export function withRedirectPolicy(inner: Fetch): Fetch {
  if ((inner as Fetch & { [POLICY]?: true })[POLICY]) return inner;
  const wrapped: Fetch = async (input, init) => {
    // The SDK and our raw calls pass a URL and init; a Request is kept whole for the first hop.
    let current: RequestInit = { ...init };
    let request: Request | null = typeof input === 'string' || input instanceof URL ? null : input;
    let url = urlOf(input);
    for (let hops = 0; ; hops++) {
      const response = await inner(request ?? url, { ...current, redirect: 'manual' });
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === null) return response;
      const next = new URL(location, url);
      if (next.origin !== new URL(url).origin) {
        await response.body?.cancel().catch(() => undefined);
        throw crossOriginRedirectError(url, next);
      }
      if (hops >= MAX_REDIRECTS) {
        await response.body?.cancel().catch(() => undefined);
        throw tooManyRedirectsError(url);
      }
      const method = (current.method ?? request?.method ?? 'GET').toUpperCase();
      if (request) current = { method: request.method, headers: request.headers, signal: request.signal, ...current };
      request = null;
      if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
        const headers = new Headers(current.headers);
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
        const { body: _body, ...rest } = current;
        current = { ...rest, method: 'GET', headers };
      } else if (current.body instanceof ReadableStream) {
        // A streamed body cannot be sent twice: the 307/308 itself is the answer.
        return response;
      }
      await response.body?.cancel().catch(() => undefined);
      url = next.href;
    }
  };
  return Object.assign(wrapped, { [POLICY]: true as const });
}
