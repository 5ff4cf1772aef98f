import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

/** Blocks that stand between runs of text; list items and table cells keep their structure. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'details',
  'div',
  'dl',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'main',
  'nav',
  'ol',
  'p',
  'section',
  'ul',
]);
/** Elements that are content without any text. */
const SOLID = new Set([
  'img',
  'br',
  'hr',
  'iframe',
  'video',
  'audio',
  'object',
  'embed',
  'svg',
  'canvas',
  'input',
  'table',
  'pre',
  'math',
  'picture',
]);

/**
 * An empty block between two runs of text (`one <p></p> two`, `text<div>&nbsp;</div>more`) makes
 * rehype-remark trim the text on both sides and then drop the block, gluing the last word before it
 * to the first word after it ("onetwo"). An empty block is only white space: it becomes one.
 */
export default function rehypeEmptyBlocksToSpace() {
  return (tree: Root) => {
    visit(tree, (node, index, parent) => {
      if (node.type !== 'element' || !parent || index === undefined || !BLOCKS.has(node.tagName) || !isEmpty(node))
        return undefined;
      (parent.children as ElementContent[])[index] = { type: 'text', value: ' ' };
      return index;
    });
  };
}

function isEmpty(node: Element): boolean {
  return node.children.every((child) =>
    child.type === 'text'
      ? !/[^\s\u00a0]/.test(child.value)
      : child.type === 'comment' || (child.type === 'element' && !SOLID.has(child.tagName) && isEmpty(child)),
  );
}
