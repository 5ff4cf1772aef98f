import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * rehype-sanitize prefixes every id with `user-content-` (so a post cannot clobber page
 * globals); this points the document's own `#anchor` links (old in-page links, footnotes)
 * at the prefixed ids, so they keep working.
 */
export default function rehypeLocalAnchors(options: { prefix?: string } = {}) {
  const prefix = options.prefix ?? 'user-content-';
  return (tree: Root) => {
    const ids = new Set<string>();
    const links: Element[] = [];
    visit(tree, 'element', (node: Element) => {
      if (typeof node.properties.id === 'string') ids.add(node.properties.id);
      if (node.tagName === 'a' && typeof node.properties.href === 'string' && node.properties.href.startsWith('#'))
        links.push(node);
    });
    for (const link of links) {
      const href = link.properties.href as string;
      let target: string;
      try {
        target = decodeURIComponent(href.slice(1));
      } catch {
        continue;
      }
      if (ids.has(target)) continue;
      if (ids.has(prefix + target)) link.properties.href = `#${prefix}${target}`;
    }
  };
}
