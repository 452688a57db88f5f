/**
 * Removing the caller's secrets (API keys, secret header values) from text a server sent back, before any
 * of it is shortened or shown. Servers echo keys in error messages ("Incorrect API key provided: sk-…"),
 * sometimes URL-encoded (a key that travelled in a query string) or JSON-escaped, and sometimes already cut
 * by the server itself, so a message may start with a key's tail or end with its head.
 *
 * The order matters: every secret is removed from the whole text first and only then is the text cut. A
 * text cut first can split a key so that neither half matches it any more and the rest of it survives.
 */
import { redact } from '../../logger';

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not scrubbed (they would match ordinary words). */
const MIN_SECRET = 4;
/** Any run of this many characters of a secret, anywhere in the text, is treated as part of it. */
const MIN_FRAGMENT = 8;
/** At the very start or end of the text (where the server may have cut it), a shorter piece counts too. */
const MIN_EDGE_FRAGMENT = 4;

/** The ways a secret is spelled inside a server's message: as is, URL-encoded, form-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const component = encodeURIComponent(secret);
  forms.add(component);
  forms.add(component.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  forms.add(component.replace(/%20/g, '+'));
  forms.add(encodeURI(secret));
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms];
}

function secretSpellings(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) if (secret.length >= MIN_SECRET) for (const form of spellings(secret)) all.add(form);
  // Longest first, so a spelling that contains another is removed whole.
  return [...all].sort((a, b) => b.length - a.length);
}

/** Replaces every run of text made of `MIN_FRAGMENT`-long pieces of a secret with one marker. */
function removeFragments(text: string, forms: readonly string[]): string {
  const pieces = new Set<string>();
  for (const form of forms) for (let i = 0; i + MIN_FRAGMENT <= form.length; i++) pieces.add(form.slice(i, i + MIN_FRAGMENT));
  if (pieces.size === 0 || text.length < MIN_FRAGMENT) return text;
  // covered[i]: position i lies inside some piece of a secret. One pass over the text, one lookup per position.
  const covered = new Uint8Array(text.length);
  let any = false;
  for (let i = 0; i + MIN_FRAGMENT <= text.length; i++) {
    if (!pieces.has(text.slice(i, i + MIN_FRAGMENT))) continue;
    covered.fill(1, i, i + MIN_FRAGMENT);
    any = true;
  }
  if (!any) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (covered[i] === 0) {
      out += text[i];
      i++;
      continue;
    }
    while (i < text.length && covered[i] === 1) i++;
    out += REDACTED;
  }
  return out;
}

/** A head of a secret at the end of the text, or a tail at its start: what a cut by the server leaves. */
function removeEdgeFragments(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) {
    for (let n = Math.min(form.length - 1, out.length); n >= MIN_EDGE_FRAGMENT; n--) {
      if (out.endsWith(form.slice(0, n))) {
        out = out.slice(0, out.length - n) + REDACTED;
        break;
      }
    }
    for (let n = Math.min(form.length - 1, out.length); n >= MIN_EDGE_FRAGMENT; n--) {
      if (out.startsWith(form.slice(form.length - n))) {
        out = REDACTED + out.slice(n);
        break;
      }
    }
  }
  return out;
}

/** `text` with every secret, every spelling of it and every recognisable piece of it removed. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  const forms = secretSpellings(secrets);
  let out = text;
  for (const form of forms) out = out.split(form).join(REDACTED);
  out = removeFragments(out, forms);
  out = removeEdgeFragments(out, forms);
  return redact(out);
}

/**
 * A server's message as the UI shows it: secrets removed from the whole text, then one line, then cut to
 * `max` characters (with an ellipsis).
 */
export function serverDetail(text: string, secrets: readonly string[] = [], max = 300): string {
  const single = scrubSecrets(scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim(), secrets);
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}
