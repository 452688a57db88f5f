/**
 * Saving an export where the user chooses, free of Electron: the shell passes `dialog.showSaveDialog`
 * (bound to the asking window) and a writer. Electron answers `{ canceled, filePath }`; `filePath` is
 * `''` or absent when cancelled (docs/api/dialog.md: "filePath string - If the dialog is canceled, this
 * will be an empty string"), so a cancel is whichever of the two says so.
 */
import path from 'node:path';
import type { SaveFileRequest } from '../app-shell';

export interface SaveDialogAnswer {
  canceled: boolean;
  filePath?: string;
}

export interface SaveDialogOptions {
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

export async function saveThroughDialog(
  request: SaveFileRequest,
  deps: {
    /** Where the dialog opens (Electron: app.getPath('downloads')). */
    defaultDir: string;
    showSaveDialog: (options: SaveDialogOptions) => Promise<SaveDialogAnswer>;
    write: (file: string, data: Uint8Array) => Promise<void>;
  },
): Promise<{ saved: true; fileName: string } | { saved: false }> {
  const answer = await deps.showSaveDialog({
    // Only a base name from main's own exporter, but never let it climb out of the folder.
    defaultPath: path.join(deps.defaultDir, path.basename(request.defaultName)),
    filters: [request.filter],
  });
  if (answer.canceled || !answer.filePath) return { saved: false };
  await deps.write(answer.filePath, request.data);
  return { saved: true, fileName: path.basename(answer.filePath) };
}
