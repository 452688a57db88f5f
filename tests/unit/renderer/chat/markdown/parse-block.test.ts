import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { htmlAsText } from '../../../../../renderer/chat/markdown/html-as-text';
import { parseBlock, safeUrl } from '../../../../../renderer/chat/markdown/parse-block';

/** What react-markdown with every GFM extension makes of a block: the reference the fast path must match. */
function reference(text: string): string {
  const htmlAsTextPlugin = () => htmlAsText;
  return renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [remarkGfm, htmlAsTextPlugin] }, text));
}

function ours(text: string): string {
  return renderToStaticMarkup(parseBlock(text, {}));
}

const BLOCKS = [
  'Plain prose with **bold**, _emphasis_, `code` and a hard  \nbreak.',
  '## A heading with `code`',
  '- one\n- two\n  - nested\n\n1. first\n2. second',
  '| Name | Score |\n| :--- | ----: |\n| Ada | 10 |\n| Bob \\| Jr | 7 |',
  'Not a table | just a pipe in prose.',
  '- [x] done\n- [ ] open\n- [link](https://example.com) item',
  '~~struck~~ and ~single~ tildes, and a ~ alone',
  'Visit www.example.com, https://example.com/a?b=c#d or HTTP://EXAMPLE.COM. Mail me@example.com or mailto:x@y.org, xmpp:a@b.im.',
  'A footnote[^1] in a block.\n\n[^1]: The note.',
  '[ref] link and [text][ref]\n\n[ref]: https://example.com "Title"',
  '```ts\nconst a = [1, 2] | 3; // ~ @ www.\n```',
  '> A quote with a [link](http://example.com) and <b>inline html</b>.',
  '<div>\nA block of HTML\n</div>',
  '![alt text](https://example.com/a.png) and [js](javascript:alert(1))',
  'Escapes: \\*not emphasis\\*, &amp; &copy; &#35;',
  'Setext heading\n===',
  '    indented code\n    block',
  '***',
  '',
];

describe('parseBlock', () => {
  it.each(BLOCKS.map((b) => [b]))('renders %j exactly as react-markdown with remark-gfm does', (text) => {
    expect(ours(text)).toBe(reference(text));
  });

  it('links autolinks only where GFM would (the fast path must not miss one)', () => {
    expect(ours('see www.example.com')).toContain('<a href="http://www.example.com">');
    expect(ours('see HTTPS://example.com')).toContain('<a href="HTTPS://example.com">');
    expect(ours('write to a@b.co')).toContain('<a href="mailto:a@b.co">');
    expect(ours('no links here: www example com')).not.toContain('<a');
  });

  it('drops dangerous link targets like react-markdown', () => {
    expect(ours('[x](javascript:alert(1))')).toBe('<p><a href="">x</a></p>');
  });

  it('passes components the hast node, as react-markdown did', () => {
    const seen: string[] = [];
    const html = renderToStaticMarkup(
      parseBlock('```py\nx = 1\n```', {
        pre: ({ node }) => {
          seen.push(node?.tagName ?? 'none');
          return createElement('figure', null, 'code');
        },
      }),
    );
    expect(seen).toEqual(['pre']);
    expect(html).toBe('<figure>code</figure>');
  });
});

describe('safeUrl', () => {
  it('keeps relative addresses and safe protocols, empties the rest', () => {
    expect(safeUrl('https://a.b/c')).toBe('https://a.b/c');
    expect(safeUrl('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeUrl('/path:with:colons')).toBe('/path:with:colons');
    expect(safeUrl('page?q=a:b')).toBe('page?q=a:b');
    expect(safeUrl('#frag:x')).toBe('#frag:x');
    expect(safeUrl('javascript:alert(1)')).toBe('');
    expect(safeUrl('JAVASCRIPT:alert(1)')).toBe('');
    expect(safeUrl('data:text/html,x')).toBe('');
    expect(safeUrl('vbscript:x')).toBe('');
  });
});
