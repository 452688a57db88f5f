/**
 * The search index reads MiniSearch's private state (see MiniInternals in search-index.ts). These checks
 * fail loudly when a MiniSearch upgrade renames or reshapes it, so an upgrade is caught here, not by users.
 */
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { cacheTermLeaves, type MiniInternals } from '../../../../electron/main/search/search-index';

function built() {
  const mini = new MiniSearch({ idField: 'id', fields: ['title', 'content', 'reasoning'], storeFields: [] });
  mini.add({ id: 1, title: 'alpha beta' });
  mini.add({ id: 2, content: 'beta gamma gamma', reasoning: 'delta' });
  mini.add({ id: 3, content: 'gamma' });
  mini.discard(3);
  return { mini, state: mini as unknown as MiniInternals & Record<string, unknown> };
}

describe("MiniSearch's private state, as the search index reads it", () => {
  it('is the exact version package.json pins', () => {
    const root = path.resolve(__dirname, '../../../..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/minisearch/package.json'), 'utf8')) as { version: string };
    expect(pkg.dependencies.minisearch, 'minisearch must stay pinned to an exact version').toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.version).toBe(pkg.dependencies.minisearch);
  });

  it('has the fields and shapes the query, the index writer and its reader use', () => {
    const { state } = built();
    for (const field of ['_documentIds', '_idToShortId', '_fieldLength', '_storedFields']) {
      expect(state[field], field).toBeInstanceOf(Map);
    }
    for (const field of ['_documentCount', '_nextId', '_dirtCount']) expect(typeof state[field], field).toBe('number');
    expect(state._fieldIds).toEqual({ title: 0, content: 1, reasoning: 2 });
    expect(Array.isArray(state._avgFieldLength)).toBe(true);
    for (const method of ['get', 'set', 'atPrefix'] as const) expect(typeof state._index[method], `_index.${method}`).toBe('function');
    expect(state._documentCount).toBe(2);
    expect(state._nextId).toBe(3);
    expect(state._documentIds.get(0)).toBe(1);
    expect(state._idToShortId.get(2)).toBe(1);
    // Field lengths by field id (distinct terms); postings: field id -> short id -> term frequency.
    expect(state._fieldLength.get(1)?.[1]).toBe(2);
    expect(state._fieldLength.get(1)?.[2]).toBe(1);
    expect(state._index.get('gamma')?.get(1)?.get(1)).toBe(2);
    // A discarded document's lengths go at once (the query skips its lazily dropped postings by them).
    expect(state._fieldLength.has(2)).toBe(false);
    expect([...state._index.atPrefix('gam')].map(([term]) => term)).toEqual(['gamma']);
    // Iterating the index yields [term, postings], what the index file's writer walks.
    expect(new Map(state._index as unknown as Iterable<[string, unknown]>).has('delta')).toBe(true);
  });

  it("is what MiniSearch's own loadJS restores (the shape the index file's reader rebuilds)", () => {
    const { mini } = built();
    const restored = MiniSearch.loadJS(JSON.parse(JSON.stringify(mini)) as Parameters<typeof MiniSearch.loadJS>[0], {
      idField: 'id',
      fields: ['title', 'content', 'reasoning'],
      storeFields: [],
    }) as unknown as MiniInternals;
    expect(restored._index.get('beta')).toEqual((mini as unknown as MiniInternals)._index.get('beta'));
    expect(restored._idToShortId).toEqual((mini as unknown as MiniInternals)._idToShortId);
    expect(Object.keys(JSON.parse(JSON.stringify(mini)) as object).sort()).toEqual(
      ['averageFieldLength', 'dirtCount', 'documentCount', 'documentIds', 'fieldIds', 'fieldLength', 'index', 'nextId', 'serializationVersion', 'storedFields'],
    );
  });

  it('builds the same index with the term cache of a bulk build, through deletes and vacuuming, and drops it after', async () => {
    const options = { idField: 'id', fields: ['content'], storeFields: [], autoVacuum: false };
    const texts = ['台北 天氣 晴', 'alpha alphabet alps', '台北市 政府', 'alpha beta', '天氣 預報 台北', 'beta gamma'];
    const plain = new MiniSearch(options);
    const cached = new MiniSearch(options);
    const uncache = cacheTermLeaves(cached);
    for (const mini of [plain, cached]) {
      texts.forEach((content, i) => mini.add({ id: i, content }));
      // Removing the only documents of terms deletes those terms from the tree (vacuum), and adding them again
      // must create them anew, not update a leaf that is no longer in it.
      mini.discard(3);
      mini.discard(5);
      await mini.vacuum();
      mini.add({ id: 10, content: 'beta gamma 預報' });
      mini.add({ id: 11, content: 'gamma delta' });
    }
    uncache();
    const index = (cached as unknown as MiniInternals)._index as unknown as Record<string, unknown>;
    expect(Object.keys(index).filter((key) => ['fetch', 'delete', 'set'].includes(key))).toEqual([]);
    expect(JSON.stringify(cached)).toBe(JSON.stringify(plain));
    for (const query of ['beta', 'gamma', '台北', 'alp', '預報']) {
      expect(cached.search(query, { prefix: true }), query).toEqual(plain.search(query, { prefix: true }));
    }
  });
});
