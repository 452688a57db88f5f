/**
 * The few sentences the shell itself shows (native dialogs, the right-click menu), in the UI's languages.
 * The windows translate everything else with i18next; native UI built in main reads from here.
 */
import type { Language } from '../../../shared/models/preferences';

export interface ShellText {
  cut: string;
  copy: string;
  paste: string;
  selectAll: string;
  copyLink: string;
  copyImage: string;
  addToDictionary: string;
  noSuggestions: string;
  unsavedTitle: string;
  unsavedMessage: string;
  leave: string;
  stay: string;
  reload: string;
  closeWindow: string;
  windowName: Record<'chat' | 'settings', string>;
  loadFailedTitle: string;
  loadFailed: (windowName: string, reason: string) => string;
  crashed: (windowName: string, reason: string) => string;
  loadFailedDetail: string;
}

const en: ShellText = {
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  copyLink: 'Copy Link Address',
  copyImage: 'Copy Image',
  addToDictionary: 'Add to Dictionary',
  noSuggestions: 'No Guesses Found',
  unsavedTitle: 'Unsaved changes',
  unsavedMessage: 'You have unsaved changes. Leave without saving?',
  leave: 'Leave',
  stay: 'Stay',
  reload: 'Reload',
  closeWindow: 'Close Window',
  windowName: { chat: 'The Chat window', settings: 'The Settings window' },
  loadFailedTitle: 'Switchboard',
  loadFailed: (w, reason) => `${w} could not be loaded (${reason}).`,
  crashed: (w, reason) => `${w} stopped unexpectedly (${reason}).`,
  loadFailedDetail: 'Your conversations and settings are safe. Reload the window to continue; the details are in the log.',
};

const zhTW: ShellText = {
  cut: '剪下',
  copy: '拷貝',
  paste: '貼上',
  selectAll: '全選',
  copyLink: '拷貝連結網址',
  copyImage: '拷貝圖片',
  addToDictionary: '加入字典',
  noSuggestions: '找不到建議字詞',
  unsavedTitle: '尚未儲存的變更',
  unsavedMessage: '你有尚未儲存的變更。要不儲存就離開嗎？',
  leave: '離開',
  stay: '留下',
  reload: '重新載入',
  closeWindow: '關閉視窗',
  windowName: { chat: '聊天視窗', settings: '設定視窗' },
  loadFailedTitle: 'Switchboard',
  loadFailed: (w, reason) => `${w}無法載入（${reason}）。`,
  crashed: (w, reason) => `${w}意外停止（${reason}）。`,
  loadFailedDetail: '你的對話與設定都安全無虞。重新載入視窗即可繼續；詳細資訊已寫入記錄。',
};

export function shellText(language: Language): ShellText {
  return language === 'zh-TW' ? zhTW : en;
}
