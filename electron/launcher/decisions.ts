/**
 * Every decision `npm start` / `npm run dev` make, as pure functions: where Electron's binary is and
 * whether it is installed, which data dir the app uses on this platform, why the one-time download failed
 * and the one sentence that says so. Nothing here touches the file system, the network or `electron`
 * (requiring `electron` without its binary starts a download and throws), so it is tested with plain values.
 */
import path from 'node:path';

export type LaunchMode = 'start' | 'dev';

/** Electron's `app.getName()` is package.json's productName when present, so userData ends in it. */
export const PRODUCT_NAME = 'Switchboard';

/** Overrides the data dir in both modes; the Electron main process reads the same variable. */
export const USER_DATA_DIR_ENV = 'SWITCHBOARD_USER_DATA_DIR';

/** Set to 1 to skip Electron and run the browser host. */
export const FORCE_BROWSER_HOST_ENV = 'SWITCHBOARD_BROWSER_HOST';

/** The one-time download is about 100 MB; a slow line gets ten minutes before we give up on it. */
export const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The path of Electron's executable inside its dist folder, the same names the electron package's
 * install.js writes to path.txt; null where Electron publishes no build.
 */
export function platformExecutable(platform: string): string | null {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return null;
  }
}

export interface BinaryLocationInput {
  /** node_modules/electron */
  packageDir: string;
  /** The content of node_modules/electron/path.txt, or null when the file is missing. */
  pathTxt: string | null;
  platform: string;
  env: Env;
}

/**
 * Where the electron package would run Electron from (its index.js): ELECTRON_OVERRIDE_DIST_PATH joined
 * with path.txt's entry, else dist/ + path.txt's entry. Null when neither says where (never installed).
 */
export function electronBinaryPath(input: BinaryLocationInput): string | null {
  const entry = input.pathTxt?.trim() || null;
  const override = input.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const name = entry ?? platformExecutable(input.platform);
    return name ? path.join(override, name) : null;
  }
  return entry ? path.join(input.packageDir, 'dist', entry) : null;
}

export type BinaryStatus = { installed: true; path: string } | { installed: false; path: string | null };

/** Installed means path.txt (or the override) names a binary and that file exists. */
export function electronBinaryStatus(input: BinaryLocationInput, exists: (file: string) => boolean): BinaryStatus {
  const binary = electronBinaryPath(input);
  return binary && exists(binary) ? { installed: true, path: binary } : { installed: false, path: binary };
}

export interface DataDirInput {
  platform: string;
  env: Env;
  homedir: string;
}

/** Electron's `app.getPath('appData')` (docs/api/app.md, getPath). */
export function appDataDir({ platform, env, homedir }: DataDirInput): string {
  if (platform === 'win32') return env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || path.posix.join(homedir, '.config');
}

/**
 * The app's own data dir, the one Electron's `app.getPath('userData')` gives the desktop app:
 * SWITCHBOARD_USER_DATA_DIR when set (resolved against cwd, as the main process does), else
 * appData + productName.
 */
export function userDataDir(input: DataDirInput & { cwd: string }): string {
  const override = input.env[USER_DATA_DIR_ENV];
  if (override) return path.resolve(input.cwd, override);
  const join = input.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(appDataDir(input), PRODUCT_NAME);
}

/** SWITCHBOARD_BROWSER_HOST=1 (or true/yes) forces the browser host. */
export function browserHostForced(env: Env): boolean {
  return /^(1|true|yes)$/i.test(env[FORCE_BROWSER_HOST_ENV]?.trim() ?? '');
}

/** glibc's tunables variable, read once when a process starts (before any JavaScript runs). */
export const GLIBC_TUNABLES_ENV = 'GLIBC_TUNABLES';

/**
 * The mmap threshold the browser host runs with: glibc's own initial value (128 KiB), fixed. Left alone,
 * glibc raises the threshold to the size of every large block it frees (up to 32 MiB), so after one
 * multi-megabyte request body every later buffer of up to that size comes from the main heap, which
 * fragments and never shrinks: 50 turns with images grew the host by 50-57 MB that nothing held (JS heap
 * +1.7 MB, [heap] 19 -> 72 MB in /proc/self/smaps). A fixed threshold (which also turns off that dynamic
 * adjustment) gives each block of 128 KiB or more its own mapping, returned to the system when freed:
 * growth 1.8-5.4 MB over the same 50 turns.
 */
export const HOST_MMAP_THRESHOLD_BYTES = 128 * 1024;

const MMAP_THRESHOLD_TUNABLE = 'glibc.malloc.mmap_threshold';

export interface HostEnvInput {
  platform: string;
  env: Env;
  /** `process.report.getReport().header.glibcVersionRuntime`: undefined where libc is not glibc (musl). */
  glibcVersion: string | undefined;
}

/**
 * The environment the browser host's process is started with: the caller's, plus a fixed malloc mmap
 * threshold where the C library is glibc. A threshold (or any `glibc.malloc.mmap_threshold`) the user
 * already set is kept, other tunables in GLIBC_TUNABLES are kept, and elsewhere (macOS, Windows, musl)
 * the environment is unchanged.
 */
export function browserHostEnv(input: HostEnvInput): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...input.env };
  if (input.platform !== 'linux' || !input.glibcVersion) return env;
  const current = input.env[GLIBC_TUNABLES_ENV]?.trim() ?? '';
  const entries = current === '' ? [] : current.split(':').filter((entry) => entry !== '');
  if (entries.some((entry) => entry.split('=')[0] === MMAP_THRESHOLD_TUNABLE)) return env;
  env[GLIBC_TUNABLES_ENV] = [...entries, `${MMAP_THRESHOLD_TUNABLE}=${HOST_MMAP_THRESHOLD_BYTES}`].join(':');
  return env;
}

export type InstallFailure =
  | { kind: 'offline' }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'unsupported-platform'; platform: string }
  | { kind: 'checksum' }
  | { kind: 'http'; status: string }
  | { kind: 'no-binary-after-install' }
  | { kind: 'installer-failed'; exitCode: number | null; signal: string | null };

export interface InstallOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** What the installer printed (stdout and stderr together). */
  output: string;
  /** Whether the binary exists once the installer has finished. */
  binaryPresent: boolean;
}

/**
 * Why the electron package's installer (install.js, which uses @electron/get) left no binary, read from
 * its exit and output. Null when the binary is there.
 */
export function classifyInstall(outcome: InstallOutcome, platform: string, timeoutMs: number = INSTALL_TIMEOUT_MS): InstallFailure | null {
  if (outcome.binaryPresent) return null;
  if (outcome.timedOut) return { kind: 'timeout', afterMs: timeoutMs };
  const out = outcome.output;
  if (platformExecutable(platform) === null || /Electron builds are not available on platform|does not have a published/.test(out)) {
    return { kind: 'unsupported-platform', platform };
  }
  if (/ChecksumMismatchError|did not match expected checksum|No checksum found/i.test(out)) return { kind: 'checksum' };
  const http = /HTTPError: Response code (\d{3})/.exec(out);
  if (http) return { kind: 'http', status: http[1]! };
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|UND_ERR_/.test(out)) {
    return { kind: 'offline' };
  }
  if (outcome.exitCode === 0 && outcome.signal === null) return { kind: 'no-binary-after-install' };
  return { kind: 'installer-failed', exitCode: outcome.exitCode, signal: outcome.signal };
}

function failureReason(failure: InstallFailure): string {
  switch (failure.kind) {
    case 'offline':
      return 'Electron could not be downloaded (fetch failed: this machine cannot reach the download server)';
    case 'timeout':
      return `Electron's download did not finish within ${Math.round(failure.afterMs / 60_000)} minutes`;
    case 'unsupported-platform':
      return `Electron publishes no build for this platform (${failure.platform})`;
    case 'checksum':
      return "Electron's download did not match its published checksum";
    case 'http':
      return `Electron could not be downloaded (the server answered HTTP ${failure.status})`;
    case 'no-binary-after-install':
      return "Electron's installer finished but left no binary in node_modules/electron";
    case 'installer-failed':
      return `Electron's installer failed (${failure.signal ? `killed by ${failure.signal}` : `exit code ${failure.exitCode}`})`;
  }
}

/** What the browser host gives up compared with Electron in this mode. */
function fallbackClause(mode: LaunchMode): string {
  return mode === 'dev'
    ? 'so Switchboard is running from a fresh build in your browser instead (hot reload needs Electron): open the URL below.'
    : 'so Switchboard is running in your browser instead: open the URL below.';
}

/** The one sentence `npm start` / `npm run dev` print before the browser host's URL. */
export function fallbackSentence(cause: InstallFailure | { kind: 'forced' }, mode: LaunchMode): string {
  const reason = cause.kind === 'forced' ? `${FORCE_BROWSER_HOST_ENV} is set` : failureReason(cause);
  return `${reason}, ${fallbackClause(mode)}`;
}

export type LaunchPlan =
  | { kind: 'electron'; binary: string }
  | { kind: 'install' }
  | { kind: 'browser-host'; sentence: string };

/** Before the installer has run: start Electron, run the installer once, or go straight to the browser host. */
export function planLaunch(input: { mode: LaunchMode; forced: boolean; status: BinaryStatus; platform: string }): LaunchPlan {
  if (input.forced) return { kind: 'browser-host', sentence: fallbackSentence({ kind: 'forced' }, input.mode) };
  if (input.status.installed) return { kind: 'electron', binary: input.status.path };
  if (platformExecutable(input.platform) === null) {
    return { kind: 'browser-host', sentence: fallbackSentence({ kind: 'unsupported-platform', platform: input.platform }, input.mode) };
  }
  return { kind: 'install' };
}

/** After the installer has run once: start Electron or fall back, saying why. */
export function planAfterInstall(input: { mode: LaunchMode; outcome: InstallOutcome; binary: string | null; platform: string; timeoutMs?: number }): LaunchPlan {
  const failure = classifyInstall(input.outcome, input.platform, input.timeoutMs);
  if (failure === null && input.binary) return { kind: 'electron', binary: input.binary };
  return { kind: 'browser-host', sentence: fallbackSentence(failure ?? { kind: 'no-binary-after-install' }, input.mode) };
}
