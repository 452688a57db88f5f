/** The `app:*` channels: app info, windows, external links, preferences and start-up notices. */
import type { AppInfo, AppNotice, PreferencesView } from '../../shared/models/preferences';
import { resolveLanguage, type LanguagePreference } from '../../shared/models/preferences';
import { AppFailure } from '../../shared/result';
import type { AppShell } from './app-shell';
import type { ConfigStore } from './config/config-store';
import type { Handlers } from './ipc/dispatcher';
import type { EventSink } from './ipc/events';

/** Only https links leave the app, and only through the system browser. */
export function checkExternalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppFailure({ code: 'FORBIDDEN_URL', message: 'That link is not a valid address.' });
  }
  if (url.protocol !== 'https:') {
    throw new AppFailure({
      code: 'FORBIDDEN_URL',
      message: 'Only https links can be opened.',
      params: { protocol: url.protocol },
    });
  }
  return url.toString();
}

/** Where notices that arise after start-up come from (the conversation store, reading files in the background). */
export interface NoticeSource {
  notices(): AppNotice[];
  onNotice(listener: (notice: AppNotice) => void): void;
}

export class AppService {
  private readonly notices: AppNotice[];
  /** Dismissed in any window: never shown again in this run, even if a source reports it again. */
  private readonly dismissed = new Set<string>();

  constructor(
    private readonly deps: {
      info: AppInfo;
      shell: AppShell;
      config: ConfigStore;
      events: EventSink;
      noticeSource?: NoticeSource;
      /** Notices the shell knows of at start-up (e.g. Chromium's sandbox is off). */
      startupNotices?: AppNotice[];
    },
  ) {
    this.notices = [...deps.config.notices, ...(deps.startupNotices ?? [])];
    // A notice can arise after a window asked for the list (a damaged conversation found while the files
    // are still being read): every window gets it pushed, whenever it comes.
    deps.noticeSource?.onNotice((notice) => {
      if (this.add(notice)) this.deps.events.broadcast('app:noticesChanged', [...this.notices]);
    });
  }

  private add(notice: AppNotice): boolean {
    if (this.dismissed.has(notice.id) || this.notices.some((n) => n.id === notice.id)) return false;
    this.notices.push(notice);
    return true;
  }

  preferences(): PreferencesView {
    const prefs = this.deps.config.getPreferences();
    return { ...prefs, resolvedLanguage: resolveLanguage(prefs.language, this.deps.info.systemLocale) };
  }

  setLanguage(language: LanguagePreference): PreferencesView {
    this.deps.config.setPreferences({ ...this.deps.config.getPreferences(), language });
    const view = this.preferences();
    this.deps.events.broadcast('app:preferencesChanged', view);
    return view;
  }

  /** The notices so far; later ones arrive as `app:noticesChanged`. */
  listNotices(): AppNotice[] {
    for (const notice of this.deps.noticeSource?.notices() ?? []) this.add(notice);
    return [...this.notices];
  }

  dismissNotice(id: string): void {
    this.dismissed.add(id);
    const i = this.notices.findIndex((n) => n.id === id);
    if (i >= 0) this.notices.splice(i, 1);
  }

  handlers(): Pick<
    Handlers,
    | 'app:info'
    | 'app:openSettings'
    | 'app:openChat'
    | 'app:openExternal'
    | 'app:getPreferences'
    | 'app:setPreferences'
    | 'app:notices'
    | 'app:dismissNotice'
    | 'app:windowReady'
  > {
    return {
      'app:info': () => this.deps.info,
      'app:openSettings': (_input, ctx) => this.deps.shell.openSettings(ctx.windowId),
      'app:openChat': (_input, ctx) => this.deps.shell.openChat(ctx.windowId),
      'app:openExternal': async ({ url }) => this.deps.shell.openInBrowser(checkExternalUrl(url)),
      'app:getPreferences': () => this.preferences(),
      'app:setPreferences': ({ language }) => this.setLanguage(language),
      'app:notices': () => this.listNotices(),
      'app:dismissNotice': ({ id }) => this.dismissNotice(id),
      'app:windowReady': (_input, ctx) => this.deps.shell.windowReady(ctx.windowId),
    };
  }
}
