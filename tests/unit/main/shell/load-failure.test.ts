import { describe, expect, it } from 'vitest';
import { describeWindowFailure, ERR_ABORTED } from '../../../../electron/main/shell/load-failure';
import { shellText } from '../../../../electron/main/shell/shell-text';

const en = shellText('en');
const zh = shellText('zh-TW');

describe('describeWindowFailure (did-fail-load / render-process-gone, docs/api/web-contents.md)', () => {
  it('reports a main-frame load failure with Chromium’s error name and code', () => {
    const report = describeWindowFailure(
      { type: 'load', errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND', url: 'app://switchboard/chat/index.html', isMainFrame: true },
      'chat',
      en,
    );
    expect(report?.message).toBe('The Chat window could not be loaded (ERR_FILE_NOT_FOUND -6).');
    expect(report?.log).toContain('app://switchboard/chat/index.html');
    const zhReport = describeWindowFailure(
      { type: 'load', errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND', url: 'x', isMainFrame: true },
      'settings',
      zh,
    );
    expect(zhReport?.message).toBe('設定視窗無法載入（ERR_FILE_NOT_FOUND -6）。');
  });

  it('ignores subframes and aborted loads (a newer load replaced it)', () => {
    expect(
      describeWindowFailure({ type: 'load', errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND', url: 'x', isMainFrame: false }, 'chat', en),
    ).toBeNull();
    expect(
      describeWindowFailure({ type: 'load', errorCode: ERR_ABORTED, errorDescription: 'ERR_ABORTED', url: 'x', isMainFrame: true }, 'chat', en),
    ).toBeNull();
  });

  it.each(['crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed', 'integrity-failure', 'memory-eviction'])(
    'reports a renderer gone with reason %s',
    (reason) => {
      const report = describeWindowFailure({ type: 'gone', reason, exitCode: 139 }, 'chat', en);
      expect(report?.message).toBe(`The Chat window stopped unexpectedly (${reason}).`);
      expect(report?.log).toContain('139');
    },
  );

  it('ignores a clean exit and anything while the app is quitting', () => {
    expect(describeWindowFailure({ type: 'gone', reason: 'clean-exit', exitCode: 0 }, 'chat', en)).toBeNull();
    expect(describeWindowFailure({ type: 'gone', reason: 'crashed', exitCode: 1 }, 'chat', en, true)).toBeNull();
  });
});
