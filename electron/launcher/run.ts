/**
 * `npm start` and `npm run dev` (`tsx electron/launcher/run.ts start|dev`).
 *
 * Since Electron 42 the electron package downloads its binary only when its own index.js or bin runs, and
 * electron-vite refuses to start ("Electron uninstall") until node_modules/electron/path.txt exists. So this
 * launcher makes sure the binary is there (running the package's own installer once, bounded and with its
 * output shown), hands its path to electron-vite's CLI (ELECTRON_EXEC_PATH), and where the binary cannot be
 * had says why in one sentence and serves the app through the browser host on the app's own data dir and
 * keychain. It never requires `electron`: without the binary that starts the download again and throws.
 * The decisions live in ./decisions.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  browserHostForced,
  electronBinaryStatus,
  INSTALL_TIMEOUT_MS,
  planAfterInstall,
  planLaunch,
  userDataDir,
  type BinaryLocationInput,
  type InstallOutcome,
  type LaunchMode,
  type LaunchPlan,
} from './decisions';
import { hostProcessEnv } from './host-process-env';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const electronPackageDir = path.join(root, 'node_modules', 'electron');
const electronViteCli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const browserHostCli = path.join(root, 'electron', 'browser-host', 'cli.ts');

function binaryLocation(): BinaryLocationInput {
  const pathFile = path.join(electronPackageDir, 'path.txt');
  return {
    packageDir: electronPackageDir,
    pathTxt: fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8') : null,
    platform: process.platform,
    env: process.env,
  };
}

/** Runs a child with its output on our terminal and forwards Ctrl+C / SIGTERM to it. */
function runInherited(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  return waitForChild(child);
}

function waitForChild(child: ChildProcess): Promise<number> {
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`Could not run ${child.spawnfile}: ${error.message}.`);
      resolve(1);
    });
    child.once('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** The electron package's own installer, once, bounded by a timeout; its output is shown and kept. */
function runElectronInstaller(timeoutMs: number): Promise<Omit<InstallOutcome, 'binaryPresent'>> {
  console.log('Downloading Electron (first start only)…');
  const child = spawn(process.execPath, [path.join(electronPackageDir, 'install.js')], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    output += chunk.toString();
    to.write(chunk);
  };
  child.stdout.on('data', keep(process.stdout));
  child.stderr.on('data', keep(process.stderr));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, signal: null, timedOut, output: `${output}\n${error.message}` });
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut, output });
    });
  });
}

async function build(): Promise<number> {
  return runInherited([electronViteCli, 'build']);
}

async function runElectron(mode: LaunchMode, binary: string): Promise<number> {
  // electron-vite reads ELECTRON_EXEC_PATH before path.txt, so it runs the binary found here (including one
  // under ELECTRON_OVERRIDE_DIST_PATH, which it does not read itself).
  const args = mode === 'start' ? [electronViteCli, 'preview', '--skipBuild'] : [electronViteCli, 'dev'];
  return runInherited(args, { ...process.env, ELECTRON_EXEC_PATH: binary });
}

/**
 * The browser host runs in a process of its own (as Electron would), started with `browserHostEnv`: on
 * glibc that fixes malloc's mmap threshold, which can only be set before a process starts.
 */
async function runBrowserHost(sentence: string): Promise<number> {
  const dataDir = userDataDir({ platform: process.platform, env: process.env, homedir: os.homedir(), cwd: process.cwd() });
  console.log(sentence);
  // process.execArgv carries tsx's loader, so the child runs cli.ts as this process runs run.ts.
  return runInherited([...process.execArgv, browserHostCli, '--data-dir', dataDir], hostProcessEnv());
}

async function main(mode: LaunchMode, skipBuild: boolean): Promise<number> {
  // `npm start` builds first (electron-vite preview would too); `npm run dev` builds inside electron-vite dev.
  if (mode === 'start' && !skipBuild) {
    const built = await build();
    if (built !== 0) return built;
  }
  let plan: LaunchPlan = planLaunch({
    mode,
    forced: browserHostForced(process.env),
    status: electronBinaryStatus(binaryLocation(), fs.existsSync),
    platform: process.platform,
  });
  if (plan.kind === 'install') {
    const outcome = await runElectronInstaller(INSTALL_TIMEOUT_MS);
    const after = electronBinaryStatus(binaryLocation(), fs.existsSync);
    plan = planAfterInstall({
      mode,
      outcome: { ...outcome, binaryPresent: after.installed },
      binary: after.path,
      platform: process.platform,
    });
  }
  if (plan.kind === 'electron') return runElectron(mode, plan.binary);
  if (plan.kind === 'install') throw new Error('the installer was planned twice');
  if (mode === 'dev' && !skipBuild) {
    const built = await build();
    if (built !== 0) return built;
  }
  return runBrowserHost(plan.sentence);
}

const [mode, ...flags] = process.argv.slice(2);
// --skip-build (like electron-vite preview's --skipBuild): use the build already in out/.
if ((mode !== 'start' && mode !== 'dev') || flags.some((flag) => flag !== '--skip-build')) {
  console.error('Usage: tsx electron/launcher/run.ts start|dev [--skip-build]');
  process.exit(2);
}
main(mode, flags.includes('--skip-build')).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
