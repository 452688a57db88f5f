/**
 * Where API keys live. The app uses the OS keychain (keytar: macOS Keychain, Windows Credential Manager,
 * libsecret on Linux); when the user explicitly chooses it because the keychain is unavailable, keys are
 * kept in memory for this session only. There is no plaintext fallback.
 */
export const KEYCHAIN_SERVICE = 'Switchboard';

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Returns true when something was deleted. */
  delete(account: string): Promise<boolean>;
}
