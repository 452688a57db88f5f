/**
 * A server's error may echo the API key anywhere in a long message. Whatever position the key is at, no
 * recognisable piece of it (8 characters or more) may survive into the message the UI shows, the event
 * or the saved file: the key is removed from the whole text before the text is cut to its display length.
 */
import { describe, expect, it } from 'vitest';
import { mapHttpFailure } from '../../../../../electron/main/providers/errors/request-failure';
import { inStreamError } from '../../../../../electron/main/providers/errors/reply-failure';
import { scrubSecrets, serverDetail } from '../../../../../electron/main/providers/wire/secret-scrub';

const KEY = 'sk-proj-Zq7vW2xK9pL4mN8rT1yU6bE3cH5jF0gA';
const HEADER_SECRET = 'gw_secret_41f0c9e2d7b84a6e';
const secrets = [KEY, HEADER_SECRET];

/** The first 8-character piece of `secret` found in `text`, or null. */
function fragmentOf(secret: string, text: string): string | null {
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8);
    if (text.includes(piece)) return piece;
  }
  return null;
}

function expectNoFragment(text: string): void {
  for (const secret of secrets) expect(fragmentOf(secret, text), text).toBeNull();
}

/** A long server message with `secret` starting at `position`. */
function messageWithKeyAt(position: number, secret = KEY): string {
  return `${'x'.repeat(position)}${secret} was rejected; ${'the rest of a long message. '.repeat(12)}`;
}

describe('secrets are removed before a server message is cut', () => {
  it('HTTP errors: no piece of the key survives, wherever the key sits relative to the cut', () => {
    for (let position = 0; position <= 340; position++) {
      const error = mapHttpFailure(
        { status: 400, headers: new Headers(), bodyText: JSON.stringify({ error: { message: messageWithKeyAt(position) } }) },
        { baseUrl: 'http://127.0.0.1:9/v1', secrets },
      );
      expectNoFragment(error.message);
      expectNoFragment(JSON.stringify(error.params));
    }
  });

  it('errors inside the stream: no piece of the key survives at any position', () => {
    for (let position = 0; position <= 340; position++) {
      const error = inStreamError({ error: { message: messageWithKeyAt(position) } }, { baseUrl: 'http://127.0.0.1:9/v1', secrets });
      expectNoFragment(error.message);
      expectNoFragment(JSON.stringify(error.params));
    }
  });

  it('a secret header value is removed like the key', () => {
    for (let position = 280; position <= 310; position++) {
      const error = mapHttpFailure(
        { status: 500, headers: new Headers(), bodyText: JSON.stringify({ detail: messageWithKeyAt(position, HEADER_SECRET) }) },
        { baseUrl: 'http://127.0.0.1:9/v1', secrets },
      );
      expectNoFragment(error.message);
    }
  });

  it('removes the URL-encoded and JSON-escaped spellings of a secret', () => {
    const odd = 'key/with+special=chars&"quoted"';
    for (const spelled of [encodeURIComponent(odd), encodeURIComponent(odd).toLowerCase(), JSON.stringify(odd).slice(1, -1)]) {
      const out = scrubSecrets(`GET /v1/models?api-key=${spelled} failed`, [odd]);
      expect(out).not.toContain(spelled);
      expect(fragmentOf(spelled, out)).toBeNull();
    }
  });

  it('removes the tail or head (4 characters or more) of a key the server cut itself, at every cut', () => {
    for (let cut = 4; cut <= KEY.length - 4; cut++) {
      const tail = serverDetail(`${KEY.slice(cut)} is not a valid key`, secrets);
      const head = serverDetail(`Incorrect API key provided: ${KEY.slice(0, cut)}`, secrets);
      expect(tail.startsWith(KEY.slice(cut))).toBe(false);
      expect(head.endsWith(KEY.slice(0, cut))).toBe(false);
      expectNoFragment(tail);
      expectNoFragment(head);
    }
  });

  it('a piece of the key in the middle of the text is removed, ordinary text is kept', () => {
    const out = scrubSecrets(`before ${KEY.slice(5, 25)} after`, secrets);
    expect(out).toBe('before [redacted] after');
    expect(scrubSecrets('The model was not found.', secrets)).toBe('The model was not found.');
  });

  it('cuts to the display length after scrubbing', () => {
    const out = serverDetail('y'.repeat(295) + KEY + 'z'.repeat(50), secrets, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith('…')).toBe(true);
    expectNoFragment(out);
  });
});
