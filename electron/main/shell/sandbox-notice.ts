/**
 * Chromium's sandbox turned off without the user knowing. electron-builder's AppImage launcher (AppRun)
 * adds `--no-sandbox` by itself where it cannot create a user namespace, which is the default on Ubuntu
 * 24.04 and later (AppArmor restricts unprivileged user namespaces). The app then runs, but every window's
 * renderer loses its sandbox. We cannot turn it back on from inside; we can say so once and name the two
 * supported fixes (README, "Linux: Chromium's sandbox on Ubuntu 24.04 and later").
 */
import type { AppNotice } from '../../../shared/models/preferences';

export interface SandboxFacts {
  platform: NodeJS.Platform;
  /** `app.commandLine.hasSwitch('no-sandbox')` (docs/api/command-line.md). */
  noSandbox: boolean;
  /** `process.env.APPIMAGE`: the AppImage runtime sets it to the image's path. */
  appImage: string | undefined;
}

export function sandboxNotice(facts: SandboxFacts): AppNotice | null {
  if (facts.platform !== 'linux' || !facts.noSandbox) return null;
  const fromAppImage = Boolean(facts.appImage);
  return {
    id: 'sandbox-off',
    code: 'SANDBOX_OFF',
    message: fromAppImage
      ? "Switchboard is running without Chromium's sandbox: this system does not let the AppImage start it. Install the .deb package, or the AppArmor profile described in the README, to turn it back on."
      : "Switchboard is running without Chromium's sandbox (it was started with --no-sandbox). Start it without that option to turn the sandbox back on.",
    // i18next's context option picks the window's sentence: notices.SANDBOX_OFF_appimage or _switch.
    params: { context: fromAppImage ? 'appimage' : 'switch' },
  };
}
