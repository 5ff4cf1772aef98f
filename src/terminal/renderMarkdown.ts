import ansiStyles from 'ansi-styles';
import type { Element, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Definition, List, PhrasingContent, RootContent, Table } from 'mdast';
import { normalizeIdentifier } from 'micromark-util-normalize-identifier';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { visit } from 'unist-util-visit';
import wrapAnsi from 'wrap-ansi';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { HTML_TABLE } from '../convert/blockTableToHtml.ts';
import { htmlToMdast } from '../convert/htmlToMdast.ts';
import { markdownToMdast } from '../convert/markdown.ts';
import { parseDocument } from '../content/frontmatter.ts';
import { hyperlink, stripControls, terminalUri } from './hyperlink.ts';

/**
 * A Markdown document (frontmatter and all) as text for a terminal. Hand-written over our own
 * mdast because no terminal renderer takes a unified tree, and links, wrapping and sanitizing
 * must follow the rules of the rest of Almanac.
 */
export interface TerminalOptions {
  /** Columns to wrap to. */
  width: number;
  /** OSC 8 hyperlinks; otherwise links are written `text <URL>`. */
  hyperlinks: boolean;
  /** SGR styles (bold, italics, dim); off for NO_COLOR. */
  color: boolean;
  /** Where relative links (`/tribblix/2020/05/…/`) point: the published site's address. */
  base?: string;
}

type Style = 'bold' | 'italic' | 'underline' | 'dim' | 'strikethrough' | 'cyan';

interface Context extends TerminalOptions {
  definitions: Map<string, Definition>;
  /** Shared by every nested context, so that no two links get the same id. */
  links: { count: number };
}

export function renderDocumentForTerminal(text: string, options: TerminalOptions): string {
  const { data, body } = parseDocument(text);
  const tree = markdownToMdast(body);
  const context: Context = {
    ...options,
    width: Math.max(20, options.width),
    definitions: new Map(),
    links: { count: 0 },
  };
  visit(tree, 'definition', (definition: Definition) => {
    context.definitions.set(normalizeIdentifier(definition.identifier), definition);
  });
  const sections = [header(data, context), blocks(tree.children, context)];
  const comments = Array.isArray(data.comments) ? (data.comments as Record<string, unknown>[]) : [];
  if (comments.length > 0)
    sections.push(
      [style(context, 'bold', `Comments (${comments.length})`)],
      ...comments.map((comment) => renderComment(comment, context)),
    );
  return `${finishLinks(
    sections
      .filter((lines) => lines.length > 0)
      .map((lines) => lines.join('\n'))
      .join('\n\n'),
  )}\n`;
}

function header(data: Record<string, unknown>, context: Context): string[] {
  const lines: string[] = [];
  const title = typeof data.title === 'string' ? stripControls(data.title).trim() : '';
  if (title) lines.push(...wrap(style(context, ['bold', 'underline'], title), context.width));
  const facts = [
    typeof data.date === 'string' ? data.date.slice(0, 10) : undefined,
    typeof data.author === 'string' ? data.author : undefined,
    typeof data.source === 'string' ? data.source : undefined,
    Array.isArray(data.tags) && data.tags.length > 0 ? data.tags.map((tag) => `#${tag}`).join(' ') : undefined,
  ].filter((fact): fact is string => Boolean(fact));
  if (facts.length > 0) lines.push(...wrap(style(context, 'dim', stripControls(facts.join(' · '))), context.width));
  if (typeof data.original_url === 'string')
    lines.push(
      ...wrap(
        style(context, 'dim', `Originally at ${link(context, data.original_url, stripControls(data.original_url))}`),
        context.width,
      ),
    );
  return lines;
}

function renderComment(comment: Record<string, unknown>, context: Context): string[] {
  const who = [comment.author, typeof comment.date === 'string' ? comment.date.slice(0, 10) : undefined]
    .filter((part) => typeof part === 'string' && part)
    .join(' · ');
  const body =
    typeof comment.body === 'string'
      ? blocks(markdownToMdast(comment.body).children, { ...context, width: context.width - 2 })
      : [];
  return [style(context, 'dim', stripControls(who)), ...body.map((line) => (line ? `  ${line}` : line))];
}

/** Blocks separated by one blank line (none inside the items of a tight list). */
function blocks(nodes: RootContent[], context: Context, tight = false): string[] {
  const rendered = nodes.map((node) => block(node, context)).filter((lines) => lines.length > 0);
  return rendered.flatMap((lines, index) => (index === 0 || tight ? lines : ['', ...lines]));
}

function block(node: RootContent, context: Context): string[] {
  switch (node.type) {
    case 'paragraph': {
      // A paragraph of nothing but anchors shows nothing.
      const text = inline(node.children, context);
      return text === '' ? [] : wrap(text, context.width);
    }
    case 'heading': {
      const text = inline(node.children, context);
      return wrap(
        context.color
          ? style(context, node.depth <= 2 ? ['bold', 'underline'] : 'bold', text)
          : `${'#'.repeat(node.depth)} ${text}`,
        context.width,
      );
    }
    case 'blockquote':
      return prefixed(blocks(node.children, { ...context, width: context.width - 2 }), style(context, 'dim', '│ '));
    case 'list':
      return list(node, context);
    case 'html':
      if (HTML_TABLE.test(node.value.trim())) return htmlTable(node.value.trim(), context);
      if (ANCHOR.test(node.value)) return [];
      return verbatim(node.value, context);
    case 'code':
      return verbatim(node.value, context);
    case 'thematicBreak':
      return [style(context, 'dim', '─'.repeat(Math.min(context.width, 40)))];
    case 'table':
      return table(node, context);
    case 'footnoteDefinition':
      return prefixed(
        blocks(node.children, { ...context, width: context.width - 4 }),
        `[^${stripControls(node.label ?? node.identifier)}]: `,
        '    ',
      );
    case 'definition':
      return [];
    default:
      return 'children' in node ? blocks(node.children as RootContent[], context) : [];
  }
}

function list(node: List, context: Context): string[] {
  const start = node.start ?? 1;
  const widest = node.ordered ? `${start + node.children.length - 1}. `.length : 2;
  return node.children.flatMap((item, index) => {
    const marker = node.ordered ? `${start + index}. `.padStart(widest) : '• ';
    const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
    const lines = blocks(
      item.children,
      { ...context, width: context.width - widest - check.length },
      !(node.spread || item.spread),
    );
    const spacing = node.spread && index > 0 ? [''] : [];
    return [...spacing, ...prefixed(lines, `${marker}${check}`, ' '.repeat(widest + check.length))];
  });
}

function table(node: Table, context: Context): string[] {
  const rows = node.children.map((row) => row.children.map((cell) => inline(cell.children, context)));
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => stringWidth(row[column] ?? '')))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell + ' '.repeat(widths[column] - stringWidth(cell)))
      .join(' │ ')
      .trimEnd();
  return [line(rows[0] ?? []), widths.map((width) => '─'.repeat(width)).join('─┼─'), ...rows.slice(1).map(line)];
}

/** The importer's `<a id>` for old `#anchor` links (inline, Markdown reads `<a id="…">` and `</a>` apart): a place to jump to on a page, nothing to read here. */
const ANCHOR = /^(?:<a id="[^"<>]*">(?:<\/a>)?|<\/a>)$/;
const htmlParser = unified().use(rehypeParse, { fragment: true }).freeze();

/**
 * Its cells hold blocks (code, lists), which no grid of one-line cells can show: row after row,
 * each cell under its column's heading, its blocks rendered like the rest of the document.
 */
function htmlTable(html: string, context: Context): string[] {
  const table = htmlParser
    .parse(html)
    .children.find((child): child is Element => child.type === 'element' && child.tagName === 'table');
  if (!table) return [];
  const rows = elements(table, 'tr').map((row) =>
    row.children.filter(
      (cell): cell is Element => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th'),
    ),
  );
  const headings = rows[0]?.every((cell) => cell.tagName === 'th')
    ? rows.shift()!.map((cell) =>
        inline(
          htmlToMdast(toHtml(cell.children)).children.flatMap((child) =>
            'children' in child ? (child.children as PhrasingContent[]) : [],
          ),
          context,
        ),
      )
    : [];
  const inner = { ...context, width: context.width - 2 };
  const rendered = rows.map((cells) =>
    cells.flatMap((cell, column) => {
      const content = blocks(
        htmlToMdast(toHtml({ type: 'root', children: cell.children } as HastRoot)).children,
        inner,
      );
      const heading = headings[column] ? [style(context, 'bold', headings[column])] : column > 0 ? [''] : [];
      return [...heading, ...prefixed(content, '  ')];
    }),
  );
  const rule = style(context, 'dim', '─'.repeat(Math.min(context.width, 40)));
  return [rule, ...rendered.flatMap((lines) => [...lines, rule])];
}

/** The rows of this table, not of tables nested in its cells. */
function elements(table: Element, tagName: string): Element[] {
  const found: Element[] = [];
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === tagName) found.push(child);
      else if (child.tagName !== 'table') walk(child);
    }
  };
  walk(table);
  return found;
}

function inline(nodes: PhrasingContent[], context: Context): string {
  return nodes.map((node) => phrasing(node, context)).join('');
}

function phrasing(node: PhrasingContent, context: Context): string {
  switch (node.type) {
    case 'text':
      // Soft line breaks are spaces: the paragraph is wrapped again to this terminal.
      return stripControls(node.value.replace(/[ \t]*\n[ \t]*/g, ' '));
    case 'emphasis':
      return style(context, 'italic', inline(node.children, context));
    case 'strong':
      return style(context, 'bold', inline(node.children, context));
    case 'delete':
      return style(context, 'strikethrough', inline(node.children, context));
    case 'inlineCode':
      return context.color ? style(context, 'cyan', stripControls(node.value)) : `\`${stripControls(node.value)}\``;
    case 'break':
      return '\n';
    case 'link':
      return link(context, node.url, inline(node.children, context));
    case 'linkReference': {
      const definition = context.definitions.get(normalizeIdentifier(node.identifier));
      const text = inline(node.children, context);
      return definition ? link(context, definition.url, text) : `[${text}]`;
    }
    case 'image':
      return link(context, node.url, `[image${node.alt ? `: ${stripControls(node.alt)}` : ''}]`);
    case 'imageReference': {
      const definition = context.definitions.get(normalizeIdentifier(node.identifier));
      const text = `[image${node.alt ? `: ${stripControls(node.alt)}` : ''}]`;
      return definition ? link(context, definition.url, text) : text;
    }
    case 'footnoteReference':
      return `[^${stripControls(node.label ?? node.identifier)}]`;
    case 'html':
      return ANCHOR.test(node.value) ? '' : stripControls(node.value);
    default:
      return 'children' in node ? inline((node as { children: PhrasingContent[] }).children, context) : '';
  }
}

/**
 * A hyperlink where the terminal takes them, else `text <URL>` (the URL alone when it is the
 * text). Every hyperlink gets an id for now; finishLinks keeps it only on links wrapped over
 * lines, where it tells the terminal the pieces are one link.
 */
function link(context: Context, url: string, text: string): string {
  const uri = terminalUri(url, context.base);
  const shown = stripControls(url);
  const visible = stripAnsi(text);
  if (context.hyperlinks && uri !== undefined)
    return style(context, 'underline', hyperlink(uri, text, `almanac-${++context.links.count}`));
  // The text is the URL (an autolink, `www.…`): once is enough.
  if (
    visible === shown ||
    (uri !== undefined &&
      [visible, `http://${visible}`, `mailto:${visible}`].some((candidate) => terminalUri(candidate) === uri))
  )
    return style(context, 'underline', text);
  return visible ? `${text} <${uri ?? shown}>` : `<${uri ?? shown}>`;
}

function style(context: Context, names: Style | Style[], text: string): string {
  if (!context.color || text === '') return text;
  return [names].flat().reduceRight((inner, name) => `${ansiStyles[name].open}${inner}${ansiStyles[name].close}`, text);
}

/** wrap-ansi keeps escape sequences whole and, at a row break, closes and reopens styles and hyperlinks. */
function wrap(text: string, width: number): string[] {
  return wrapAnsi(text, width, { hard: false, trim: true }).split('\n');
}

function prefixed(lines: string[], first: string, rest = first): string[] {
  return lines.map((line, index) => {
    const prefix = index === 0 ? first : rest;
    return line === '' ? prefix.trimEnd() : `${prefix}${line}`;
  });
}

/**
 * wrap-ansi reopens a link with BEL; written with ST like ours, so every hyperlink reads the
 * same. Then `id=` is dropped from links that were not wrapped (one opening only).
 */
function finishLinks(output: string): string {
  const uniform = output.replace(/\u001B\]8;([^;\u0007\u001B]*);([^\u0007\u001B]*)\u0007/g, '\u001B]8;$1;$2\u001B\\');
  const openings = new Map<string, number>();
  for (const [, id] of uniform.matchAll(/\u001B\]8;id=(almanac-\d+);/g)) openings.set(id, (openings.get(id) ?? 0) + 1);
  return uniform.replace(/\u001B\]8;id=(almanac-\d+);/g, (sequence, id: string) =>
    openings.get(id)! > 1 ? sequence : '\u001B]8;;',
  );
}

/** Verbatim: no wrapping, only what could drive the terminal taken out; indented as Markdown would. */
function verbatim(value: string, context: Context): string[] {
  return value.split('\n').map((line) => style(context, 'cyan', `    ${stripControls(line.replace(/\t/g, '    '))}`));
}
