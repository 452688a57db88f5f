import type { ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExtraProps } from 'hast-util-to-jsx-runtime';
import { ExternalLink, isOpenableUrl } from './ExternalLink';

/**
 * An image in a reply. It is never loaded (a model could point at a tracking pixel, and the window's CSP
 * forbids remote images anyway): the alt text stands in, with a link to open an https image in the browser.
 */
export function ImagePlaceholder({ src, alt }: ComponentProps<'img'> & ExtraProps) {
  const { t } = useTranslation('chat');
  const text = t('image.placeholder', { alt: alt || t('image.noAlt') });
  const url = typeof src === 'string' ? src : undefined;
  return (
    <span className="md-image">
      {isOpenableUrl(url) ? <ExternalLink href={url}>{text}</ExternalLink> : text}
    </span>
  );
}
