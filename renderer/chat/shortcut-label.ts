/** "Ctrl+N" or "⌘N", as the user's keyboard says it. */
export function shortcutLabel(key: string): string {
  const mac = /mac/i.test(navigator.platform);
  return mac ? `⌘${key.toUpperCase()}` : `Ctrl+${key.toUpperCase()}`;
}
