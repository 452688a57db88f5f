import type { Nodes, Root } from 'mdast';

const FLOW_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/**
 * Raw HTML in a reply is shown as the source the model wrote, never parsed or executed. Dropping it instead
 * would lose text: models often write tags in prose ("wrap it in a <div>"). Inline HTML becomes text;
 * a block of HTML becomes an html code block, which keeps its lines readable.
 */
export function htmlAsText(tree: Root): void {
  const walk = (node: Nodes) => {
    if (!('children' in node)) return;
    const flow = FLOW_PARENTS.has(node.type);
    node.children = node.children.map((child) => {
      if (child.type !== 'html') {
        walk(child);
        return child;
      }
      return flow
        ? { type: 'code', lang: 'html', value: child.value, position: child.position }
        : { type: 'text', value: child.value, position: child.position };
    }) as typeof node.children;
  };
  walk(tree);
}
