import type { Element, ElementContent } from 'hast';
import type { Html } from 'mdast';
import rehypeParse from 'rehype-parse';
import type { Options } from 'remark-rehype';
import { unified } from 'unified';
import { HTML_TABLE } from '../convert/blockTableToHtml.ts';

type Handler = NonNullable<NonNullable<Options['handlers']>['html']>;

const parseFragment = unified().use(rehypeParse, { fragment: true });

/**
 * remark-rehype's handler for raw HTML: content is data, so raw HTML is dropped — except the
 * empty `<a id="…"></a>` anchors the importer keeps for old `#anchor` links, which become real
 * anchors (the sanitizer then prefixes their ids like every other id), and tables kept as HTML,
 * which become elements for the sanitizer to judge like everything else (nothing that runs survives it).
 */
export const keepAnchorsAndTables: Handler = (_state, node: Html): Element | ElementContent[] | undefined => {
  if (HTML_TABLE.test(node.value.trim()))
    return parseFragment.parse(node.value.trim()).children.filter((child) => child.type === 'element');
  // Markdown parses inline HTML tag by tag: the anchor arrives as `<a id="…">`, its `</a>` apart (dropped).
  if (!/^<a id="[^"<>]*">(?:<\/a>)?$/.test(node.value)) return undefined;
  const [anchor] = parseFragment.parse(node.value).children;
  if (anchor?.type !== 'element' || typeof anchor.properties.id !== 'string') return undefined;
  return { type: 'element', tagName: 'a', properties: { id: anchor.properties.id }, children: [] };
};
