import type { Element, Root as HastRoot } from 'hast';
import type { Html } from 'mdast';
import { toHtml } from 'hast-util-to-html';
import { toText } from 'hast-util-to-text';
import { defaultHandlers, type Handle } from 'hast-util-to-mdast';
import rehypeParse from 'rehype-parse';
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

/**
 * A GFM table cell holds one line of phrasing: a `<pre>` in a cell became one line (code after
 * `//` turned into a comment), a list or two paragraphs ran together. Tables whose cells hold
 * block content stay HTML tables in the Markdown (GFM allows raw HTML blocks), sanitized to
 * table elements and the safe phrasing and block elements inside them; other tables stay GFM tables.
 */

const BLOCKS = new Set(['pre', 'ul', 'ol', 'dl', 'blockquote', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const PARAGRAPHS = new Set(['p', 'div']);

/** What a table kept as HTML may hold: no attribute but a link's (an anchor's id), an image's, a cell's spans, a list's start and a code block's language; no script, no style. */
export const tableSchema: Schema = {
  tagNames: [
    'table',
    'caption',
    'colgroup',
    'col',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'p',
    'div',
    'pre',
    'code',
    'blockquote',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'hr',
    'br',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'img',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'del',
    'ins',
    'sub',
    'sup',
    'kbd',
    'samp',
    'var',
    'span',
    'small',
    'mark',
    'abbr',
    'q',
    'cite',
  ],
  attributes: {
    a: ['href', 'title', 'id'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colSpan', 'rowSpan'],
    th: ['colSpan', 'rowSpan'],
    ol: ['start'],
    code: [['className', /^language-[\w+#.-]+$/]],
  },
  protocols: { href: ['http', 'https', 'mailto', 'xmpp', 'ftp'], src: ['http', 'https'] },
  strip: ['script', 'style', 'template'],
  // Ids as written: the site's sanitizer prefixes them once, like every other id.
  clobber: [],
};

const sanitizer = unified().use(rehypeSanitize, tableSchema).freeze();

/** Marks each outermost table holding blocks, before the cleanups that flatten cells for GFM (rehypeFlattenBlocksInPhrasing leaves it alone). */
export default function rehypeMarkBlockTables() {
  return (tree: HastRoot) => {
    const walk = (node: HastRoot | Element) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue;
        if (child.tagName === 'table' && holdsBlocks(child)) child.properties.dataAlmanacHtmlTable = true;
        else walk(child);
      }
    };
    walk(tree);
  };
}

/** rehype-remark's handler for `<table>`: a marked one is written as HTML, others are the GFM tables they always were. */
export const blockTableToHtml: Handle = (state, node) => {
  if (!node.properties.dataAlmanacHtmlTable) return defaultHandlers.table(state, node);
  const result: Html = { type: 'html', value: tableHtml(node) };
  state.patch(node, result);
  return result;
};

function holdsBlocks(table: Element): boolean {
  return cells(table).some((cell) => {
    const found = blocksIn(cell);
    return found === Infinity || found > 1;
  });
}

/** How many paragraphs (innermost `<p>`/`<div>` with text) are in this element; Infinity for a block a GFM cell cannot hold at all. */
function blocksIn(element: Element): number {
  let count = 0;
  for (const child of element.children) {
    if (child.type !== 'element') continue;
    if (BLOCKS.has(child.tagName)) return Infinity;
    const inner = blocksIn(child);
    if (inner === Infinity) return Infinity;
    count += inner === 0 && PARAGRAPHS.has(child.tagName) && toText(child).trim() !== '' ? 1 : inner;
  }
  return count;
}

/** The table's own cells (a nested table's cells are its own). */
function cells(table: Element): Element[] {
  const found: Element[] = [];
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'td' || child.tagName === 'th') found.push(child);
      else if (child.tagName !== 'table') walk(child);
    }
  };
  walk(table);
  return found;
}

function tableHtml(table: Element): string {
  const copy = structuredClone(table);
  // Only the anchors rehypeInPageAnchors kept for old `#anchor` links keep their ids, as outside tables.
  visit(copy, 'element', (element: Element) => {
    if (element.tagName === 'a' && !element.properties.dataAlmanacAnchor) delete element.properties.id;
  });
  return writeHtmlBlock(sanitizer.runSync({ type: 'root', children: [copy] } as HastRoot));
}

/**
 * A tree as one HTML block. A raw HTML block ends at a blank line, so a line break before a
 * blank line (in a `<pre>`, it is one) is written `&#10;`: the same character, no blank line.
 */
function writeHtmlBlock(tree: HastRoot): string {
  visit(tree, 'element', (element: Element) => {
    // An HTML parser drops the line break right after `<pre>` (the spec's serializer doubles it; hast-util-to-html does not).
    const first = element.children[0];
    if (element.tagName === 'pre' && first?.type === 'text' && first.value.startsWith('\n'))
      first.value = `\n${first.value}`;
  });
  return toHtml(tree, { characterReferences: { useNamedReferences: true } }).replace(/\n(?=[ \t]*(?:\n|$))/g, '&#10;');
}

/** An HTML block that is one whole table, as written here (what the site, the terminal and the pipeline read as a table kept as HTML). */
export const HTML_TABLE = /^<table[\s>][\s\S]*<\/table>$/i;

const parser = unified().use(rehypeParse, { fragment: true }).freeze();

/**
 * For the document pipeline: a table kept as HTML, parsed, changed by `change` (which says whether
 * it changed anything) and written again; the same string when nothing changed.
 */
export function changeHtmlTable(html: string, change: (tree: HastRoot) => boolean): string {
  if (!HTML_TABLE.test(html.trim())) return html;
  const tree = parser.parse(html) as HastRoot;
  return change(tree) ? writeHtmlBlock(tree) : html;
}
