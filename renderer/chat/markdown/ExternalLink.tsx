import type { ComponentProps, MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExtraProps } from 'hast-util-to-jsx-runtime';
import { getApi } from '../../lib/api';

export function isOpenableUrl(href: string | undefined): href is string {
  if (!href) return false;
  try {
    return new URL(href).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A link in a reply. The window never navigates: an https link opens in the system browser through main,
 * which checks the address again; anything else (http, mailto, relative, in-page) is shown but not followed.
 */
export function ExternalLink({ href, children, node: _node, ...rest }: ComponentProps<'a'> & ExtraProps) {
  const { t } = useTranslation('chat');
  if (!isOpenableUrl(href)) {
    return (
      <span className="md-link-inert" title={href ? t('link.notOpenable', { url: href }) : undefined}>
        {children}
      </span>
    );
  }
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    void getApi().app.openExternal({ url: href });
  };
  return (
    <a
      {...rest}
      href={href}
      title={href}
      rel="noreferrer noopener"
      onClick={open}
      // Middle-click would otherwise try to open a new window.
      onAuxClick={open}
    >
      {children}
    </a>
  );
}
