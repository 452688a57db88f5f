import { describe, expect, it } from 'vitest';
import { sandboxNotice } from '../../../../electron/main/shell/sandbox-notice';

describe('sandboxNotice', () => {
  it('says so when an AppImage was started without the sandbox (AppRun adds --no-sandbox on Ubuntu 24.04+)', () => {
    const notice = sandboxNotice({ platform: 'linux', noSandbox: true, appImage: '/home/u/Applications/Switchboard-0.1.0.AppImage' });
    expect(notice).toMatchObject({ id: 'sandbox-off', code: 'SANDBOX_OFF', params: { context: 'appimage' } });
    expect(notice?.message).toMatch(/Install the \.deb package, or the AppArmor profile/);
  });

  it('names the switch when someone passed --no-sandbox by hand', () => {
    expect(sandboxNotice({ platform: 'linux', noSandbox: true, appImage: undefined })?.params).toEqual({ context: 'switch' });
  });

  it('is silent with the sandbox on, and on other systems', () => {
    expect(sandboxNotice({ platform: 'linux', noSandbox: false, appImage: '/x.AppImage' })).toBeNull();
    expect(sandboxNotice({ platform: 'darwin', noSandbox: true, appImage: undefined })).toBeNull();
    expect(sandboxNotice({ platform: 'win32', noSandbox: true, appImage: undefined })).toBeNull();
  });
});
