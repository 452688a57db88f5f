import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appDataDir,
  browserHostEnv,
  browserHostForced,
  classifyInstall,
  electronBinaryPath,
  electronBinaryStatus,
  fallbackSentence,
  planAfterInstall,
  planLaunch,
  userDataDir,
  type InstallOutcome,
} from '../../../electron/launcher/decisions';

const pkg = '/repo/node_modules/electron';
const failed = (output: string, extra: Partial<InstallOutcome> = {}): InstallOutcome => ({
  exitCode: 1,
  signal: null,
  timedOut: false,
  output,
  binaryPresent: false,
  ...extra,
});
/** One sentence: a single final full stop, none inside. */
const oneSentence = (text: string) => {
  expect(text).not.toContain('\n');
  expect(text.endsWith('.')).toBe(true);
  expect(text.slice(0, -1)).not.toMatch(/\.\s/);
};

describe('where the Electron binary is', () => {
  it('is dist/ + path.txt, as the electron package runs it', () => {
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: 'electron', platform: 'linux', env: {} })).toBe(path.join(pkg, 'dist', 'electron'));
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: 'Electron.app/Contents/MacOS/Electron\n', platform: 'darwin', env: {} })).toBe(
      path.join(pkg, 'dist', 'Electron.app/Contents/MacOS/Electron'),
    );
  });

  it('is unknown when path.txt is missing or empty (never installed)', () => {
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: null, platform: 'linux', env: {} })).toBeNull();
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: '  ', platform: 'linux', env: {} })).toBeNull();
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, with or without path.txt', () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/custom/dist' };
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: null, platform: 'linux', env })).toBe(path.join('/custom/dist', 'electron'));
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: null, platform: 'win32', env })).toBe(path.join('/custom/dist', 'electron.exe'));
    expect(electronBinaryPath({ packageDir: pkg, pathTxt: 'electron', platform: 'linux', env })).toBe(path.join('/custom/dist', 'electron'));
  });

  it('counts as installed only when the named file exists', () => {
    const input = { packageDir: pkg, pathTxt: 'electron', platform: 'linux', env: {} };
    const binary = path.join(pkg, 'dist', 'electron');
    expect(electronBinaryStatus(input, (f) => f === binary)).toEqual({ installed: true, path: binary });
    // path.txt left behind by an interrupted install, or a dist folder deleted by hand.
    expect(electronBinaryStatus(input, () => false)).toEqual({ installed: false, path: binary });
    expect(electronBinaryStatus({ ...input, pathTxt: null }, () => true)).toEqual({ installed: false, path: null });
  });
});

describe('the app’s own data dir (Electron’s app.getPath("userData"))', () => {
  it('is $XDG_CONFIG_HOME/Switchboard or ~/.config/Switchboard on Linux', () => {
    expect(userDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, homedir: '/home/ana', cwd: '/repo' })).toBe('/x/cfg/Switchboard');
    expect(userDataDir({ platform: 'linux', env: {}, homedir: '/home/ana', cwd: '/repo' })).toBe('/home/ana/.config/Switchboard');
    expect(userDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '' }, homedir: '/home/ana', cwd: '/repo' })).toBe('/home/ana/.config/Switchboard');
  });

  it('is ~/Library/Application Support/Switchboard on macOS, whatever XDG_CONFIG_HOME says', () => {
    expect(userDataDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/x/cfg' }, homedir: '/Users/ana', cwd: '/repo' })).toBe(
      '/Users/ana/Library/Application Support/Switchboard',
    );
  });

  it('is %APPDATA%\\Switchboard on Windows', () => {
    expect(userDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, homedir: 'C:\\Users\\ana', cwd: 'C:\\repo' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Switchboard',
    );
    expect(appDataDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming');
  });

  it('is SWITCHBOARD_USER_DATA_DIR when set, resolved like the main process resolves it', () => {
    expect(userDataDir({ platform: 'linux', env: { SWITCHBOARD_USER_DATA_DIR: '/data/sb', XDG_CONFIG_HOME: '/x' }, homedir: '/h', cwd: '/repo' })).toBe('/data/sb');
    expect(userDataDir({ platform: 'linux', env: { SWITCHBOARD_USER_DATA_DIR: 'local-data' }, homedir: '/h', cwd: '/repo' })).toBe(path.resolve('/repo', 'local-data'));
  });
});

describe('forcing the browser host', () => {
  it('takes 1, true or yes; anything else leaves the choice to the binary check', () => {
    for (const v of ['1', 'true', 'YES', ' 1 ']) expect(browserHostForced({ SWITCHBOARD_BROWSER_HOST: v })).toBe(true);
    for (const v of [undefined, '', '0', 'false', 'no']) expect(browserHostForced({ SWITCHBOARD_BROWSER_HOST: v })).toBe(false);
  });
});

describe('the browser host’s environment (glibc’s malloc mmap threshold)', () => {
  const glibc = '2.41';
  it('adds a fixed 128 KiB threshold on glibc Linux, keeping the rest of the environment', () => {
    const env = browserHostEnv({ platform: 'linux', env: { PATH: '/usr/bin', HOME: '/home/u' }, glibcVersion: glibc });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' });
  });
  it('appends to tunables already set, and keeps a threshold the user chose', () => {
    expect(browserHostEnv({ platform: 'linux', env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, glibcVersion: glibc }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072',
    );
    for (const own of ['glibc.malloc.mmap_threshold=65536', 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=1048576']) {
      expect(browserHostEnv({ platform: 'linux', env: { GLIBC_TUNABLES: own }, glibcVersion: glibc }).GLIBC_TUNABLES).toBe(own);
    }
    expect(browserHostEnv({ platform: 'linux', env: { GLIBC_TUNABLES: '' }, glibcVersion: glibc }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.mmap_threshold=131072',
    );
  });
  it('changes nothing where the C library is not glibc (macOS, Windows, musl)', () => {
    for (const [platform, glibcVersion] of [['darwin', undefined], ['win32', undefined], ['linux', undefined]] as const) {
      expect(browserHostEnv({ platform, env: { PATH: '/bin' }, glibcVersion })).toEqual({ PATH: '/bin' });
    }
  });
  it('returns a copy: the caller’s environment is never modified', () => {
    const env = { PATH: '/bin' };
    browserHostEnv({ platform: 'linux', env, glibcVersion: glibc });
    expect(env).toEqual({ PATH: '/bin' });
  });
});

describe('why the one-time download failed', () => {
  it('reads install.js’s own failures (@electron/get’s errors as printed by its catch)', () => {
    expect(classifyInstall(failed('TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13'), 'linux')).toEqual({ kind: 'offline' });
    expect(classifyInstall(failed('Error: getaddrinfo ENOTFOUND github.com'), 'linux')).toEqual({ kind: 'offline' });
    expect(classifyInstall(failed('HTTPError: Response code 404 (Not Found) for http://mirror/v45.4.1/electron-v45.4.1-linux-x64.zip'), 'linux')).toEqual({
      kind: 'http',
      status: '404',
    });
    expect(classifyInstall(failed('ChecksumMismatchError: Generated checksum for "electron-v45.4.1-linux-x64.zip" did not match expected checksum.'), 'linux')).toEqual({
      kind: 'checksum',
    });
    expect(classifyInstall(failed('Error: Electron builds are not available on platform: aix'), 'aix')).toEqual({ kind: 'unsupported-platform', platform: 'aix' });
    expect(classifyInstall(failed('Error: Electron v45.4.1 does not have a published linux/armv7l artifact.'), 'linux')).toEqual({
      kind: 'unsupported-platform',
      platform: 'linux',
    });
  });

  it('says timeout when the installer was killed for taking too long, whatever it printed', () => {
    expect(classifyInstall(failed('Downloading…', { exitCode: null, signal: 'SIGKILL', timedOut: true }), 'linux', 600_000)).toEqual({ kind: 'timeout', afterMs: 600_000 });
  });

  it('tells an unexplained failure from a run that succeeded but left no binary', () => {
    expect(classifyInstall(failed('Error: EACCES: permission denied, mkdir'), 'linux')).toEqual({ kind: 'installer-failed', exitCode: 1, signal: null });
    expect(classifyInstall(failed('', { exitCode: 0 }), 'linux')).toEqual({ kind: 'no-binary-after-install' });
  });

  it('is no failure when the binary is there', () => {
    expect(classifyInstall(failed('TypeError: fetch failed', { binaryPresent: true }), 'linux')).toBeNull();
  });
});

describe('the one sentence', () => {
  it('says why and what happens instead, for every cause', () => {
    const causes = [
      { kind: 'offline' },
      { kind: 'timeout', afterMs: 600_000 },
      { kind: 'unsupported-platform', platform: 'aix' },
      { kind: 'checksum' },
      { kind: 'http', status: '403' },
      { kind: 'no-binary-after-install' },
      { kind: 'installer-failed', exitCode: 1, signal: null },
      { kind: 'installer-failed', exitCode: null, signal: 'SIGSEGV' },
      { kind: 'forced' },
    ] as const;
    for (const cause of causes) {
      for (const mode of ['start', 'dev'] as const) {
        const text = fallbackSentence(cause, mode);
        oneSentence(text);
        expect(text).toMatch(/running .*in your browser instead/);
        expect(text).toMatch(/open the URL below\.$/);
        if (mode === 'dev') expect(text).toContain('hot reload needs Electron');
      }
    }
    expect(fallbackSentence({ kind: 'offline' }, 'start')).toBe(
      'Electron could not be downloaded (fetch failed: this machine cannot reach the download server), so Switchboard is running in your browser instead: open the URL below.',
    );
    expect(fallbackSentence({ kind: 'timeout', afterMs: 600_000 }, 'start')).toMatch(/^Electron's download did not finish within 10 minutes, /);
    expect(fallbackSentence({ kind: 'checksum' }, 'start')).toMatch(/did not match its published checksum/);
    expect(fallbackSentence({ kind: 'unsupported-platform', platform: 'aix' }, 'start')).toMatch(/no build for this platform \(aix\)/);
    expect(fallbackSentence({ kind: 'http', status: '403' }, 'start')).toMatch(/HTTP 403/);
    expect(fallbackSentence({ kind: 'installer-failed', exitCode: null, signal: 'SIGSEGV' }, 'start')).toMatch(/killed by SIGSEGV/);
    expect(fallbackSentence({ kind: 'forced' }, 'start')).toMatch(/^SWITCHBOARD_BROWSER_HOST is set, /);
  });
});

describe('what to launch', () => {
  const installed = { installed: true, path: '/bin/electron' } as const;
  const missing = { installed: false, path: null } as const;

  it('starts Electron when it is installed, runs the installer once when not', () => {
    expect(planLaunch({ mode: 'start', forced: false, status: installed, platform: 'linux' })).toEqual({ kind: 'electron', binary: '/bin/electron' });
    expect(planLaunch({ mode: 'dev', forced: false, status: missing, platform: 'linux' })).toEqual({ kind: 'install' });
  });

  it('goes straight to the browser host when forced or where Electron has no build', () => {
    expect(planLaunch({ mode: 'start', forced: true, status: installed, platform: 'linux' })).toMatchObject({ kind: 'browser-host', sentence: expect.stringMatching(/^SWITCHBOARD_BROWSER_HOST is set/) });
    expect(planLaunch({ mode: 'start', forced: false, status: missing, platform: 'aix' })).toMatchObject({ kind: 'browser-host', sentence: expect.stringMatching(/\(aix\)/) });
  });

  it('after the installer: Electron if the binary is now there, else the browser host with the reason', () => {
    expect(planAfterInstall({ mode: 'start', outcome: failed('', { exitCode: 0, binaryPresent: true }), binary: '/bin/electron', platform: 'linux' })).toEqual({
      kind: 'electron',
      binary: '/bin/electron',
    });
    expect(planAfterInstall({ mode: 'dev', outcome: failed('TypeError: fetch failed'), binary: null, platform: 'linux' })).toEqual({
      kind: 'browser-host',
      sentence: fallbackSentence({ kind: 'offline' }, 'dev'),
    });
  });
});
