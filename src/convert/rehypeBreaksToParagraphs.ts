import type { Element, ElementContent, Root, RootContent } from 'hast';

/** Containers whose phrasing content Blogger's editor splits into paragraphs with `<br><br>` (not table cells: a GFM cell is one line). */
const CONTAINERS = new Set(['div', 'blockquote', 'li', 'section', 'article', 'center', 'dd']);
/** Elements that are paragraphs or blocks of their own: a run of phrasing never crosses them. */
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
  'ul',
]);

/**
 * Blogger (and many old editors) write paragraphs as text separated by `<br /><br />`.
 * Two or more breaks in a row, in a container's own phrasing content, end a paragraph;
 * a single break stays a line break.
 */
export default function rehypeBreaksToParagraphs() {
  return (tree: Root) => {
    splitIn(tree);
  };
}

function splitIn(parent: Root | Element): void {
  for (const node of parent.children) if (node.type === 'element' && node.tagName !== 'pre') splitIn(node);
  hoistEdgeBreaks(parent);
  if (parent.type === 'element' && !CONTAINERS.has(parent.tagName) && !BLOCKS.has(parent.tagName))
    collapseBreakRuns(parent);
  if (parent.type === 'element' && !CONTAINERS.has(parent.tagName)) return;
  if (!parent.children.some((node, index) => isBreak(node) && nextBreakAfter(parent.children, index) !== -1)) return;

  const result: (RootContent | ElementContent)[] = [];
  let run: ElementContent[] = [];
  const flush = () => {
    trimBreaks(run);
    if (run.some((node) => !isBlank(node)))
      result.push({ type: 'element', tagName: 'p', properties: {}, children: run });
    run = [];
  };
  const nodes = parent.children as ElementContent[];
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index];
    if (node.type === 'element' && BLOCKS.has(node.tagName)) {
      flush();
      result.push(node);
    } else if (isBreak(node) && nextBreakAfter(nodes, index) !== -1) {
      flush();
      // Skip the whole run of breaks and the blank text between them.
      while (index + 1 < nodes.length && (isBreak(nodes[index + 1]) || isBlank(nodes[index + 1]))) index++;
    } else {
      run.push(node);
    }
  }
  flush();
  parent.children = result as typeof parent.children;
}

/**
 * `<b>Heading<br /><br /></b>`: breaks at the edges of an inline element belong to the text
 * around it, so they move out (and then split paragraphs there) instead of becoming a hard
 * break inside `**…**`, which Markdown cannot end a paragraph with.
 */
function hoistEdgeBreaks(parent: Root | Element): void {
  if (
    !parent.children.some(
      (node) => node.type === 'element' && !BLOCKS.has(node.tagName) && node.tagName !== 'pre' && node.tagName !== 'br',
    )
  )
    return;
  const result: (RootContent | ElementContent)[] = [];
  for (const node of parent.children) {
    if (
      node.type !== 'element' ||
      BLOCKS.has(node.tagName) ||
      CONTAINERS.has(node.tagName) ||
      node.tagName === 'pre' ||
      node.tagName === 'br'
    ) {
      result.push(node);
      continue;
    }
    const children = node.children;
    let start = 0;
    while (start < children.length && (isBreak(children[start]) || isBlank(children[start]))) start++;
    let end = children.length;
    while (end > start && (isBreak(children[end - 1]) || isBlank(children[end - 1]))) end--;
    const leading = children.slice(0, start);
    const trailing = children.slice(end);
    const hoistLeading = leading.some(isBreak);
    const hoistTrailing = trailing.some(isBreak);
    node.children = children.slice(hoistLeading ? start : 0, hoistTrailing ? end : children.length);
    if (hoistLeading) result.push(...leading);
    result.push(node);
    if (hoistTrailing) result.push(...trailing);
  }
  parent.children = result as typeof parent.children;
}

/** Inside an inline element a paragraph cannot end: a run of breaks there is one line break. */
function collapseBreakRuns(parent: Element): void {
  const nodes = parent.children;
  const first = nodes.findIndex((node) => !isBreak(node) && !isBlank(node));
  const last = nodes.findLastIndex((node) => !isBreak(node) && !isBlank(node));
  // Runs at the edges are left for hoistEdgeBreaks, which moves them out to end the paragraph.
  parent.children = nodes.filter(
    (node, index) => !(index > first && index < last && isBreak(node) && nextBreakAfter(nodes, index) !== -1),
  );
}

function isBreak(node: RootContent | ElementContent | undefined): boolean {
  return node?.type === 'element' && node.tagName === 'br';
}

function isBlank(node: RootContent | ElementContent): boolean {
  return (node.type === 'text' && node.value.trim() === '') || node.type === 'comment';
}

/** The index of the break that follows this one with only blank text between, or -1. */
function nextBreakAfter(nodes: readonly (RootContent | ElementContent)[], index: number): number {
  for (let next = index + 1; next < nodes.length; next++) {
    if (isBreak(nodes[next])) return next;
    if (!isBlank(nodes[next])) return -1;
  }
  return -1;
}

function trimBreaks(run: ElementContent[]): void {
  while (run.length > 0 && (isBreak(run[0]) || isBlank(run[0]))) run.shift();
  while (run.length > 0 && (isBreak(run.at(-1)) || isBlank(run.at(-1)!))) run.pop();
}
