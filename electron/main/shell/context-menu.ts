/**
 * The right-click menu. Electron shows none by default (docs/api/web-contents.md, event 'context-menu'):
 * this builds one from the event's params: Cut/Copy/Paste/Select All in text fields (enabled by
 * `editFlags`), Copy on a selection, Copy Link Address on links, Copy Image on images, and spelling
 * suggestions plus Add to Dictionary where the spellchecker marked a word. The items use Electron's roles
 * (which act on the focused WebContents) or call back into the shell; the structure is a plain subset of
 * MenuItemConstructorOptions so this file stays free of Electron.
 */
import type { ShellText } from './shell-text';

/** The part of Electron's ContextMenuParams we read. */
export interface ContextMenuFacts {
  isEditable: boolean;
  selectionText: string;
  linkURL: string;
  mediaType: string;
  hasImageContents?: boolean;
  misspelledWord: string;
  dictionarySuggestions: string[];
  editFlags: { canCut: boolean; canCopy: boolean; canPaste: boolean; canSelectAll: boolean };
}

export interface ContextMenuActions {
  copyText(text: string): void;
  copyImageAt(): void;
  replaceMisspelling(word: string): void;
  addToDictionary(word: string): void;
}

export interface ContextMenuItem {
  id?: string;
  label?: string;
  role?: 'cut' | 'copy' | 'paste' | 'selectAll';
  type?: 'separator';
  enabled?: boolean;
  click?: () => void;
}

const MAX_SUGGESTIONS = 5;

export function buildContextMenu(p: ContextMenuFacts, text: ShellText, actions: ContextMenuActions): ContextMenuItem[] {
  const groups: ContextMenuItem[][] = [];

  if (p.misspelledWord) {
    const suggestions = p.dictionarySuggestions.slice(0, MAX_SUGGESTIONS).map<ContextMenuItem>((word) => ({
      id: `suggestion:${word}`,
      label: word,
      click: () => actions.replaceMisspelling(word),
    }));
    groups.push([
      ...(suggestions.length > 0 ? suggestions : [{ id: 'no-suggestions', label: text.noSuggestions, enabled: false }]),
      { id: 'add-to-dictionary', label: text.addToDictionary, click: () => actions.addToDictionary(p.misspelledWord) },
    ]);
  }

  if (p.linkURL) {
    groups.push([{ id: 'copy-link', label: text.copyLink, click: () => actions.copyText(p.linkURL) }]);
  }

  if (p.mediaType === 'image' && p.hasImageContents !== false) {
    groups.push([{ id: 'copy-image', label: text.copyImage, click: () => actions.copyImageAt() }]);
  }

  if (p.isEditable) {
    groups.push([
      { id: 'cut', role: 'cut', label: text.cut, enabled: p.editFlags.canCut },
      { id: 'copy', role: 'copy', label: text.copy, enabled: p.editFlags.canCopy },
      { id: 'paste', role: 'paste', label: text.paste, enabled: p.editFlags.canPaste },
      { type: 'separator' },
      { id: 'select-all', role: 'selectAll', label: text.selectAll, enabled: p.editFlags.canSelectAll },
    ]);
  } else if (p.selectionText.trim() !== '') {
    groups.push([{ id: 'copy', role: 'copy', label: text.copy, enabled: p.editFlags.canCopy }]);
  }

  return groups.flatMap((group, i) => (i === 0 ? group : [{ type: 'separator' as const }, ...group]));
}

/**
 * The spellchecker. On macOS Chromium uses the system's spellchecker, offline. On Windows and Linux it uses
 * Hunspell dictionaries that Chromium downloads from Google's CDN (docs/tutorial/spellchecker.md), a network
 * request the user never asked for, so there it is off (README, "Spelling").
 */
export function spellcheckEnabled(platform: NodeJS.Platform): boolean {
  return platform === 'darwin';
}
