import type { Html, Paragraph, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * hast-util-to-mdast counts inline HTML as flow content, so an old anchor at the start of a list
 * item or a div (`<li id="fn1">Note…`) comes out as a block of its own; it joins the
 * paragraph after it, where it was.
 */
export default function remarkJoinAnchorParagraphs() {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (!('children' in node)) return;
      const children = node.children as Root['children'];
      for (let index = children.length - 2; index >= 0; index--) {
        const anchors = children[index];
        const next = children[index + 1];
        if (next.type !== 'paragraph') continue;
        if (isAnchor(anchors)) next.children.unshift(anchors);
        else if (isAnchorParagraph(anchors)) next.children.unshift(...(anchors.children as Html[]));
        else continue;
        children.splice(index, 1);
      }
    });
  };
}

function isAnchor(node: { type: string; value?: string }): node is Html {
  return node.type === 'html' && /^<a id="[^"]*"><\/a>$/.test(node.value ?? '');
}

function isAnchorParagraph(node: Root['children'][number]): node is Paragraph {
  return node.type === 'paragraph' && node.children.length > 0 && node.children.every(isAnchor);
}
