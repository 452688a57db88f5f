import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppNotice } from '../../shared/models/preferences';
import { getApi } from '../lib/api';

/**
 * Notices from main (e.g. the settings file or a conversation was damaged and moved aside), one dismissible
 * banner each, whether they were there when the window opened or arose later. Used by both windows; the strings live in the `settings` namespace under `notices`, which every
 * window loads.
 */
export function NoticeBanner() {
  const { t } = useTranslation('settings');
  const [notices, setNotices] = useState<AppNotice[]>([]);
  const [dismissed] = useState(() => new Set<string>());

  useEffect(() => {
    let alive = true;
    const api = getApi();
    // The list so far, and every notice that arises later (start-up reading may finish after this window
    // asked); either may come first, so each adds what the window does not show yet.
    const merge = (incoming: AppNotice[]) =>
      setNotices((list) => {
        const fresh = incoming.filter((n) => !dismissed.has(n.id) && !list.some((m) => m.id === n.id));
        return fresh.length ? [...list, ...fresh] : list;
      });
    const stop = api.on('app:noticesChanged', merge);
    void api.app.notices().then((result) => {
      if (alive && result.ok) merge(result.value);
    });
    return () => {
      alive = false;
      stop();
    };
  }, [dismissed]);

  if (notices.length === 0) return null;

  const dismiss = (id: string) => {
    dismissed.add(id);
    setNotices((list) => list.filter((n) => n.id !== id));
    void getApi().app.dismissNotice({ id });
  };

  return (
    <div className="notice-stack">
      {notices.map((notice) => (
        <div key={notice.id} className="banner banner-warn" role="alert">
          <p className="banner-text">{t(`notices.${notice.code}`, { ...notice.params, defaultValue: notice.message })}</p>
          <button type="button" onClick={() => dismiss(notice.id)}>
            {t('notices.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
