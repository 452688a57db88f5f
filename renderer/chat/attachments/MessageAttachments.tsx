import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, type AttachmentRef } from '../../../shared/models/attachments';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { callApi, getApi } from '../../lib/api';

/**
 * Object URLs of stored images, shared by every message that shows the same attachment (content-addressed),
 * the most recently used kept: a long session through many conversations does not keep every image's bytes.
 * An image already on screen keeps showing when its URL is let go; the next mount reads it again.
 */
const imageUrls = new Map<string, Promise<string | null>>();
const KEPT_IMAGE_URLS = 64;

function imageUrl(ref: AttachmentRef): Promise<string | null> {
  let url = imageUrls.get(ref.id);
  if (url) {
    imageUrls.delete(ref.id);
    imageUrls.set(ref.id, url);
  } else {
    url = callApi(() => getApi().attachments.read({ id: ref.id })).then((result) => {
      if (!result.ok) {
        imageUrls.delete(ref.id);
        return null;
      }
      const bytes = Uint8Array.from(atob(result.value.data), (c) => c.charCodeAt(0));
      return URL.createObjectURL(new Blob([bytes], { type: ref.mime }));
    });
    imageUrls.set(ref.id, url);
    while (imageUrls.size > KEPT_IMAGE_URLS) {
      const [oldest, gone] = imageUrls.entries().next().value as [string, Promise<string | null>];
      imageUrls.delete(oldest);
      void gone.then((u) => u && URL.revokeObjectURL(u));
    }
  }
  return url;
}

/** Sent images are shown within this box (CSS pixels), keeping their aspect ratio. */
const SHOWN_MAX = { width: 240, height: 180 };

function shownSize(attachment: AttachmentRef): { width: number; height: number } {
  const width = attachment.width ?? SHOWN_MAX.width;
  const height = attachment.height ?? SHOWN_MAX.height;
  const scale = Math.min(1, SHOWN_MAX.width / width, SHOWN_MAX.height / height);
  return { width: Math.max(24, Math.round(width * scale)), height: Math.max(24, Math.round(height * scale)) };
}

function SentImage({ attachment, onOpen }: { attachment: AttachmentRef; onOpen: (url: string) => void }) {
  const { t } = useTranslation('chat');
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void imageUrl(attachment).then((u) => {
      if (live) setUrl(u);
    });
    return () => {
      live = false;
    };
  }, [attachment]);
  if (url === null) return <span className="sent-image missing">{t('attachments.missing', { name: attachment.name })}</span>;
  // The box has its final size before the image loads: the message list measures rows once, and a row
  // that grew later would push the newest reply out of view.
  const box = shownSize(attachment);
  return (
    <button
      type="button"
      className="sent-image"
      style={{ width: box.width, height: box.height }}
      aria-label={t('attachments.view', { name: attachment.name })}
      disabled={!url}
      onClick={() => url && onOpen(url)}
    >
      {url && <img src={url} alt={attachment.name} width={box.width} height={box.height} />}
    </button>
  );
}

/** A sent message's images (click to see them larger) and file chips. */
export function MessageAttachments({ attachments }: { attachments: AttachmentRef[] }) {
  const { t } = useTranslation('chat');
  const [open, setOpen] = useState<{ url: string; name: string } | null>(null);
  const images = attachments.filter((a) => a.kind === 'image');
  const files = attachments.filter((a) => a.kind !== 'image');
  return (
    <div className="message-attachments">
      {images.length > 0 && (
        <div className="sent-images">
          {images.map((a) => (
            <SentImage key={a.id} attachment={a} onOpen={(url) => setOpen({ url, name: a.name })} />
          ))}
        </div>
      )}
      {files.length > 0 && (
        <ul className="sent-files" aria-label={t('attachments.listLabel')}>
          {files.map((a) => (
            <li key={a.id} className="sent-file">
              <span className="attachment-name">{a.name}</span>
              <span className="attachment-size">{formatBytes(a.size)}</span>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <ConfirmDialog title={open.name} onCancel={() => setOpen(null)} actions={[{ label: t('attachments.close'), onClick: () => setOpen(null), initialFocus: true }]}>
          <img className="image-viewer" src={open.url} alt={open.name} />
        </ConfirmDialog>
      )}
    </div>
  );
}
