import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../../../shared/ipc/channels';
import { contract } from '../../../../shared/ipc/contract';
import { resolveLanguage } from '../../../../shared/models/preferences';

describe('IPC contract', () => {
  it('names every channel domain:verb and lists exactly the contract channels for the preload', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(contract).sort());
    for (const name of CHANNEL_NAMES) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
    for (const name of EVENT_NAMES) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['zh-TW', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-CN', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
  ] as const)('maps the OS locale %s to %s', (locale, expected) => {
    expect(resolveLanguage('system', locale)).toBe(expected);
  });
  it('prefers an explicit choice over the OS locale', () => {
    expect(resolveLanguage('zh-TW', 'en-US')).toBe('zh-TW');
  });
});
