/**
 * Markdown block -> React elements, the pipeline react-markdown runs (micromark -> mdast -> hast -> JSX),
 * without its per-render costs. react-markdown builds a new unified processor for every render and runs
 * every GFM extension over every character; in a 20,000-token reply that was most of the renderer's
 * script time. Here the pipeline is set up once, and each block gets only the GFM constructs it can
 * contain: a construct needs certain characters (a table a `|`, strikethrough a `~`, a task item or a
 * footnote a `[`, an autolink `www.`, `http` or `@`), so leaving it out of a block without them changes
 * nothing but the time it takes. Plain prose parses about three times faster that way.
 */
import type { Element, ElementContent, Nodes as HastNodes, Root as HastRoot } from 'hast';
import { toJsxRuntime, type Components } from 'hast-util-to-jsx-runtime';
import type { Root } from 'mdast';
import { fromMarkdown, type Extension as MdastExtension } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { toHast } from 'mdast-util-to-hast';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Extension as MicromarkExtension } from 'micromark-util-types';
import type { ReactNode } from 'react';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { htmlAsText } from './html-as-text';

interface GfmConstruct {
  /** Whether a block can contain the construct at all. */
  possibleIn(text: string): boolean;
  micromark: () => MicromarkExtension;
  mdast: () => MdastExtension;
}

// Autolink prefixes match in any case; mailto: and xmpp: addresses need the @ too.
const AUTOLINK_HINT = /www\.|http|@/i;

const CONSTRUCTS: readonly GfmConstruct[] = [
  { possibleIn: (t) => AUTOLINK_HINT.test(t), micromark: gfmAutolinkLiteral, mdast: gfmAutolinkLiteralFromMarkdown },
  { possibleIn: (t) => t.includes('[^'), micromark: gfmFootnote, mdast: gfmFootnoteFromMarkdown },
  { possibleIn: (t) => t.includes('~'), micromark: () => gfmStrikethrough(), mdast: gfmStrikethroughFromMarkdown },
  { possibleIn: (t) => t.includes('|'), micromark: gfmTable, mdast: gfmTableFromMarkdown },
  { possibleIn: (t) => t.includes('['), micromark: gfmTaskListItem, mdast: gfmTaskListItemFromMarkdown },
];

interface ExtensionSet {
  extensions: MicromarkExtension[];
  mdastExtensions: MdastExtension[];
}

/** One set per combination of constructs (at most 32), built the first time a block needs it. */
const extensionSets = new Map<number, ExtensionSet>();

function extensionsFor(text: string): ExtensionSet {
  let mask = 0;
  for (let i = 0; i < CONSTRUCTS.length; i++) if (CONSTRUCTS[i]!.possibleIn(text)) mask |= 1 << i;
  let set = extensionSets.get(mask);
  if (!set) {
    const used = CONSTRUCTS.filter((_, i) => mask & (1 << i));
    set = { extensions: used.map((c) => c.micromark()), mdastExtensions: used.map((c) => c.mdast()) };
    extensionSets.set(mask, set);
  }
  return set;
}

const SAFE_PROTOCOL = /^(https?|ircs?|mailto|xmpp)$/i;

/**
 * A link or image address as react-markdown allows it: relative, or with a harmless protocol
 * (`javascript:` and the like become empty). What a link may open is decided again when it is clicked.
 */
export function safeUrl(value: string): string {
  const colon = value.indexOf(':');
  if (colon === -1) return value;
  for (const stop of ['?', '#', '/']) {
    const at = value.indexOf(stop);
    // A colon after the path, query or fragment starts is not a protocol.
    if (at !== -1 && colon > at) return value;
  }
  return SAFE_PROTOCOL.test(value.slice(0, colon)) ? value : '';
}

const URL_PROPERTIES: Record<string, string> = { a: 'href', img: 'src' };

function sanitize(nodes: readonly (ElementContent | HastRoot['children'][number])[]): void {
  for (const node of nodes) {
    if (node.type !== 'element') continue;
    const property = URL_PROPERTIES[node.tagName];
    if (property && property in node.properties) node.properties[property] = safeUrl(String(node.properties[property] ?? ''));
    sanitize(node.children);
  }
}

export type BlockComponents = Partial<Components>;

/** The hast tree of one block (exported for tests). */
export function blockToHast(text: string): HastRoot {
  const mdast: Root = fromMarkdown(text, extensionsFor(text));
  htmlAsText(mdast);
  // Raw HTML never reaches here (it became text or code above), so nothing dangerous is allowed through.
  const hast = toHast(mdast) as HastNodes;
  const root: HastRoot = hast.type === 'root' ? hast : { type: 'root', children: [hast as Element] };
  sanitize(root.children);
  return root;
}

/** One Markdown block as React elements. Pure: the same text and components give the same elements. */
export function parseBlock(text: string, components: BlockComponents): ReactNode {
  return toJsxRuntime(blockToHast(text), {
    Fragment,
    jsx,
    jsxs,
    components,
    ignoreInvalidStyle: true,
    passKeys: true,
    passNode: true,
  });
}
