import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';

/**
 * Mail quotes the whole previous message again and again: a top-level quote longer than a
 * few lines is folded into <details>, so a thread reads as its new text (and stays one click
 * from the context). Short quotes stay open: they are the point being answered.
 */
export default function rehypeFoldQuotes(options: { minLines?: number } = {}) {
  const minLines = options.minLines ?? 4;
  return (tree: Root) => {
    tree.children = tree.children.map((node) => {
      if (node.type !== 'element' || node.tagName !== 'blockquote') return node;
      const lines = toString(node)
        .trim()
        .split('\n')
        .filter((line) => line.trim() !== '').length;
      if (lines < minLines) return node;
      return h('details', { className: ['quote'] }, [h('summary', `Quoted text (${lines} lines)`), node]) as Element;
    });
  };
}
