/**
 * The environment for a browser host process started from this one (`npm start` without Electron, and the
 * benchmark's host): this process's environment through `browserHostEnv`, told which C library runs here.
 */
import { browserHostEnv } from './decisions';

/** The glibc version this process runs on; undefined on other C libraries and platforms. */
export function glibcVersion(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  return header?.glibcVersionRuntime;
}

export function hostProcessEnv(): NodeJS.ProcessEnv {
  return browserHostEnv({ platform: process.platform, env: process.env, glibcVersion: glibcVersion() });
}
