import type { Element } from 'hast';
import type { Definition, Html, Link, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { changeHtmlTable } from '../convert/blockTableToHtml.ts';

export interface Options {
  /** The new permalink for an old URL, or undefined when the URL is not an imported document. */
  resolve: (url: string, base?: string) => string | undefined;
  /** The document's own old URL, against which relative links are resolved. */
  base?: string;
}

/**
 * Links to old URLs of imported documents (any source, any spelling of the old address)
 * point at their new permalinks. Images are left alone: they are not documents.
 */
export default function rewriteOldLinks(options: Options) {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.type === 'html') return rewriteInTable(node, options);
      if (node.type !== 'link' && node.type !== 'definition') return;
      const link = node as Link | Definition;
      // An in-page anchor stays in the page (resolved against the old URL it became a link away from it).
      if (link.url.startsWith('#')) return;
      const target = options.resolve(link.url, options.base);
      if (target !== undefined) link.url = target;
    });
  };
}

/** The links of a table kept as HTML (src/convert/blockTableToHtml.ts), the same way. */
function rewriteInTable(node: Html, options: Options): void {
  node.value = changeHtmlTable(node.value, (table) => {
    let changed = false;
    visit(table, 'element', (element: Element) => {
      const href = element.tagName === 'a' ? element.properties.href : undefined;
      if (typeof href !== 'string' || href.startsWith('#')) return;
      const target = options.resolve(href, options.base);
      if (target === undefined || target === href) return;
      element.properties.href = target;
      changed = true;
    });
    return changed;
  });
}
