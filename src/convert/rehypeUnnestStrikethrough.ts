import type { Element, ElementContent, Root } from 'hast';

const STRIKE = new Set(['s', 'strike', 'del']);

/**
 * `<s><del>x</del></s>` would be written `~~~~x~~~~`, and at the start of a line that opens a code
 * fence that swallows the rest of the post: a strikethrough inside another one is unwrapped.
 */
export default function rehypeUnnestStrikethrough() {
  return (tree: Root) => {
    unnest(tree, false);
  };
}

function unnest(parent: Root | Element, struck: boolean): void {
  const children: ElementContent[] = [];
  for (const child of parent.children as ElementContent[]) {
    if (child.type !== 'element') {
      children.push(child);
      continue;
    }
    const strike = STRIKE.has(child.tagName);
    unnest(child, struck || strike);
    if (strike && struck) children.push(...child.children);
    else children.push(child);
  }
  parent.children = children as typeof parent.children;
}
