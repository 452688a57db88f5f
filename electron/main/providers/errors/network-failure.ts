/**
 * A request that got no HTTP answer as an AppError: undici's `TypeError: fetch failed` with its
 * `cause.code`, Electron's `net::ERR_*` messages, TLS failures and timeouts.
 */
import { APIConnectionTimeoutError } from 'openai';
import type { AppError } from '../../../../shared/result';
import { err, hostOf, hostnameOf, type ErrorContext } from './error-context';

/** Every `code` and message found along an error's cause chain (and inside AggregateErrors). */
export function collectCauses(error: unknown): { codes: string[]; messages: string[]; names: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  const names: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (depth > 8 || e === null || e === undefined || seen.has(e)) return;
    seen.add(e);
    if (typeof e === 'object') {
      const o = e as Record<string, unknown>;
      if (typeof o.code === 'string') codes.push(o.code);
      if (typeof o.message === 'string') messages.push(o.message);
      if (typeof o.name === 'string') names.push(o.name);
      if ('cause' in o) visit(o.cause, depth + 1);
      if (Array.isArray(o.errors)) for (const inner of o.errors) visit(inner, depth + 1);
    } else if (typeof e === 'string') {
      messages.push(e);
    }
  };
  visit(error, 0);
  return { codes, messages, names };
}

const TLS_CODES = /^(?:CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:VERIFY|GET)|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_CERT)/;

type TlsReason = 'self_signed' | 'expired' | 'not_yet_valid' | 'wrong_host' | 'not_https' | 'untrusted' | 'other';

const TLS_REASON_TEXT: Record<TlsReason, string> = {
  self_signed: 'its certificate is self-signed',
  expired: 'its certificate has expired',
  not_yet_valid: 'its certificate is not valid yet',
  wrong_host: 'its certificate is for a different host name',
  not_https: 'it does not speak HTTPS on this port',
  untrusted: 'its certificate is not trusted by this computer',
  other: 'the certificate could not be verified',
};

function tlsReason(codes: string[], messages: string[]): TlsReason {
  const all = `${codes.join(' ')} ${messages.join(' ')}`;
  if (/SELF_SIGNED|self[- ]signed/i.test(all)) return 'self_signed';
  if (/EXPIRED|CERT_DATE_INVALID/i.test(all)) return 'expired';
  if (/NOT_YET_VALID/i.test(all)) return 'not_yet_valid';
  if (/ALTNAME|COMMON_NAME|HOSTNAME_MISMATCH|does not match/i.test(all)) return 'wrong_host';
  if (/WRONG_VERSION_NUMBER|SSL_PROTOCOL|EPROTO|packet length too long/i.test(all)) return 'not_https';
  if (/UNABLE_TO_(?:VERIFY|GET)|AUTHORITY_INVALID|issuer/i.test(all)) return 'untrusted';
  return 'other';
}

export function networkFailure(error: unknown, ctx: ErrorContext): AppError | null {
  const { codes, messages, names } = collectCauses(error);
  const all = `${codes.join(' ')} ${messages.join(' ')}`;
  const host = hostOf(ctx.baseUrl);
  const seconds = ctx.timeoutMs ? Math.round(ctx.timeoutMs / 1000) : 0;
  const has = (re: RegExp) => codes.some((c) => re.test(c)) || re.test(messages.join(' '));

  if (has(/ECONNREFUSED|ERR_CONNECTION_REFUSED/)) {
    return err('CONNECTION_REFUSED', `Could not connect to ${host}: the connection was refused.`, {
      hint: 'Is the server running? Check that it is started and listening on this address and port.',
      retryable: true,
      params: { host },
    });
  }
  if (has(/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/)) {
    const hostname = hostnameOf(ctx);
    return err('DNS_FAILED', `The host name ${hostname} could not be found.`, {
      hint: 'Check the spelling of the API Base URL and your internet connection.',
      retryable: codes.includes('EAI_AGAIN'),
      params: { host: hostname },
    });
  }
  if (codes.some((c) => TLS_CODES.test(c)) || /net::ERR_(?:CERT|SSL)|certificate|ssl routines|wrong version number/i.test(all)) {
    const reason = tlsReason(codes, messages);
    return err('TLS_FAILED', `The secure connection to ${host} failed: ${TLS_REASON_TEXT[reason]}.`, {
      hint:
        reason === 'not_https'
          ? 'The server may only speak plain HTTP on this port: try http:// if it runs on this machine or a network you trust.'
          : 'Use a certificate this computer trusts, or http:// for a server on this machine. Switchboard never skips certificate checks.',
      retryable: false,
      params: { host, context: reason },
    });
  }
  if (
    error instanceof APIConnectionTimeoutError ||
    names.includes('TimeoutError') ||
    has(/UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|ETIMEDOUT|ERR_CONNECTION_TIMED_OUT|ERR_TIMED_OUT/)
  ) {
    return err(
      'CONNECT_TIMEOUT',
      seconds ? `${host} did not answer within ${seconds} seconds.` : `${host} did not answer in time.`,
      {
        hint: 'Check that the address is right and the server is reachable (VPN, proxy or firewall), then try again.',
        retryable: true,
        params: { host, seconds, ...(seconds ? {} : { context: 'unknown' }) },
      },
    );
  }
  if (has(/ECONNRESET|UND_ERR_SOCKET|EPIPE|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|other side closed/)) {
    return err('NETWORK_ERROR', `The connection to ${host} was closed before it answered.`, {
      hint: 'The server or a proxy dropped the connection. Check that the URL points at the API, then try again.',
      retryable: true,
      params: { host, context: 'reset' },
    });
  }
  if (has(/EHOSTUNREACH|ENETUNREACH|ENETDOWN|ERR_INTERNET_DISCONNECTED|ERR_ADDRESS_UNREACHABLE|ERR_NETWORK_CHANGED|ERR_PROXY/)) {
    return err('NETWORK_ERROR', `${host} cannot be reached from this computer.`, {
      hint: 'Check your network connection, VPN or proxy settings.',
      retryable: true,
      params: { host, context: 'unreachable' },
    });
  }
  return null;
}
