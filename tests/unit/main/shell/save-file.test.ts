import { describe, expect, it } from 'vitest';
import { saveThroughDialog, type SaveDialogOptions } from '../../../../electron/main/shell/save-file';

const request = { defaultName: 'Trip 台北.md', data: new TextEncoder().encode('# hi'), filter: { name: 'Markdown', extensions: ['md'] } };

function rig(answer: { canceled: boolean; filePath?: string }) {
  const asked: SaveDialogOptions[] = [];
  const written: [string, Uint8Array][] = [];
  return {
    asked,
    written,
    deps: {
      defaultDir: '/home/u/Downloads',
      showSaveDialog: async (options: SaveDialogOptions) => {
        asked.push(options);
        return answer;
      },
      write: async (file: string, data: Uint8Array) => {
        written.push([file, data]);
      },
    },
  };
}

describe('saveThroughDialog', () => {
  it('proposes the name in the downloads folder and writes where the user chose', async () => {
    const r = rig({ canceled: false, filePath: '/tmp/elsewhere/mine.md' });
    await expect(saveThroughDialog(request, r.deps)).resolves.toEqual({ saved: true, fileName: 'mine.md' });
    expect(r.asked).toEqual([{ defaultPath: '/home/u/Downloads/Trip 台北.md', filters: [{ name: 'Markdown', extensions: ['md'] }] }]);
    expect(r.written).toEqual([['/tmp/elsewhere/mine.md', request.data]]);
  });

  it.each([
    [{ canceled: true, filePath: '' }],
    [{ canceled: true }],
    // Electron documents an empty filePath for a cancel; treat it as one whatever `canceled` says.
    [{ canceled: false, filePath: '' }],
  ])('writes nothing when the dialog is cancelled (%j)', async (answer) => {
    const r = rig(answer);
    await expect(saveThroughDialog(request, r.deps)).resolves.toEqual({ saved: false });
    expect(r.written).toEqual([]);
  });

  it('never proposes a path outside the folder', async () => {
    const r = rig({ canceled: true });
    await saveThroughDialog({ ...request, defaultName: '../../etc/passwd' }, r.deps);
    expect(r.asked[0]!.defaultPath).toBe('/home/u/Downloads/passwd');
  });
});
