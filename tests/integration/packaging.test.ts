/**
 * What can be verified of the installers on a machine without the Electron binary or electron-builder's tool
 * downloads: the builder configuration is valid against electron-builder's own schema, the fuses are what
 * we promise, and packaging the production build (with a stand-in Electron distribution, since the real one
 * cannot be downloaded here) yields an app.asar with everything the app needs and nothing it must not ship.
 */
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { build, Platform } from 'electron-builder';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('names the product, takes the version from package.json and builds every installer we ship', () => {
    expect(config.productName).toBe('Switchboard');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config).not.toHaveProperty('version');
    expect(config).not.toHaveProperty('extraMetadata.version');
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg', 'zip']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    // One source image for every platform's icon.
    for (const os of ['linux', 'mac', 'win']) expect((config[os] as { icon: string }).icon).toBe('build/icon.png');
    // Nothing secret is committed: signing and notarisation come from the environment.
    const keys: string[] = [];
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object') return;
      for (const [k, child] of Object.entries(v)) {
        keys.push(k);
        walk(child);
      }
    };
    walk(config);
    expect(keys.filter((k) => /password|certificate(File|Subject)|cscLink|cscKey|apiKey|teamId|appleId/i.test(k))).toEqual([]);
  });

  it('flips the Electron fuses at package time as promised', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('Linux AppImage sandbox (Ubuntu 24.04+ restricts unprivileged user namespaces)', () => {
  it('does not start the AppImage with --no-sandbox from its desktop entry', () => {
    // electron-builder's default desktop entry for an AppImage is `AppRun --no-sandbox %U`.
    expect((config.appImage as { executableArgs?: unknown }).executableArgs).toEqual([]);
    expect(JSON.stringify(config)).not.toContain('no-sandbox');
  });

  it('ships an AppArmor profile for the AppImage that grants userns to the AppImage README tells users to keep, and README carries it verbatim', () => {
    const profile = fs.readFileSync(path.join(root, 'build/linux/switchboard-appimage.apparmor'), 'utf8');
    expect(profile).toContain('abi <abi/4.0>,');
    expect(profile).toMatch(/^\s*userns,$/m);
    const attach = /^profile switchboard-appimage (\S+) flags=\(unconfined\) \{$/m.exec(profile);
    expect(attach, profile).not.toBeNull();
    // AppArmor globs: `*` stays within one path segment. The default artifact name is
    // `${productName}-${version}[-${arch}].AppImage`, kept in ~/Applications per the README.
    const glob = new RegExp(`^${attach![1]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`);
    expect(`/home/ana/Applications/Switchboard-${pkg.version}.AppImage`).toMatch(glob);
    expect(`/home/ana/Applications/Switchboard-${pkg.version}-arm64.AppImage`).toMatch(glob);
    expect('/home/ana/Downloads/Switchboard-0.1.0.AppImage').not.toMatch(glob);
    expect('/home/ana/Applications/Other-0.1.0.AppImage').not.toMatch(glob);
    expect(profile).not.toContain('no-sandbox');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`sudo tee /etc/apparmor.d/switchboard-appimage > /dev/null <<'EOF'\n${profile}EOF\n`);
    expect(readme).toContain('sudo apparmor_parser -r /etc/apparmor.d/switchboard-appimage');
  });
});

describe('packaged app contents', () => {
  let appDir: string;

  beforeAll(async () => {
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/chat/index.html']) {
      if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
    }
    // A stand-in Electron distribution: the real one is a download from GitHub. Fuses need the real binary,
    // so they are checked in the configuration above instead.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-pack-'));
    const electronDist = path.join(tmp, 'electron-dist');
    fs.mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    fs.writeFileSync(path.join(electronDist, 'version'), `v${(require('electron/package.json') as { version: string }).version}`);
    fs.writeFileSync(path.join(electronDist, 'LICENSE'), '');
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      config: {
        ...config,
        electronFuses: null,
        electronDist,
        directories: { ...(config.directories as object), output: path.join(tmp, 'release') },
      },
    });
    appDir = path.join(tmp, 'release', 'linux-unpacked', 'resources');
  }, 180_000);

  it('contains the main process, the sandboxed preload and both windows', () => {
    const files = listPackage(path.join(appDir, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    for (const f of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/chat/index.html', '/out/renderer/settings/index.html', '/package.json']) {
      expect(files).toContain(f);
    }
  });

  it('names the executable the deb’s AppArmor profile grants user namespaces to (Ubuntu 24.04+)', () => {
    // The deb installs linux-unpacked as /opt/<productName>; electron-builder's after-install script copies
    // resources/apparmor-profile to /etc/apparmor.d/<executable> where AppArmor supports it. The fpm step that
    // renders it needs a download, so render electron-builder's own templates the way FpmTarget does.
    const deb = (config.deb ?? {}) as Record<string, unknown>;
    expect(deb).not.toHaveProperty('appArmorProfile');
    expect(deb).not.toHaveProperty('afterInstall');
    const executable = 'switchboard';
    expect(fs.statSync(path.join(path.dirname(appDir), executable)).isFile()).toBe(true);
    const render = (name: string) =>
      fs
        .readFileSync(path.join(path.dirname(require.resolve('app-builder-lib/package.json')), 'templates', 'linux', name), 'utf8')
        .replaceAll('${executable}', executable)
        .replaceAll('${sanitizedProductName}', String(config.productName));
    const profile = render('apparmor-profile.tpl');
    expect(profile).toContain('profile "switchboard" "/opt/Switchboard/switchboard" flags=(unconfined)');
    expect(profile).toMatch(/^\s*userns,$/m);
    const afterInstall = render('after-install.tpl');
    expect(afterInstall).toContain("APPARMOR_PROFILE_SOURCE='/opt/Switchboard/resources/apparmor-profile'");
    expect(afterInstall).toContain("APPARMOR_PROFILE_TARGET='/etc/apparmor.d/switchboard'");
    expect(afterInstall).toContain('apparmor_parser --replace');
  });

  it('keeps keytar’s native module outside the asar archive, where it can be loaded', () => {
    const unpacked = path.join(appDir, 'app.asar.unpacked', 'node_modules', 'keytar', 'build', 'Release', 'keytar.node');
    expect(fs.existsSync(unpacked)).toBe(true);
  });

  it('ships no tests, sources, development dependencies or source maps', () => {
    const files = listPackage(path.join(appDir, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files.filter((f) => /^\/(tests|renderer|electron|shared|bench|scripts)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // A package is `name` or `@scope/name`; a scope's own directory (`@scope`) is not one.
    const shipped = new Set(files.filter((f) => /^\/node_modules\/[^/@][^/]*$|^\/node_modules\/@[^/]+\/[^/]+$/.test(f)).map((f) => f.slice('/node_modules/'.length)));
    // Every shipped package must belong to the production dependency tree (as npm itself computes it).
    const prodTree = new Set(
      execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
        .split('\n')
        .map((p) => p.split('node_modules/').pop() ?? '')
        .filter(Boolean),
    );
    expect([...shipped].filter((name) => !prodTree.has(name))).toEqual([]);
    for (const dev of ['electron', 'vitest', 'react', 'playwright-core', 'typescript', 'electron-builder', 'node']) {
      expect(shipped.has(dev), `${dev} must not be packaged`).toBe(false);
    }
    expect(Object.keys(pkg.devDependencies)).toContain('electron');
    for (const dep of Object.keys(pkg.dependencies)) expect(shipped.has(dep), `${dep} must be packaged`).toBe(true);
    // The built JavaScript carries no embedded sources (sourcesContent) either.
    const mainJs = fs.readFileSync(path.join(root, 'out/main/index.js'), 'utf8');
    expect(mainJs).not.toContain('sourceMappingURL');
  });
});
