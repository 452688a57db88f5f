import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_VERSION, ConfigStore } from '../../../../electron/main/config/config-store';
import { createMemoryLogger } from '../../../../electron/main/logger';
import type { ProviderConfig } from '../../../../shared/models/provider';
import { createConfStore } from '../../../../electron/main/config/conf-store';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/config');
const dirs: string[] = [];

function dataDirWith(content?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-config-'));
  dirs.push(dir);
  if (content !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), content);
  return dir;
}

function open(dir: string) {
  const log = createMemoryLogger();
  const store = new ConfigStore({ dataDir: dir, createStore: createConfStore, log, now: () => new Date('2030-05-06T07:08:09.010Z') });
  return { store, log };
}

const readFile = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('ConfigStore', () => {
  it('loads a v1 file unchanged, without rewriting it', () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'v1-config.json'), 'utf8');
    const dir = dataDirWith(original);
    const { store } = open(dir);
    const fixture = JSON.parse(original) as { providers: ProviderConfig[] };
    expect(store.listProviders()).toEqual(fixture.providers);
    expect(store.getPreferences()).toEqual({ language: 'zh-TW' });
    expect(store.getQuirks('6a3e1f0c-41b2-4c55-8f0e-7d1b9c2e3f02')).toEqual({ noStreamOptions: true });
    expect(store.notices).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(original);
  });

  it('migrates a file without schemaVersion and fills defaults', () => {
    const dir = dataDirWith(fs.readFileSync(path.join(FIXTURES, 'v0-config.json'), 'utf8'));
    const { store, log } = open(dir);
    expect(store.listProviders()).toEqual([
      expect.objectContaining({
        id: 'legacy-1',
        type: 'openai-compatible',
        name: 'LM Studio',
        baseUrl: 'http://localhost:1234/v1',
        model: '',
        customHeaders: [],
        runTimeoutMs: 300000,
      }),
    ]);
    expect(readFile(dir).schemaVersion).toBe(CONFIG_SCHEMA_VERSION);
    expect(log.lines.join('\n')).toContain('migrated config to schema version 1');
  });

  it('keeps what a newer version wrote (unknown types, fields and keys) through a save', () => {
    const dir = dataDirWith(fs.readFileSync(path.join(FIXTURES, 'newer-version-config.json'), 'utf8'));
    const { store } = open(dir);
    expect(store.listProviders().map((p) => p.id)).toEqual(['p-known']);
    const known = store.getProvider('p-known');
    expect(known).not.toHaveProperty('temperature');

    store.upsertProvider({ ...(known as ProviderConfig), name: 'vLLM renamed' });
    const file = readFile(dir);
    expect(file.schemaVersion).toBe(2);
    expect(file.windowLayout).toEqual({ sidebarWidth: 320 });
    const providers = file.providers as Record<string, unknown>[];
    expect(providers[0]).toMatchObject({ id: 'p-known', name: 'vLLM renamed', temperature: 0.2, reasoningEffort: 'high' });
    expect(file.unreadableProviders).toEqual([
      expect.objectContaining({ id: 'p-future', type: 'anthropic-messages', apiVersion: '2027-06-01' }),
    ]);

    // Reopening keeps it all again (no duplicates, nothing lost).
    const again = open(dir).store;
    again.setPreferences({ language: 'en' });
    const reread = readFile(dir);
    expect(reread.unreadableProviders).toHaveLength(1);
    expect((reread.providers as Record<string, unknown>[])[0]).toMatchObject({ temperature: 0.2 });
  });

  it.each([
    ['broken JSON', '{"schemaVersion": 1, "providers": ['],
    ['an empty (truncated) file', ''],
    ['a JSON array', '[]'],
    ['a provider list that is not a list', '{"schemaVersion":1,"providers":{"a":1}}'],
  ])('moves %s aside with a notice and starts fresh', (_what, content) => {
    const dir = dataDirWith(content);
    const { store } = open(dir);
    expect(store.listProviders()).toEqual([]);
    expect(store.notices).toHaveLength(1);
    const notice = store.notices[0];
    expect(notice?.code).toBe('CONFIG_CORRUPT_MOVED');
    const aside = notice?.params.path ?? '';
    expect(path.dirname(aside)).toBe(dir);
    expect(path.basename(aside)).toMatch(/^config\.corrupt-2030-05-06T07-08-09-010Z\.json$/);
    expect(fs.readFileSync(aside, 'utf8')).toBe(content);
    expect(notice?.message).toContain(aside);
    expect(readFile(dir).schemaVersion).toBe(CONFIG_SCHEMA_VERSION);
  });

  it('upsert, remove and quirks persist across reopen', () => {
    const dir = dataDirWith();
    const { store } = open(dir);
    const provider: ProviderConfig = {
      id: 'p1',
      type: 'openai-compatible',
      name: 'Local',
      baseUrl: 'http://localhost:11434/v1',
      model: 'm',
      assistantId: '',
      customHeaders: [{ name: 'X-Title', value: 'Switchboard' }],
      runTimeoutMs: 300000,
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
    };
    store.upsertProvider(provider);
    store.setQuirks('p1', { noStreamOptions: true });
    expect(open(dir).store.getProvider('p1')).toEqual(provider);
    expect(open(dir).store.getQuirks('p1')).toEqual({ noStreamOptions: true });
    expect(store.removeProvider('p1')).toBe(true);
    expect(store.removeProvider('p1')).toBe(false);
    expect(open(dir).store.listProviders()).toEqual([]);
    expect(open(dir).store.getQuirks('p1')).toEqual({});
  });
});
