/**
 * The redirect rules of withRedirectPolicy against a scripted fetch: what each hop sends, as fetch's own
 * rules say (301/302 after POST and 303 become GET without a body; 307/308 keep both), the hop limit, and
 * that another origin gets no request at all.
 */
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../../../shared/result';
import { MAX_REDIRECTS, withRedirectPolicy } from '../../../../../electron/main/providers/wire/redirect-policy';

interface Hop {
  url: string;
  method: string;
  body: unknown;
  headers: Headers;
  redirect: RequestRedirect | undefined;
}

function scripted(answers: (url: string) => Response): { fetch: typeof globalThis.fetch; hops: Hop[] } {
  const hops: Hop[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    hops.push({ url, method: init?.method ?? 'GET', body: init?.body, headers: new Headers(init?.headers), redirect: init?.redirect });
    return answers(url);
  };
  return { fetch, hops };
}

const moved = (status: number, location: string) => new Response(null, { status, headers: { location } });
const init = { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json', 'x-api-key': 'secret-1' } };

describe('withRedirectPolicy', () => {
  it.each([301, 302, 303])('%i after a POST becomes a GET without body or content headers, keeping the secret header', async (status) => {
    const { fetch, hops } = scripted((url) => (url.endsWith('/a') ? moved(status, '/b') : new Response('ok')));
    const response = await withRedirectPolicy(fetch)('http://127.0.0.1:9/a', init);
    expect(await response.text()).toBe('ok');
    expect(hops.map((h) => [h.url, h.method, h.redirect])).toEqual([
      ['http://127.0.0.1:9/a', 'POST', 'manual'],
      ['http://127.0.0.1:9/b', 'GET', 'manual'],
    ]);
    expect(hops[1]?.body).toBeUndefined();
    expect(hops[1]?.headers.get('content-type')).toBeNull();
    expect(hops[1]?.headers.get('x-api-key')).toBe('secret-1');
  });

  it.each([307, 308])('%i keeps method and body', async (status) => {
    const { fetch, hops } = scripted((url) => (url.endsWith('/a') ? moved(status, 'http://127.0.0.1:9/b') : new Response('ok')));
    await withRedirectPolicy(fetch)('http://127.0.0.1:9/a', init);
    expect(hops[1]).toMatchObject({ url: 'http://127.0.0.1:9/b', method: 'POST', body: '{"x":1}' });
  });

  it('refuses another origin (another port) without sending it anything', async () => {
    const { fetch, hops } = scripted(() => moved(307, 'http://127.0.0.1:10/b'));
    const error = await withRedirectPolicy(fetch)('http://127.0.0.1:9/a', init).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).appError).toMatchObject({ code: 'REDIRECT_REFUSED', params: { host: '127.0.0.1:9', target: '127.0.0.1:10' } });
    expect(hops).toHaveLength(1);
  });

  it(`stops after ${MAX_REDIRECTS} redirects`, async () => {
    let n = 0;
    const { fetch, hops } = scripted(() => moved(302, `/hop-${++n}`));
    const error = await withRedirectPolicy(fetch)('http://127.0.0.1:9/a').catch((e: unknown) => e);
    expect((error as AppFailure).appError).toMatchObject({ code: 'REDIRECT_REFUSED', params: { context: 'loop' } });
    expect(hops).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('wrapping twice is the same as once', () => {
    const once = withRedirectPolicy(globalThis.fetch);
    expect(withRedirectPolicy(once)).toBe(once);
  });
});
