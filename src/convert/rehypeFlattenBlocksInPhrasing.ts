import type { Element, ElementContent, Root } from 'hast';

/** Elements hast-util-to-mdast turns into inline Markdown around their text (its handlers: strong, emphasis, delete, link, quote). */
const INLINE = new Set(['a', 'b', 'del', 'em', 'i', 'mark', 'q', 's', 'strike', 'strong', 'u']);

/** Markdown holds only inline content here: a heading's line, a table cell's line. */
const ONE_LINE = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th', 'caption']);

/**
 * Old WYSIWYG editors put blocks where Markdown cannot: `<b><div>Heading</div>Text</b>`,
 * `<h3><p>Title</p> words</h3>`, a list or `<br><br>` inside a table cell. hast-util-to-mdast
 * flattens those and trims the text on both sides, gluing two words into one; here each block
 * becomes its content with a line break (inside bold, italic, links) or a space (headings, cells)
 * between it and its neighbours, so the words stay apart and a table stays one row per line.
 */
export default function rehypeFlattenBlocksInPhrasing() {
  return (tree: Root) => {
    for (const node of tree.children) if (node.type === 'element') visit(node, false);
  };
}

/** Children first, so a block nested in a block inside bold is flattened all the way down. */
function visit(element: Element, insideInline: boolean): void {
  // A table marked by rehypeMarkBlockTables stays HTML: its cells keep their blocks.
  if (element.tagName === 'pre' || element.tagName === 'code' || element.properties.dataAlmanacHtmlTable) return;
  const oneLine = ONE_LINE.has(element.tagName);
  // Wrappers it passes through (`<span>`, `<font>`) are inline inside bold, transparent elsewhere.
  const inline = INLINE.has(element.tagName) || (insideInline && !BLOCKS.has(element.tagName));
  for (const child of element.children) if (child.type === 'element') visit(child, inline || oneLine);
  if ((oneLine || inline) && element.children.some(isBlock)) element.children = flatten(element.children, oneLine);
  if (oneLine) replaceBreaks(element);
}

/** Flow content rehype-remark turns into Markdown blocks. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
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
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

function isBlock(node: ElementContent): boolean {
  return node.type === 'element' && BLOCKS.has(node.tagName);
}

/** Blocks replaced by their content, a separator between them and what is around them (none at the edges). */
function flatten(children: ElementContent[], oneLine: boolean): ElementContent[] {
  const result: ElementContent[] = [];
  let separate = false;
  const push = (nodes: ElementContent[]) => {
    for (const node of nodes) {
      const blank = node.type === 'text' && node.value.trim() === '';
      if (separate && !blank && result.length > 0)
        result.push(
          oneLine ? { type: 'text', value: ' ' } : { type: 'element', tagName: 'br', properties: {}, children: [] },
        );
      if (!blank) separate = false;
      result.push(node);
    }
  };
  for (const child of children) {
    if (isBlock(child)) {
      separate = true;
      push(flatten((child as Element).children, oneLine));
      separate = true;
    } else {
      push([child]);
    }
  }
  return result;
}

/** A line break cannot be written inside a heading or a GFM table cell: it becomes a space. */
function replaceBreaks(element: Element): void {
  element.children = element.children.map((child) => {
    if (child.type !== 'element') return child;
    if (child.tagName === 'br') return { type: 'text', value: ' ' };
    replaceBreaks(child);
    return child;
  });
}
