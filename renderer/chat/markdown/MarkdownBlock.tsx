import { memo, type ComponentProps, type ReactNode } from 'react';
import type { ExtraProps } from 'hast-util-to-jsx-runtime';
import { CodeBlock } from './CodeBlock';
import { ExternalLink } from './ExternalLink';
import { ImagePlaceholder } from './ImagePlaceholder';
import { parseBlock, type BlockComponents } from './parse-block';
import { LruCache, renderBudget, useBudgetedValue } from './render-budget';

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

const shared: BlockComponents = { a: ExternalLink, img: ImagePlaceholder, table: Table };
const highlighted: BlockComponents = { ...shared, pre: makePre(true) };
const plain: BlockComponents = { ...shared, pre: makePre(false) };

/**
 * Parsed finished blocks, by text. A block parses the same wherever it is, so a reply scrolled back
 * into view, or a block repeated, is not parsed again. Bounded by text length (about 4 MB of text).
 */
const finishedBlocks = new LruCache<ReactNode>(4_000_000);

function parseFinished(text: string): ReactNode {
  return parseBlock(text, highlighted);
}

/**
 * About what a tall window shows of a reply. While a reply streams, the end is what is in view: a render
 * parses finished blocks from the end back as far as this, while it has time; blocks further back are
 * parsed when they come into view or when the reply has finished.
 */
const VIEW_CHARS = 6_000;

/** Parses the newest finished blocks that are not parsed yet, while this render has time (newest first). */
export function parseNewestFirst(blocks: readonly string[], streaming: boolean): void {
  let chars = 0;
  for (let i = blocks.length - 1; i >= 0 && i >= blocks.length - 64; i--) {
    const text = blocks[i]!;
    chars += text.length;
    if (streaming && chars > VIEW_CHARS) return;
    if (finishedBlocks.has(text)) continue;
    if (!renderBudget.hasTime()) return;
    finishedBlocks.set(text, parseFinished(text));
  }
}

/**
 * A block that will not change any more. Parsed when this render has time for it, otherwise shown as
 * its plain text (readable, selectable, about the right height) until a background slice parses it.
 */
export const FinishedBlock = memo(function FinishedBlock({ text }: { text: string }) {
  const [node, ref] = useBudgetedValue<ReactNode, HTMLDivElement>(finishedBlocks, text, () => parseFinished(text));
  return node === undefined ? (
    <div className="md-pending" ref={ref}>
      {text}
    </div>
  ) : (
    node
  );
});

interface Props {
  text: string;
  /** Show code without highlighting (a fence still streaming in). */
  plainCode?: boolean;
}

/** The block still streaming in: parsed on every change (it is the one being read). */
export const MarkdownBlock = memo(function MarkdownBlock({ text, plainCode = false }: Props) {
  return parseBlock(text, plainCode ? plain : highlighted);
});
