/**
 * Syntax highlighting for code blocks in replies. A curated set of grammars keeps the Chat window's
 * JavaScript small (all of highlight.js is several hundred KB); a fence in any other language is shown as
 * plain, readable code. No auto-detection: guessing runs every grammar over the text, which is slow on long
 * blocks and often wrong.
 */
import { createElement, Fragment, type ReactNode } from 'react';
import type { ElementContent, Root } from 'hast';
import { createLowlight } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const lowlight = createLowlight({
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  powershell,
  python,
  ruby,
  rust,
  scss,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml,
});
// Names models write that the grammars do not list themselves.
lowlight.registerAlias({ bash: ['sh', 'zsh'], json: ['jsonc', 'json5'], typescript: ['tsx', 'mts', 'cts'], xml: ['vue', 'svg'] });

export function isHighlightable(language: string): boolean {
  return language !== '' && lowlight.registered(language);
}

function toReact(nodes: readonly ElementContent[], keyPrefix: string): ReactNode[] {
  return nodes.map((node, i) => {
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    const className = node.properties.className;
    return createElement(
      'span',
      { key: `${keyPrefix}${i}`, className: Array.isArray(className) ? className.join(' ') : undefined },
      ...toReact(node.children, `${keyPrefix}${i}.`),
    );
  });
}

/** Highlighted code as React nodes (spans with `hljs-*` classes); plain text for an unknown language. */
export function highlightCode(language: string, code: string): ReactNode {
  if (!isHighlightable(language)) return code;
  let tree: Root;
  try {
    tree = lowlight.highlight(language, code);
  } catch {
    return code;
  }
  return createElement(Fragment, null, ...toReact(tree.children as ElementContent[], ''));
}
