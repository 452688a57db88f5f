/**
 * Turns what keytar throws into something a user can act on. keytar only gives us the OS library's message
 * text (libsecret over D-Bus on Linux, Security.framework on macOS, Credential Manager on Windows), so the
 * classification reads those messages. The English messages say what is wrong and how to fix it; the
 * renderer translates by the matching KEYCHAIN_* error code.
 */
import type { KeychainState, KeychainStatus } from '../../../shared/models/provider';
import type { AppError, ErrorCode } from '../../../shared/result';
import { redact } from '../logger';

export type KeychainProblem = Exclude<KeychainState, 'available'>;

const UNAVAILABLE = [
  /Cannot autolaunch D-Bus/i,
  /org\.freedesktop\.secrets was not provided/i,
  /ServiceUnknown/i,
  /DBUS_SESSION_BUS_ADDRESS/i,
  /Could not connect: (?:No such file|Connection refused)/i,
  /Failed to execute child process .?dbus-launch/i,
  /Unable to autolaunch a dbus-daemon/i,
  /The name .* was not provided by any \.service files/i,
  /No such interface .*org\.freedesktop\.Secret/i,
  /libsecret/i,
  /Cannot find module|keytar\.node|was compiled against a different Node\.js version/i,
  // keytar's native module could not be loaded (a library it links against is missing).
  /cannot open shared object file|dlopen|Library not loaded|The specified module could not be found/i,
];
const LOCKED = [
  /locked/i,
  /Object does not exist at path .*\/collection\//i,
  /No such secret collection/i,
  /User interaction is not allowed/i,
  /default keychain could not be found|No keychain could be found/i,
];
const DENIED = [/Prompt dismissed/i, /cancel+ed/i, /denied/i, /not permitted/i, /user name or passphrase you entered is not correct/i];

export function classifyKeychainState(error: unknown): KeychainProblem {
  const text = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE.some((re) => re.test(text))) return 'unavailable';
  if (LOCKED.some((re) => re.test(text))) return 'locked';
  if (DENIED.some((re) => re.test(text))) return 'denied';
  return 'error';
}

function keyringAdvice(platform: string): string {
  if (platform === 'darwin') return 'Open Keychain Access and check that your login keychain is unlocked';
  if (platform === 'win32') return 'Check that Windows Credential Manager works for your user account';
  return 'Install and start a Secret Service keyring (GNOME Keyring or KWallet) in your desktop session, then restart Switchboard';
}

export const KEYCHAIN_MESSAGES: Record<KeychainProblem, (platform: string) => string> = {
  unavailable: (platform) =>
    `No system keychain is available, so API keys cannot be stored safely. ${keyringAdvice(platform)}, or keep keys for this session only.`,
  locked: (platform) =>
    platform === 'linux'
      ? 'The system keychain is locked (or has no default keyring yet). Unlock it — GNOME Keyring: the “Login” keyring in Passwords and Keys; KWallet: KWallet Manager — and try again, or keep keys for this session only.'
      : 'The system keychain is locked. Unlock it and try again, or keep keys for this session only.',
  denied: () =>
    'Switchboard was not allowed to use the system keychain (the request was denied or cancelled). Allow access when your system asks and try again, or keep keys for this session only.',
  error: () =>
    'The system keychain reported an error. Check that it works and try again, or keep keys for this session only.',
};

const HINTS: Record<KeychainProblem, string> = {
  unavailable:
    'Install and start a Secret Service keyring (GNOME Keyring or KWallet) and log in to your desktop session, then restart Switchboard. Or keep keys for this session only.',
  locked:
    'Unlock your keyring (GNOME Keyring: the “Login” keyring in Passwords and Keys; KWallet: KWallet Manager), then try again.',
  denied: 'Allow Switchboard to use the keychain when your system asks, then try again.',
  error: 'Check that your keychain works (e.g. in Passwords and Keys), then try again. Or keep keys for this session only.',
};

const CODES: Record<KeychainProblem, ErrorCode> = {
  unavailable: 'KEYCHAIN_UNAVAILABLE',
  locked: 'KEYCHAIN_LOCKED',
  denied: 'KEYCHAIN_DENIED',
  error: 'KEYCHAIN_ERROR',
};

/** The OS library's own words, for the details line; never contains a secret (keytar does not echo them). */
export function keychainDetail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redact(text.replace(/\s+/g, ' ').trim()).slice(0, 500);
}

export function keychainStatusFromError(error: unknown, sessionOnly: boolean, platform: string = process.platform): KeychainStatus {
  const state = classifyKeychainState(error);
  return { state, message: KEYCHAIN_MESSAGES[state](platform), detail: keychainDetail(error), sessionOnly };
}

export function keychainAppError(status: KeychainStatus): AppError {
  const state: KeychainProblem = status.state === 'available' ? 'error' : status.state;
  return {
    code: CODES[state],
    message: status.message ?? KEYCHAIN_MESSAGES[state](process.platform),
    hint: HINTS[state],
    retryable: state !== 'unavailable',
    params: { detail: status.detail ?? '' },
  };
}
