/**
 * Files between the window and main without paths: an import is read here by its bytes and sent as text
 * (JSON) or base64 (a zip); an export main hands back (the browser host cannot save where the user
 * chooses) is downloaded through a Blob URL.
 */
import type { ExportOutcome, TransferEncoding } from '../../../shared/models/archive';

type Download = Extract<ExportOutcome, { delivery: 'download' }>;

export function downloadExport(file: Download): void {
  const bytes = file.encoding === 'base64' ? Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0)) : file.data;
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readImportFile(file: File): Promise<{ fileName: string; encoding: TransferEncoding; data: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { fileName: file.name, encoding: 'base64', data: btoa(binary) };
  }
  return { fileName: file.name, encoding: 'utf8', data: new TextDecoder().decode(bytes) };
}
