import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

const MONOSPACE = /font-family\s*:[^;]*\b(monospace|courier|consolas|monaco|menlo|lucida console)\b/i;

/**
 * Old WYSIWYG editors marked inline code with a monospace font instead of `<code>`:
 * `<span style="font-family: monospace">` and `<font face="courier">` become `<code>`.
 * Spans holding block content (a styled `<div>` around a listing) are left to the block handlers.
 */
export default function rehypeMonospaceToCode() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, _index, parent) => {
      if (node.tagName === 'pre' || node.tagName === 'code') return 'skip';
      if (!isMonospace(node) || (parent?.type === 'element' && parent.tagName === 'pre')) return;
      const hasBlocks = node.children.some(
        (item) =>
          item.type === 'element' && !['br', 'span', 'font', 'b', 'i', 'strong', 'em', 'a'].includes(item.tagName),
      );
      if (hasBlocks) return;
      node.tagName = 'code';
      node.properties = {};
      return 'skip';
    });
  };
}

function isMonospace(node: Element): boolean {
  if (node.tagName === 'span') return MONOSPACE.test(String(node.properties?.style ?? ''));
  if (node.tagName === 'font') return /\b(monospace|courier|consolas)\b/i.test(String(node.properties?.face ?? ''));
  if (node.tagName === 'tt' || node.tagName === 'kbd' || node.tagName === 'samp') return true;
  return false;
}
