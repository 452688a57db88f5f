import { memo, type ComponentProps, type ReactNode } from 'react';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock';
import { ExternalLink } from './ExternalLink';
import { ImagePlaceholder } from './ImagePlaceholder';
import { remarkHtmlAsText } from './remark-html-as-text';

type HastNode = NonNullable<ExtraProps['node']>['children'][number];

function textOf(node: HastNode): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function languageOf(className: unknown): string {
  const classes = Array.isArray(className) ? className : typeof className === 'string' ? className.split(' ') : [];
  for (const c of classes) {
    if (typeof c === 'string' && c.startsWith('language-')) return c.slice('language-'.length).toLowerCase();
  }
  return '';
}

function makePre(highlight: boolean) {
  return function Pre({ node, children }: ComponentProps<'pre'> & ExtraProps): ReactNode {
    const code = node?.children.find((c) => c.type === 'element' && c.tagName === 'code');
    if (!code || code.type !== 'element') return <pre>{children}</pre>;
    // mdast-util-to-hast ends every code block with a newline the author did not write.
    const text = textOf(code).replace(/\n$/, '');
    return <CodeBlock language={languageOf(code.properties.className)} code={text} highlight={highlight} />;
  };
}

function Table({ node: _node, ...rest }: ComponentProps<'table'> & ExtraProps) {
  return (
    <div className="md-table-scroll">
      <table {...rest} />
    </div>
  );
}

const shared: Components = { a: ExternalLink, img: ImagePlaceholder, table: Table };
const highlighted: Components = { ...shared, pre: makePre(true) };
const plain: Components = { ...shared, pre: makePre(false) };
const remarkPlugins = [remarkGfm, remarkHtmlAsText];

interface Props {
  text: string;
  /** Show code without highlighting (a fence still streaming in). */
  plainCode?: boolean;
}

/** One Markdown block of a reply; memoised, so a finished block never renders again while the reply grows. */
export const MarkdownBlock = memo(function MarkdownBlock({ text, plainCode = false }: Props) {
  return (
    <Markdown remarkPlugins={remarkPlugins} components={plainCode ? plain : highlighted}>
      {text}
    </Markdown>
  );
});
