import type { Element, Root } from 'hast';
import rehypeSlug from 'rehype-slug';
import { visit } from 'unist-util-visit';

/**
 * Old in-page anchors, as far as Markdown can carry them. Markdown has no ids: the site gives
 * each heading the id rehype-slug makes from its text. So a link to a heading's own old id
 * (`<h2 id="sec-2">Configure it</h2>` … `<a href="#sec-2">`) is pointed at that id
 * (`#configure-it`), and an anchor without an address (`<a name="x">`) is its text alone,
 * not an empty link.
 */
export default function rehypeInPageAnchors() {
  return (tree: Root) => {
    const explicit = new Map<Element, string>();
    visit(tree, 'element', (node: Element) => {
      if (isHeading(node) && typeof node.properties.id === 'string') {
        explicit.set(node, node.properties.id);
        delete node.properties.id;
      }
    });
    const renamed = new Map<string, string>();
    if (explicit.size > 0) {
      rehypeSlug()(tree);
      for (const [heading, old] of explicit) if (typeof heading.properties.id === 'string' && !renamed.has(old)) renamed.set(old, heading.properties.id);
    }
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'a') return;
      const href = node.properties.href;
      if (href === undefined || href === null || href === '') {
        if (parent && index !== undefined) {
          parent.children.splice(index, 1, ...node.children);
          return index;
        }
        return;
      }
      if (typeof href === 'string' && href.startsWith('#')) {
        const target = renamed.get(safeDecode(href.slice(1)));
        if (target !== undefined) node.properties.href = `#${target}`;
      }
    });
    // Ids are the site's to give (rehype-slug there); none is left for rehype-remark to drop silently.
    if (explicit.size > 0) visit(tree, 'element', (node: Element) => void (isHeading(node) && delete node.properties.id));
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isHeading(node: Element): boolean {
  return /^h[1-6]$/.test(node.tagName);
}
