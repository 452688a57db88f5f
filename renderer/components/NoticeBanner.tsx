import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppNotice } from '../../shared/models/preferences';
import { getApi } from '../lib/api';

/**
 * Start-up notices from main (e.g. the settings file was corrupt and moved aside), one dismissible banner
 * each. Used by both windows; the strings live in the `settings` namespace under `notices`, which every
 * window loads.
 */
export function NoticeBanner() {
  const { t } = useTranslation('settings');
  const [notices, setNotices] = useState<AppNotice[]>([]);

  useEffect(() => {
    let alive = true;
    void getApi()
      .app.notices()
      .then((result) => {
        if (alive && result.ok) setNotices(result.value);
      });
    return () => {
      alive = false;
    };
  }, []);

  if (notices.length === 0) return null;

  const dismiss = (id: string) => {
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
