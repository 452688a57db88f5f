/**
 * Finds an installed Electron binary without triggering the electron package's download-on-require
 * (which needs GitHub, unreachable on our build machines).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function findElectronBinary(): { path: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const candidate = override
    ? path.join(override, relative ?? 'electron')
    : relative
      ? path.join(pkgDir, 'dist', relative)
      : null;
  if (candidate && fs.existsSync(candidate)) return { path: candidate };
  return {
    missing:
      'no Electron binary is installed here (it is downloaded from GitHub, which this machine cannot reach); ' +
      'run `npx install-electron` or set ELECTRON_OVERRIDE_DIST_PATH where it can be downloaded',
  };
}
