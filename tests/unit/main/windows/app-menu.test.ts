import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../../../electron/main/windows/app-menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function make(platform: NodeJS.Platform, devTools = false) {
  const actions = { newChat: vi.fn(), openSettings: vi.fn(), showAbout: vi.fn() };
  const template = buildMenuTemplate({ platform, appName: 'Switchboard', version: '1.2.3', devTools, actions });
  return { template, items: flatten(template), actions };
}

describe('app menu template', () => {
  it.each(['darwin', 'linux', 'win32'] as const)('has the usual roles and our items on %s', (platform) => {
    const { items, template, actions } = make(platform);
    const roles = template.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help']));
    expect(template.some((i) => i.label === 'View')).toBe(true);
    const newChat = items.find((i) => i.id === 'new-chat');
    const settings = items.find((i) => i.id === 'settings');
    const about = items.find((i) => i.id === 'about');
    // CmdOrCtrl is Cmd on macOS and Ctrl elsewhere.
    expect(newChat?.accelerator).toBe('CmdOrCtrl+N');
    expect(settings?.accelerator).toBe('CmdOrCtrl+,');
    expect(settings?.label).toBe('Settings…');
    expect(about?.label).toBe('About Switchboard 1.2.3');
    (newChat?.click as () => void)();
    (settings?.click as () => void)();
    (about?.click as () => void)();
    expect(actions.newChat).toHaveBeenCalledOnce();
    expect(actions.openSettings).toHaveBeenCalledOnce();
    expect(actions.showAbout).toHaveBeenCalledOnce();
  });

  it('puts About and Settings under the app menu on macOS, as macOS users expect', () => {
    const { template } = make('darwin');
    const appMenu = template[0]!;
    expect(appMenu.label).toBe('Switchboard');
    const ids = (appMenu.submenu as MenuItemConstructorOptions[]).map((i) => i.id ?? i.role ?? i.type);
    expect(ids.slice(0, 3)).toEqual(['about', 'separator', 'settings']);
    expect(ids).toContain('quit');
  });

  it('offers DevTools only when enabled', () => {
    expect(make('linux').items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(make('linux', true).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
