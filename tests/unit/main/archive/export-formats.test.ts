import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { archiveOf, fileNameFor, toHtml, toJson, inertHtml, toMarkdown } from '../../../../electron/main/archive/export-formats';
import { parseImport } from '../../../../electron/main/archive/import-parse';
import type { Conversation } from '../../../../shared/models/conversation';

const GOLDEN = path.resolve(__dirname, '../../../fixtures/export');
const NOW = new Date('2025-03-01T12:00:00.000Z');

/** Everything an export must carry: reasoning, an attachment, a stopped reply, hostile HTML, zh-TW text. */
const conversation: Conversation = {
  id: 'golden-1',
  title: 'Plan a trip <to> 台北 & back',
  providerId: 'prov-1',
  model: 'gpt-4o',
  createdAt: '2025-02-01T08:00:00.000Z',
  updatedAt: '2025-02-01T08:05:00.000Z',
  messages: [
    { id: 'm1', role: 'user', content: 'What should I see in 台北? <script>alert(1)</script>', status: 'complete', createdAt: '2025-02-01T08:00:00.000Z' },
    {
      id: 'm2',
      role: 'assistant',
      content: 'Visit **Taipei 101** and the night markets. <img src=x onerror=alert(1)>\n\n```\nitinerary(<b>)\n```\n\nUse `<br>` here.',
      reasoning: 'The user wants sights.\nList the famous ones.',
      status: 'complete',
      createdAt: '2025-02-01T08:00:05.000Z',
      providerId: 'prov-1',
      model: 'gpt-4o',
      usage: { promptTokens: 10, completionTokens: 20, totalTokens: 30 },
      finishReason: 'stop',
      annotations: [{ type: 'file_citation', text: 'guide.pdf', fileId: 'file-abc' }],
    },
    { id: 'm3', role: 'user', content: 'And food?', status: 'complete', createdAt: '2025-02-01T08:04:00.000Z' },
    { id: 'm4', role: 'assistant', content: 'Beef noodle soup', status: 'stopped', createdAt: '2025-02-01T08:04:02.000Z', model: 'gpt-4o', unsaved: 'disk-full' },
  ],
};

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

describe('export formats', () => {
  it('Markdown: readable, reasoning in a collapsible block, attachments by name (en and zh-TW)', () => {
    golden('conversation.en.md', toMarkdown(conversation, 'en'));
    golden('conversation.zh-TW.md', toMarkdown(conversation, 'zh-TW'));
  });

  it('Markdown: raw HTML in the text made inert, code left as written', () => {
    const md = toMarkdown(conversation, 'en');
    expect(md).not.toMatch(/<script|<img|<to>/);
    expect(md).toContain('&lt;script>alert(1)&lt;/script>');
    expect(md).toContain('itinerary(<b>)');
    expect(md).toContain('Use `<br>` here.');
    expect(inertHtml('a <b>\n\n    <pre> code\n~~~\n<i>\n~~~\n`` x<y` `` <u> ` <v>')).toBe(
      'a &lt;b>\n\n    <pre> code\n~~~\n<i>\n~~~\n`` x<y` `` &lt;u> ` &lt;v>',
    );
  });

  it('HTML: one file, no scripts, every text escaped', () => {
    const html = toHtml(conversation, 'en');
    golden('conversation.en.html', html);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain("default-src 'none'");
  });

  it('JSON: our schema with its version, lossless except what lives only in memory', () => {
    const json = toJson([conversation], NOW);
    golden('conversation.json', json);
    const { unsaved: _unsaved, ...storedM4 } = conversation.messages[3]!;
    const expected = { ...conversation, messages: [...conversation.messages.slice(0, 3), storedM4] };
    expect(parseImport(new TextEncoder().encode(json), 'c.json').conversations).toEqual([expected]);
  });

  it('Markdown and HTML: a reply\'s tool calls with their server, outcome, arguments and result, inert', () => {
    const withTools: Conversation = {
      ...conversation,
      messages: [
        conversation.messages[0]!,
        {
          id: 't1',
          role: 'assistant',
          content: 'Checking the weather. It is sunny.',
          status: 'complete',
          createdAt: '2025-02-01T08:00:05.000Z',
          toolRounds: [
            {
              contentLength: 22,
              calls: [
                { id: 'c1', name: 'weather', serverId: 's1', serverName: 'Weather <srv>', tool: 'weather', arguments: '{"city":"台北"}', state: 'done', result: 'sunny ``` <img src=x>' },
                { id: 'c2', name: 'delete_all', serverId: 's1', serverName: 'Weather <srv>', tool: 'delete_all', arguments: '{}', state: 'denied', message: 'The user denied this tool call.' },
              ],
            },
          ],
        },
      ],
    };
    const md = toMarkdown(withTools, 'en');
    expect(md).toContain('<summary>Tool call: weather · Weather &lt;srv> · done</summary>');
    expect(md).toContain('Arguments:\n\n```json\n{"city":"台北"}\n```');
    // The result holds a fence of three backticks: its own fence is longer, so it cannot end early.
    expect(md).toContain('Result:\n\n````\nsunny ``` <img src=x>\n````');
    expect(md).toContain('<summary>Tool call: delete_all · Weather &lt;srv> · denied</summary>\n\nThe user denied this tool call.');
    expect(toMarkdown(withTools, 'zh-TW')).toContain('<summary>工具呼叫: weather · Weather &lt;srv> · 完成</summary>');
    const html = toHtml(withTools, 'en');
    expect(html).toContain('<summary>Tool call: weather · Weather &#60;srv&#62; · done</summary>');
    expect(html).toContain('<pre class="content">sunny ``` &#60;img src=x&#62;</pre>');
    expect(html).not.toMatch(/<img/);
  });

  it('archive: the importable JSON and a Markdown file per conversation, the same bytes each time', () => {
    const second = { ...conversation, id: 'golden-2', title: 'Plan a trip <to> 台北 & back' };
    const zip = archiveOf([conversation, second], 'en', NOW);
    expect(archiveOf([conversation, second], 'en', NOW)).toEqual(zip);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([
      'markdown/0001 Plan a trip to 台北 & back.md',
      'markdown/0002 Plan a trip to 台北 & back.md',
      'switchboard-conversations.json',
    ]);
    expect(strFromU8(files['markdown/0001 Plan a trip to 台北 & back.md']!)).toBe(toMarkdown(conversation, 'en'));
    expect(parseImport(zip, 'all.zip').conversations.map((c) => c.id)).toEqual(['golden-1', 'golden-2']);
  });

  it('file names drop what file systems refuse', () => {
    expect(fileNameFor('a/b\\c:d*?"<>|e', 'md')).toBe('a b c d e.md');
    expect(fileNameFor('...', 'json')).toBe('conversation.json');
    expect(fileNameFor('x'.repeat(200), 'md')).toBe(`${'x'.repeat(80)}.md`);
  });
});

describe('user attachments in exports', () => {
  it('are listed by name in Markdown and HTML', async () => {
    const { toMarkdown, toHtml } = await import('../../../../electron/main/archive/export-formats');
    const conversation = {
      id: 'c',
      title: 'T',
      providerId: null,
      model: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      messages: [
        {
          id: 'u',
          role: 'user' as const,
          content: 'see',
          status: 'complete' as const,
          createdAt: '2026-01-01T00:00:00.000Z',
          attachments: [{ id: 'a'.repeat(64), name: 'shot <1>.png', mime: 'image/png', size: 1, kind: 'image' as const }],
        },
      ],
    };
    expect(toMarkdown(conversation, 'en')).toContain('- shot &lt;1>.png');
    expect(toHtml(conversation, 'en')).toContain('shot &#60;1&#62;.png');
  });
});
