import type { Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/**
 * Editors sprinkle `&nbsp;` where a space was meant (indentation, double spacing, empty
 * paragraphs). Outside code they become plain spaces, so Markdown wraps and matches normally;
 * inside `<pre>` and `<code>` every character is kept.
 */
export default function rehypeNbspToSpace() {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.type === 'element' && (node.tagName === 'pre' || node.tagName === 'code')) return SKIP;
      if (node.type === 'text') node.value = node.value.replace(/\u00a0/g, ' ');
    });
  };
}
