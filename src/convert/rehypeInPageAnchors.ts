import type { Element, ElementContent, Root } from 'hast';
import rehypeSlug from 'rehype-slug';
import { visit } from 'unist-util-visit';

/**
 * Old in-page anchors, kept. Markdown has no ids: the site gives each heading the id rehype-slug
 * makes from its text. So a link to a heading's own old id (`<h2 id="sec-2">Configure it</h2>`
 * … `<a href="#sec-2">`) is pointed at that id (`#configure-it`), and every old id a link from
 * elsewhere may still name — a heading's id that is not its slug, `<a name="x">`, an id the post's
 * own links point at (footnotes) — stays as an empty `<a id="x"></a>` where it was (written as
 * inline HTML by htmlToMdast; the site keeps exactly that form, as GitHub does).
 */
export default function rehypeInPageAnchors() {
  return (tree: Root) => {
    const explicit = new Map<Element, string>();
    const linkedIds = new Set<string>();
    visit(tree, 'element', (node: Element) => {
      if (isHeading(node) && typeof node.properties.id === 'string') {
        explicit.set(node, node.properties.id);
        delete node.properties.id;
      }
      const href = node.tagName === 'a' ? node.properties.href : undefined;
      if (typeof href === 'string' && href.startsWith('#')) linkedIds.add(safeDecode(href.slice(1)));
    });
    const renamed = new Map<string, string>();
    if (explicit.size > 0) {
      rehypeSlug()(tree);
      for (const [heading, old] of explicit) {
        const slug = heading.properties.id;
        if (typeof slug !== 'string') continue;
        if (!renamed.has(old)) renamed.set(old, slug);
        if (old !== slug) heading.children.unshift(anchor(old));
      }
    }
    visit(tree, 'element', (node: Element, index, parent) => {
      if (isHeading(node) || node.properties.dataAlmanacAnchor || !parent || index === undefined) return;
      const id = anchorId(node, linkedIds);
      const href = node.properties.href;
      if (node.tagName === 'a' && (href === undefined || href === null || href === '')) {
        // An anchor without an address is its text, after the anchor itself.
        parent.children.splice(index, 1, ...(id ? [anchor(id)] : []), ...node.children);
        return index + (id ? 1 : 0);
      }
      if (!id) return;
      delete node.properties.id;
      if (node.tagName === 'a' || !canHoldText(node)) {
        parent.children.splice(index, 0, anchor(id));
        return index + 2;
      }
      node.children.unshift(anchor(id));
      return;
    });
    visit(tree, 'element', (node: Element) => {
      const href = node.tagName === 'a' ? node.properties.href : undefined;
      if (typeof href !== 'string' || !href.startsWith('#')) return;
      const target = renamed.get(safeDecode(href.slice(1)));
      if (target !== undefined) node.properties.href = `#${target}`;
    });
    // Heading ids are the site's to give (rehype-slug there); none is left for rehype-remark to drop silently.
    if (explicit.size > 0)
      visit(tree, 'element', (node: Element) => void (isHeading(node) && delete node.properties.id));
  };
}

/** The empty anchor htmlToMdast writes as `<a id="…"></a>`. */
function anchor(id: string): ElementContent {
  return { type: 'element', tagName: 'a', properties: { id, dataAlmanacAnchor: true }, children: [] };
}

/** `<a name>` and `<a id>` always (that is what they are for); other elements' ids when the post links to them. */
function anchorId(node: Element, linkedIds: Set<string>): string | undefined {
  const id = typeof node.properties.id === 'string' && node.properties.id !== '' ? node.properties.id : undefined;
  if (node.tagName === 'a') {
    const name = Array.isArray(node.properties.name) ? node.properties.name.join(' ') : node.properties.name;
    return id ?? (typeof name === 'string' && name !== '' ? name : undefined);
  }
  return id !== undefined && linkedIds.has(id) ? id : undefined;
}

/** Elements whose content Markdown writes as a line of text, where an inline anchor can go first. */
function canHoldText(node: Element): boolean {
  return !['table', 'thead', 'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'pre', 'hr', 'img', 'br'].includes(node.tagName);
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
