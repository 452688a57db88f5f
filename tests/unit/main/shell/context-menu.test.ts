import { describe, expect, it, vi } from 'vitest';
import { buildContextMenu, spellcheckEnabled, type ContextMenuFacts } from '../../../../electron/main/shell/context-menu';
import { shellText } from '../../../../electron/main/shell/shell-text';

// The fields of Electron's ContextMenuParams (docs/api/web-contents.md, event 'context-menu') we read,
// with the values Electron gives for a right-click on nothing in particular.
const none: ContextMenuFacts = {
  isEditable: false,
  selectionText: '',
  linkURL: '',
  mediaType: 'none',
  hasImageContents: false,
  misspelledWord: '',
  dictionarySuggestions: [],
  editFlags: { canCut: false, canCopy: false, canPaste: false, canSelectAll: true },
};

function actions() {
  return { copyText: vi.fn(), copyImageAt: vi.fn(), replaceMisspelling: vi.fn(), addToDictionary: vi.fn() };
}

const ids = (items: ReturnType<typeof buildContextMenu>) => items.map((i) => i.id ?? i.type);

describe('right-click menu', () => {
  const en = shellText('en');

  it('shows nothing on plain page background', () => {
    expect(buildContextMenu(none, en, actions())).toEqual([]);
  });

  it('offers Cut/Copy/Paste/Select All in a text field, enabled by editFlags', () => {
    const items = buildContextMenu(
      { ...none, isEditable: true, editFlags: { canCut: false, canCopy: false, canPaste: true, canSelectAll: true } },
      en,
      actions(),
    );
    expect(ids(items)).toEqual(['cut', 'copy', 'paste', 'separator', 'select-all']);
    expect(items.map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
    expect(items.find((i) => i.id === 'cut')?.enabled).toBe(false);
    expect(items.find((i) => i.id === 'paste')?.enabled).toBe(true);
  });

  it('offers Copy on a selection and Copy Link Address on a link', () => {
    const a = actions();
    const items = buildContextMenu(
      { ...none, selectionText: 'some words', linkURL: 'https://example.com/x', editFlags: { ...none.editFlags, canCopy: true } },
      en,
      a,
    );
    expect(ids(items)).toEqual(['copy-link', 'separator', 'copy']);
    items[0]!.click!();
    expect(a.copyText).toHaveBeenCalledWith('https://example.com/x');
  });

  it('offers Copy Image on an image', () => {
    const a = actions();
    const items = buildContextMenu({ ...none, mediaType: 'image', hasImageContents: true }, en, a);
    expect(ids(items)).toEqual(['copy-image']);
    items[0]!.click!();
    expect(a.copyImageAt).toHaveBeenCalled();
  });

  it('puts spelling suggestions first (at most five) and Add to Dictionary', () => {
    const a = actions();
    const items = buildContextMenu(
      {
        ...none,
        isEditable: true,
        misspelledWord: 'helo',
        dictionarySuggestions: ['hello', 'help', 'hell', 'hero', 'halo', 'held'],
        editFlags: { canCut: true, canCopy: true, canPaste: true, canSelectAll: true },
      },
      en,
      a,
    );
    expect(items.slice(0, 6).map((i) => i.label)).toEqual(['hello', 'help', 'hell', 'hero', 'halo', 'Add to Dictionary']);
    items[0]!.click!();
    expect(a.replaceMisspelling).toHaveBeenCalledWith('hello');
    items[5]!.click!();
    expect(a.addToDictionary).toHaveBeenCalledWith('helo');
    expect(ids(items).slice(6)).toEqual(['separator', 'cut', 'copy', 'paste', 'separator', 'select-all']);
  });

  it('says so when there is no suggestion, and speaks Traditional Chinese', () => {
    const items = buildContextMenu({ ...none, isEditable: true, misspelledWord: 'qzx' }, shellText('zh-TW'), actions());
    expect(items[0]).toMatchObject({ label: '找不到建議字詞', enabled: false });
    expect(items.find((i) => i.role === 'paste')?.label).toBe('貼上');
  });

  it('keeps the spellchecker off where Chromium would download dictionaries from Google', () => {
    expect(spellcheckEnabled('darwin')).toBe(true);
    expect(spellcheckEnabled('linux')).toBe(false);
    expect(spellcheckEnabled('win32')).toBe(false);
  });
});
