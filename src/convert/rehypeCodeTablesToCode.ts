import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toText } from 'hast-util-to-text';

/**
 * Highlighters that number lines lay code out as a table, gutter beside code: Octopress and
 * Pygments (`table.highlighttable`, `td.gutter > pre.line-numbers`, `td.linenos`, `td.code > pre`),
 * Rouge (`table.rouge-table`, `td.rouge-gutter`/`td.gutter.gl`, `td.rouge-code`, one row or one row
 * per line), GitHub gists (`td.blob-num`, `td.blob-code`). Each becomes one `<pre><code>` with its
 * language, the line numbers dropped; a table Jekyll put inside `<pre><code>` replaces that `<pre>`,
 * and an Octopress `<figure class="code">` keeps its `<figcaption>` as a paragraph before the code.
 */
export default function rehypeCodeTablesToCode() {
  return (tree: Root) => {
    eachTable(tree, [], (table, ancestors) => {
      const rows = codeRows(table);
      if (!rows) return false;
      const outerPre = ancestors.findLast((node) => node.type === 'element' && node.tagName === 'pre') as
        | Element
        | undefined;
      const replaced = outerPre ?? table;
      const cells = rows.map(([, code]) => code);
      const language =
        languageOf([
          ...cells,
          table,
          ...ancestors.filter((node): node is Element => node.type === 'element').reverse(),
        ]) ?? octopressLanguage(cells);
      const pre: Element = {
        type: 'element',
        tagName: 'pre',
        properties: {},
        children: [
          {
            type: 'element',
            tagName: 'code',
            properties: language ? { className: [`language-${language}`] } : {},
            children: [{ type: 'text', value: codeText(rows) }],
          },
        ],
      };
      const figure = ancestors.findLast((node) => node.type === 'element' && node.tagName === 'figure') as
        | Element
        | undefined;
      const caption = figure?.children.find(
        (child): child is Element => child.type === 'element' && child.tagName === 'figcaption',
      );
      if (figure && caption && !containsAnotherTable(figure, table)) {
        replaceIn(ancestors, figure, [
          { type: 'element', tagName: 'p', properties: {}, children: spaced(caption.children) },
          pre,
        ]);
      } else {
        replaceIn(ancestors, replaced, [pre]);
      }
      return true;
    });
  };
}

/** Calls `found` for each table, outermost first, with its ancestors (one stack, not a copy per level); not inside one it replaced. */
function eachTable(
  node: Root | Element,
  ancestors: (Root | Element)[],
  found: (table: Element, ancestors: (Root | Element)[]) => boolean,
): void {
  ancestors.push(node);
  for (const child of [...node.children]) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'table' && found(child, ancestors)) continue;
    eachTable(child, ancestors, found);
  }
  ancestors.pop();
}

type Row = [gutter: Element, code: Element];

const GUTTER_CLASS = /^(?:gutter|rouge-gutter|gl|linenos?|lineno|line-numbers|blob-num)$/;
const CODE_CLASS = /^(?:code|rouge-code|blob-code|blob-code-inner)$/;
/** What a gutter shows: numbers, the `$` of Octopress's prompt blocks, white space. */
const GUTTER_TEXT = /^[\d\s$]*$/;

/** The table's rows as [gutter, code] cells, when every row is one; else undefined. */
function codeRows(table: Element): Row[] | undefined {
  const rows: Row[] = [];
  for (const row of descendants(table, 'tr', 'table')) {
    const cells = row.children.filter(
      (child): child is Element => child.type === 'element' && (child.tagName === 'td' || child.tagName === 'th'),
    );
    if (cells.length !== 2) return undefined;
    const [gutter, code] = cells;
    const gutterLike = () =>
      classes(gutter).some((name) => GUTTER_CLASS.test(name)) || descendants(gutter, 'pre').length > 0;
    const codeLike = () => classes(code).some((name) => CODE_CLASS.test(name)) || descendants(code, 'pre').length > 0;
    if (!gutterLike() || !GUTTER_TEXT.test(toText(gutter, { whitespace: 'pre' })) || !codeLike()) return undefined;
    rows.push([gutter, code]);
  }
  return rows.length > 0 ? rows : undefined;
}

/** The code, line breaks as written: each code cell's `<pre>` (or the cell itself) as text, one row after another. */
function codeText(rows: Row[]): string {
  const lines = rows.map(([, cell]) => {
    const pre = descendants(cell, 'pre')[0] ?? cell;
    breakBlockLines(pre);
    return toText(pre, { whitespace: 'pre' });
  });
  return lines
    .map((line, index) => (index < lines.length - 1 && !line.endsWith('\n') ? `${line}\n` : line))
    .join('')
    .replace(/\n$/, '');
}

/** Octopress's prompt blocks put each line in a `span.line` its CSS shows as a block, with no line break: one is added. */
function breakBlockLines(pre: Element): void {
  for (const element of [pre, ...descendants(pre, 'code'), ...descendants(pre, 'span')]) {
    element.children = element.children.flatMap((child, index) => {
      const next = element.children[index + 1];
      const isLine = (node: ElementContent | undefined) => node?.type === 'element' && classes(node).includes('line');
      return isLine(child) && isLine(next) && !toText(child, { whitespace: 'pre' }).endsWith('\n')
        ? [child, { type: 'text', value: '\n' }]
        : [child];
    });
  }
}

/** Octopress's caption is a name beside a link, set apart by CSS: a space between them. */
function spaced(children: ElementContent[]): ElementContent[] {
  return children.flatMap((child, index) =>
    index > 0 && child.type === 'element' && children[index - 1].type === 'element'
      ? [{ type: 'text', value: ' ' } as ElementContent, child]
      : [child],
  );
}

/** `language-x`, `lang-x`, `highlight-x` or `data-lang` on the code or around it. */
function languageOf(elements: Element[]): string | undefined {
  for (const element of elements.flatMap((cell) => [...descendants(cell, 'code'), cell])) {
    const dataLang = element.properties.dataLang;
    if (typeof dataLang === 'string' && dataLang) return dataLang;
    for (const name of classes(element)) {
      const named = /^(?:language|lang|highlight)-([\w+#.-]+)$/.exec(name);
      if (named && named[1] !== 'plaintext') return named[1];
    }
  }
  return undefined;
}

/** Octopress names the language as the code's only class: `<code class="ruby">`. */
function octopressLanguage(cells: Element[]): string | undefined {
  for (const code of cells.flatMap((cell) => descendants(cell, 'code'))) {
    const names = classes(code);
    if (
      names.length === 1 &&
      /^[a-z][\w+#-]*$/i.test(names[0]) &&
      !/^(?:code|highlight|line|plain|text)$/i.test(names[0])
    )
      return names[0];
  }
  return undefined;
}

function classes(element: Element): string[] {
  const names = element.properties.className;
  return Array.isArray(names) ? names.map(String) : [];
}

/** Elements named `tagName` under `root`, not looking inside `stopAt` elements below it (a nested table's rows are its own). */
function descendants(root: Element, tagName: string, stopAt?: string): Element[] {
  const found: Element[] = [];
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === tagName) found.push(child);
      if (child.tagName !== stopAt) walk(child);
    }
  };
  walk(root);
  return found;
}

function containsAnotherTable(figure: Element, table: Element): boolean {
  return descendants(figure, 'table').some((other) => other !== table && !descendants(table, 'table').includes(other));
}

/** Puts `replacement` where `node` is, in its parent among `ancestors`. */
function replaceIn(ancestors: (Root | Element)[], node: Element, replacement: ElementContent[]): void {
  const parent = ancestors[ancestors.indexOf(node) - 1] ?? ancestors[ancestors.length - 1];
  const siblings = parent.children as RootContent[];
  siblings.splice(siblings.indexOf(node), 1, ...replacement);
}
