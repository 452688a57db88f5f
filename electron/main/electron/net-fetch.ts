/**
 * The fetch the services get in the app: Electron's net.fetch (system proxy settings and certificate store),
 * except for `redirect: 'manual'`.
 *
 * net.fetch hands `redirect` to its ClientRequest, whose 'manual' mode waits for `followRedirect()` from a
 * 'redirect' listener that net.fetch never adds, so a redirect rejects with "Redirect was cancelled" instead
 * of answering the 3xx response as the fetch standard and Node's fetch do (electron/electron
 * lib/browser/api/net-fetch.ts and lib/common/api/net-client-request.ts; docs/api/client-request.md,
 * `redirect`). The redirect policy (providers/redirect-policy.ts) needs that response, its status and
 * Location, to follow a redirect within the provider's origin and to refuse one elsewhere by name. So a
 * manual request goes through net.request here, and a redirect becomes a body-less 3xx Response.
 */
import { net } from 'electron';
import { Readable } from 'node:stream';

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function toHeaders(raw: Record<string, string | string[]>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return headers;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

async function manualRedirectFetch(request: Request): Promise<Response> {
  if (request.signal.aborted) throw abortError(request.signal);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
  return new Promise<Response>((resolve, reject) => {
    const client = net.request({ method: request.method, url: request.url, redirect: 'manual' });
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
    };
    request.signal.addEventListener(
      'abort',
      () => {
        settle(() => reject(abortError(request.signal)));
        client.abort();
      },
      { once: true },
    );
    for (const [name, value] of request.headers) client.setHeader(name, value);
    client.on('redirect', (statusCode, _method, redirectUrl, responseHeaders) => {
      const headers = toHeaders(responseHeaders);
      headers.set('location', redirectUrl);
      settle(() => resolve(new Response(null, { status: statusCode, headers })));
      // Not followed: the caller decides. Aborting here keeps ClientRequest from failing the request.
      client.abort();
    });
    client.on('response', (response) => {
      const stream =
        NULL_BODY_STATUS.has(response.statusCode) || request.method === 'HEAD'
          ? null
          : (Readable.toWeb(response as unknown as Readable) as ReadableStream<Uint8Array>);
      settle(() =>
        resolve(new Response(stream, { status: response.statusCode, statusText: response.statusMessage, headers: toHeaders(response.headers) })),
      );
    });
    client.on('error', (error) => settle(() => reject(error)));
    if (body) client.end(body);
    else client.end();
  });
}

export const electronFetch: typeof globalThis.fetch = (input, init) => {
  const url = input instanceof URL ? input.toString() : input;
  const redirect = init?.redirect ?? (input instanceof Request ? input.redirect : 'follow');
  if (redirect === 'manual') return manualRedirectFetch(new Request(url, { ...init, ...(init?.body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit));
  return net.fetch(url, init);
};
