import { describe, expect, it } from 'vitest';
import { checkArguments } from '../../../../electron/main/tools/tool-arguments';
import { buildCatalog } from '../../../../electron/main/tools/tool-catalog';
import { truncateForModel } from '../../../../electron/main/tools/tool-result';

const schema = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false };

describe('checkArguments', () => {
  it('accepts valid arguments and an empty string as {}', () => {
    expect(checkArguments('{"a":1,"b":2}', schema)).toEqual({ ok: true, value: { a: 1, b: 2 } });
    expect(checkArguments('', { type: 'object' })).toEqual({ ok: true, value: {} });
  });
  it('says what is wrong: JSON, not an object, schema errors by property', () => {
    expect(checkArguments('{"a":', schema)).toMatchObject({ ok: false, message: expect.stringMatching(/^The arguments are not valid JSON/) });
    expect(checkArguments('[1]', schema)).toEqual({ ok: false, message: 'The arguments must be a JSON object.' });
    expect(checkArguments('{"a":"x","c":1}', schema)).toEqual({
      ok: false,
      message: 'The arguments do not match the tool\'s schema: missing required property “b”; the arguments: unknown property “c”; a must be number.',
    });
  });
  it('lets a schema it cannot compile through (the server checks)', () => {
    expect(checkArguments('{"x":1}', { type: 'object', properties: { x: { $ref: '#/nowhere' } } })).toEqual({ ok: true, value: { x: 1 } });
  });
});

describe('buildCatalog', () => {
  const tool = (name: string) => ({ name, description: '', inputSchema: { type: 'object' } });
  it('keeps unique names, namespaces shared ones for every owner, and says so', () => {
    const catalog = buildCatalog([
      { id: '1', name: 'Files', tools: [tool('search'), tool('read.file')] },
      { id: '2', name: 'Web', tools: [tool('search')] },
    ]);
    expect(catalog.tools.map((t) => [t.name, t.serverId])).toEqual([
      ['Files__search', '1'],
      ['Web__search', '2'],
      ['read_file', '1'],
    ]);
    expect(catalog.collisions).toEqual(['Several servers have a tool named “search”; the model sees them as “Files__search” and “Web__search”.']);
  });
});

describe('truncateForModel', () => {
  it('cuts a long result and says how long it was', () => {
    expect(truncateForModel('abc', 5)).toBe('abc');
    expect(truncateForModel('abcdefgh', 5)).toBe('abcde\n\n[The result was 8 characters long; only the first 5 are shown to you.]');
  });
});
