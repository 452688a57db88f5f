/**
 * The prompt library through the real dispatcher (zod at the boundary) on a real data dir: what is saved
 * survives a restart, every change is broadcast to every window, an export imports back whole, a file that
 * is not ours or half ours adds nothing, a damaged prompts.json is moved aside with a notice, and a write
 * never leaves a torn file (temp file + rename).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PromptLibrary, PROMPTS_FILE_NAME } from '../../electron/main/prompts/prompt-library';
import { createRecordingEventSink } from '../../electron/main/ipc/events';
import { createMemoryLogger } from '../../electron/main/logger';
import type { AppNotice } from '../../shared/models/preferences';
import type { Prompt } from '../../shared/models/prompts';
import { startRig, type Rig } from '../support/chat-rig';

const rigs: Rig[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-prompts-'));
  dirs.push(dir);
  return dir;
}

function rig(dataDir?: string): Rig {
  const r = startRig(dataDir ? { dataDir } : {});
  rigs.push(r);
  return r;
}

const promptsFile = (r: Rig) => path.join(r.dataDir, PROMPTS_FILE_NAME);

describe('prompt library', () => {
  it('saves, edits, duplicates, deletes; persists across a restart; broadcasts every change', async () => {
    let r = rig();
    expect(await r.call('prompts:list', undefined)).toEqual([]);
    const created = await r.call('prompts:save', { name: '  Translate ', text: 'Translate {{text}} into {{language}}' });
    expect(created).toMatchObject({ name: 'Translate', text: 'Translate {{text}} into {{language}}' });
    const edited = await r.call('prompts:save', { id: created.id, name: 'Translate', text: 'Translate {{text}} to {{language}}' });
    expect(edited.id).toBe(created.id);
    const copy = await r.call('prompts:duplicate', { id: created.id });
    expect(copy).toMatchObject({ name: 'Translate (copy)', text: edited.text });
    expect(copy.id).not.toBe(created.id);
    const other = await r.call('prompts:save', { name: 'Another', text: 'Be brief.' });
    await r.call('prompts:delete', { id: other.id });

    const broadcasts = r.events.sent.filter((s) => s.event === 'prompts:changed');
    expect(broadcasts.every((s) => s.windowId === 'all')).toBe(true);
    expect(broadcasts).toHaveLength(5);
    expect((broadcasts.at(-1)!.payload as Prompt[]).map((p) => p.name)).toEqual(['Translate', 'Translate (copy)']);

    const onDisk = JSON.parse(fs.readFileSync(promptsFile(r), 'utf8'));
    expect(onDisk.schemaVersion).toBe(1);
    expect(onDisk.prompts).toHaveLength(2);

    r = await r.restart();
    rigs.push(r);
    expect((await r.call('prompts:list', undefined)).map((p) => [p.name, p.text])).toEqual([
      ['Translate', 'Translate {{text}} to {{language}}'],
      ['Translate (copy)', 'Translate {{text}} to {{language}}'],
    ]);
  });

  it('refuses bad input at the boundary and an unknown id with NOT_FOUND', async () => {
    const r = rig();
    for (const input of [{ name: '', text: 'x' }, { name: 'a'.repeat(201), text: 'x' }, { name: 'a', text: 'x'.repeat(100_001) }]) {
      const result = await r.raw('prompts:save', input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
    }
    const gone = await r.raw('prompts:delete', { id: 'nope' });
    expect(gone.ok === false && gone.error.code).toBe('NOT_FOUND');
    expect(fs.existsSync(promptsFile(r))).toBe(false);
  });

  it('exports our format and imports it back (added beside what is there); foreign and half-valid files add nothing', async () => {
    const source = rig();
    await source.call('prompts:save', { name: 'Summary', text: 'Summarize {{text}}' });
    await source.call('prompts:save', { name: '摘要', text: '請摘要：{{內容}}' });
    const outcome = await source.call('prompts:export', undefined);
    expect(outcome.delivery).toBe('download');
    if (outcome.delivery !== 'download') return;
    expect(outcome.fileName).toMatch(/^switchboard-prompts-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(outcome.data);
    expect(exported).toMatchObject({ format: 'switchboard-prompts', version: 1 });

    const target = rig();
    await target.call('prompts:save', { name: 'Mine', text: 'Already here' });
    expect(await target.call('prompts:import', { fileName: outcome.fileName, data: outcome.data })).toEqual({ imported: 2, skipped: 0 });
    expect((await target.call('prompts:list', undefined)).map((p) => p.name).sort()).toEqual(['Mine', 'Summary', '摘要'].sort());
    // The same file again adds nothing (same name and text), nor does a file repeating a prompt add it twice.
    const written = fs.readFileSync(promptsFile(target), 'utf8');
    expect(await target.call('prompts:import', { fileName: outcome.fileName, data: outcome.data })).toEqual({ imported: 0, skipped: 2 });
    expect(fs.readFileSync(promptsFile(target), 'utf8')).toBe(written);
    const twice = JSON.stringify({ ...exported, prompts: [{ name: 'New', text: 'x' }, { name: 'New', text: 'x' }, { name: 'Mine', text: 'Already here' }] });
    expect(await target.call('prompts:import', { fileName: 'twice.json', data: twice })).toEqual({ imported: 1, skipped: 2 });
    expect((await target.call('prompts:list', undefined)).map((p) => p.name).sort()).toEqual(['Mine', 'New', 'Summary', '摘要'].sort());

    const before = fs.readFileSync(promptsFile(target), 'utf8');
    const halfOurs = JSON.stringify({ ...exported, prompts: [...exported.prompts, { name: 'Broken' }] });
    const foreign = JSON.stringify({ version: 1, items: [{ title: 'x', content: 'y' }] });
    for (const [data, code] of [
      [halfOurs, 'PROMPTS_IMPORT_BAD_PROMPT'],
      [foreign, 'PROMPTS_IMPORT_FOREIGN'],
      ['not json', 'PROMPTS_IMPORT_NOT_JSON'],
    ] as const) {
      const result = await target.raw('prompts:import', { fileName: 'other.json', data });
      expect(result.ok === false && result.error.code).toBe(code);
    }
    expect(fs.readFileSync(promptsFile(target), 'utf8')).toBe(before);
    expect(await target.call('prompts:list', undefined)).toHaveLength(4);
  });

  it('moves a damaged prompts.json aside, starts empty and says so in the start-up notices', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, PROMPTS_FILE_NAME), '{"schemaVersion": 1, "prompts": [');
    const r = rig(dataDir);
    expect(await r.call('prompts:list', undefined)).toEqual([]);
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('prompts.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toBe('{"schemaVersion": 1, "prompts": [');
    const notices: AppNotice[] = await r.call('app:notices', undefined);
    expect(notices).toContainEqual(
      expect.objectContaining({ code: 'PROMPTS_CORRUPT_MOVED', params: { path: path.join(dataDir, aside[0]!) } }),
    );
    // The library works again from empty.
    await r.call('prompts:save', { name: 'Fresh', text: 'start' });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, PROMPTS_FILE_NAME), 'utf8')).prompts).toHaveLength(1);
  });

  it('a schema-valid file with a wrong entry is damaged too (moved aside, never half read)', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, PROMPTS_FILE_NAME), JSON.stringify({ schemaVersion: 1, prompts: [{ id: 'x', name: '' }] }));
    const library = new PromptLibrary({
      dataDir,
      events: createRecordingEventSink(),
      shell: { openSettings() {}, openChat() {}, async openInBrowser() {}, windowReady() {} },
      log: createMemoryLogger(),
    });
    expect(library.list()).toEqual([]);
    expect(library.notices.map((n) => n.code)).toEqual(['PROMPTS_CORRUPT_MOVED']);
  });

  it('duplicates number their copies; a newer version\'s file is kept as it was before this version first writes', async () => {
    const dataDir = tempDir();
    const newer = JSON.stringify({
      schemaVersion: 2,
      prompts: [{ id: 'p1', name: 'Future', text: 'from v2', createdAt: 'x', updatedAt: 'x', tags: ['new'] }],
    });
    fs.writeFileSync(path.join(dataDir, PROMPTS_FILE_NAME), newer);
    const r = rig(dataDir);
    expect((await r.call('prompts:list', undefined)).map((p) => p.name)).toEqual(['Future']);
    await r.call('prompts:duplicate', { id: 'p1' });
    await r.call('prompts:duplicate', { id: 'p1' });
    expect((await r.call('prompts:list', undefined)).map((p) => p.name)).toEqual(['Future', 'Future (copy 2)', 'Future (copy)'].sort());
    expect(fs.readFileSync(path.join(dataDir, 'prompts.schema-2.json'), 'utf8')).toBe(newer);
  });

  it('writes atomically: a failed write leaves the previous file whole, no temp file behind, and the list as on disk', async () => {
    const dataDir = tempDir();
    const events = createRecordingEventSink();
    const library = new PromptLibrary({
      dataDir,
      events,
      shell: { openSettings() {}, openChat() {}, async openInBrowser() {}, windowReady() {} },
      log: createMemoryLogger(),
    });
    await library.save({ name: 'Kept', text: 'kept text' });
    const before = fs.readFileSync(library.file, 'utf8');

    // Renaming over the file fails (as when another program holds it): the temp file is removed, the old stays.
    const rename = fs.promises.rename;
    fs.promises.rename = async () => {
      throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
    };
    try {
      await expect(library.save({ name: 'Lost', text: 'never written' })).rejects.toThrow('EBUSY');
    } finally {
      fs.promises.rename = rename;
    }
    expect(fs.readFileSync(library.file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(library.list().map((p) => p.name)).toEqual(['Kept']);
    const last = events.sent.filter((s) => s.event === 'prompts:changed').at(-1)!.payload as Prompt[];
    expect(last.map((p) => p.name)).toEqual(['Kept']);
  });
});
