/**
 * A release note as a plain-text mail body (`almanac announce`): Markdown parsed by remark into
 * mdast, then each node written as mail people read it — paragraphs wrapped at 72 columns,
 * lists as `  * `, code indented by 4, headings underlined, links as numbered references
 * listed at the end, and no control characters or terminal escapes anywhere.
 */
import type { Nodes, Parents, PhrasingContent, Root, RootContent, Table } from 'mdast';
import stripAnsi from 'strip-ansi';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { htmlToText } from '../convert/bodyText.ts';
import { markdownToMdast } from '../convert/markdown.ts';
import { cveUrl } from './findCves.ts';
import { requiresReboot } from './requiresReboot.ts';

/** Keeps a reference on the line of the word before it while wrapping; a plain space in the output. */
const GLUE = '\u00A0';

/** RFC 3676 / netiquette: 72 leaves room for `> ` quoting in replies within 78. */
export const MAIL_WIDTH = 72;

export interface ReleaseFacts {
  title: string;
  product?: string;
  versions: string[];
  security: string[];
  requiresReboot: boolean;
  /** The release note on the site, when known (absolute URL). */
  url?: string;
}

export interface Announcement {
  subject: string;
  /** The whole text: `Subject: …`, a blank line, the body and the references. */
  text: string;
  /** Lines that could not be kept within 72 columns (code, over-long URLs), 1-based in `text`. */
  overlong: { line: number; reason: string }[];
}

export function announce(facts: ReleaseFacts, markdown: string): Announcement {
  const writer = new MailWriter();
  const subject = clean(facts.title.trim() || [facts.product, facts.versions.join(', ')].filter(Boolean).join(' '));
  const lines: string[] = [...foldHeader(`Subject: ${subject}`), ''];

  const factLines: string[] = [];
  if (facts.versions.length > 0)
    factLines.push(`${facts.versions.length === 1 ? 'Version' : 'Versions'}: ${facts.versions.join(', ')}`);
  if (facts.security.length > 0)
    factLines.push(`Security fixes: ${facts.security.map((id) => `${id} ${writer.reference(cveUrl(id))}`).join(', ')}`);
  const tree = markdownToMdast(markdown);
  writer.define(tree);
  if (facts.requiresReboot && !requiresReboot(plainText(tree))) factLines.push('This update requires a reboot.');
  for (const fact of factLines) lines.push(...wrap(fact, MAIL_WIDTH, '', '    '));
  if (factLines.length > 0) lines.push('');

  lines.push(...writer.blocks(tree.children, MAIL_WIDTH));
  if (facts.url)
    lines.push('', ...wrap(`The release notes on the web: ${writer.reference(facts.url)}`, MAIL_WIDTH, '', ''));
  while (lines.at(-1) === '') lines.pop();

  if (writer.urls.length > 0) {
    lines.push('');
    const labelWidth = `[${writer.urls.length}] `.length;
    writer.urls.forEach((url, index) => {
      const label = `[${index + 1}]`.padEnd(labelWidth);
      // A URL is never broken: one that does not fit beside its number gets a line of its own.
      if (labelWidth + url.length <= MAIL_WIDTH) lines.push(`${label}${url}`);
      else lines.push(label.trimEnd(), url);
    });
  }
  const overlong = lines.flatMap((line, index) =>
    stringWidth(line) > MAIL_WIDTH
      ? [
          {
            line: index + 1,
            reason: /^\s*[a-z][a-z0-9+.-]*:\S+$/i.test(line)
              ? 'a URL longer than the line (kept whole)'
              : 'a code line (kept as written)',
          },
        ]
      : [],
  );
  return { subject, text: `${lines.join('\n')}\n`, overlong };
}

/** Writes mdast blocks as lines of mail text, collecting link targets as numbered references. */
class MailWriter {
  readonly urls: string[] = [];
  /** `[text][label]` links resolve through the document's `[label]: url` definitions. */
  private readonly definitions = new Map<string, string>();

  define(tree: Root): void {
    const walk = (node: Nodes) => {
      if (node.type === 'definition') this.definitions.set(node.identifier.toLowerCase(), node.url);
      if ('children' in node) for (const child of node.children) walk(child as Nodes);
    };
    walk(tree);
  }

  reference(url: string): string {
    const safe = clean(url).replace(/\s+/g, '');
    let index = this.urls.indexOf(safe);
    if (index === -1) index = this.urls.push(safe) - 1;
    return `[${index + 1}]`;
  }

  /** Blocks separated by a blank line; a tight list item's blocks (`tight`) follow each other directly. */
  blocks(nodes: readonly RootContent[], width: number, tight = false): string[] {
    const out: string[] = [];
    for (const node of nodes) {
      const lines = this.block(node, width);
      if (lines.length === 0) continue;
      if (out.length > 0 && !tight) out.push('');
      out.push(...lines);
    }
    return out;
  }

  block(node: RootContent, width: number): string[] {
    switch (node.type) {
      case 'paragraph':
        return this.paragraph(node.children, width);
      case 'heading': {
        const text = this.inline(node.children).replace(/\s+/g, ' ').trim();
        const lines = wrap(text, width, '', '');
        const underline = node.depth === 1 ? '=' : '-';
        return [...lines, underline.repeat(Math.min(width, Math.max(...lines.map((line) => stringWidth(line)))))];
      }
      case 'code':
        return clean(node.value)
          .split('\n')
          .map((line) => (line === '' ? '' : `    ${line}`));
      case 'list':
        return this.list(node.children, node.ordered ?? false, node.start ?? 1, width, !node.spread);
      case 'blockquote':
        return prefix(this.blocks(node.children, width - 2), '> ', '> ');
      case 'table':
        return this.table(node, width);
      case 'html': {
        const text = clean(htmlToText(node.value)).trim();
        return text ? wrap(text, width, '', '') : [];
      }
      case 'thematicBreak':
        return [];
      case 'definition':
        return [];
      case 'footnoteDefinition':
        return prefix(this.blocks(node.children, width - 6), `(${clean(node.identifier)}) `.padEnd(6), '      ');
      default:
        return 'children' in node ? this.blocks((node as Parents).children as RootContent[], width) : [];
    }
  }

  paragraph(children: readonly PhrasingContent[], width: number): string[] {
    // Hard breaks (two spaces, backslash) keep their line; everything else is re-flowed.
    return this.inline(children)
      .split('\n')
      .flatMap((line) => wrap(line.replace(/[ \t]+/g, ' ').trim(), width, '', ''));
  }

  list(items: readonly RootContent[], ordered: boolean, start: number, width: number, tight: boolean): string[] {
    const out: string[] = [];
    items.forEach((item, index) => {
      if (!tight && index > 0) out.push('');
      const marker = ordered ? `  ${start + index}. ` : '  * ';
      const hang = ' '.repeat(marker.length);
      const children = item.type === 'listItem' ? item.children : [item];
      const checked =
        item.type === 'listItem' && typeof item.checked === 'boolean' ? (item.checked ? '(done) ' : '(to do) ') : '';
      const body = this.blocks(children, width - marker.length, tight && !(item.type === 'listItem' && item.spread));
      if (checked && body.length > 0) body[0] = checked + body[0];
      out.push(...prefix(body.length > 0 ? body : [''], marker, hang));
    });
    return out;
  }

  table(node: Table, width: number): string[] {
    const rows = node.children.map((row) =>
      row.children.map((cell) => this.inline(cell.children).replace(/\s+/g, ' ').trim()),
    );
    const columns = Math.max(...rows.map((row) => row.length));
    const widths = Array.from({ length: columns }, (_, column) =>
      Math.max(...rows.map((row) => stringWidth(row[column] ?? ''))),
    );
    const total = widths.reduce((sum, value) => sum + value, 0) + 2 * (columns - 1);
    if (total <= width) {
      const pad = (text: string, size: number) => text + ' '.repeat(size - stringWidth(text));
      const lines = rows.map((row) =>
        widths
          .map((size, column) => pad(row[column] ?? '', size))
          .join('  ')
          .trimEnd(),
      );
      lines.splice(1, 0, widths.map((size) => '-'.repeat(size)).join('  '));
      return lines;
    }
    // Too wide for mail: each row becomes an item naming its cells by the header.
    const [header, ...body] = rows;
    return body.flatMap((row) =>
      prefix(
        wrap(
          row.map((cell, column) => (header[column] ? `${header[column]}: ${cell}` : cell)).join('; '),
          width - 4,
          '',
          '',
        ),
        '  * ',
        '    ',
      ),
    );
  }

  inline(nodes: readonly PhrasingContent[]): string {
    return nodes.map((node) => this.phrase(node)).join('');
  }

  phrase(node: PhrasingContent): string {
    switch (node.type) {
      case 'text':
        return clean(node.value).replace(/\n/g, ' ');
      case 'inlineCode':
        return clean(node.value);
      case 'break':
        return '\n';
      case 'link': {
        const text = this.inline(node.children).trim();
        const ref = this.reference(node.url);
        // An autolink's text is its URL: the reference alone says it.
        return text === '' || text === node.url || `mailto:${text}` === node.url ? ref : `${text}${GLUE}${ref}`;
      }
      case 'image':
        return `[image${node.alt ? `: ${clean(node.alt)}` : ''}] ${this.reference(node.url)}`;
      case 'linkReference': {
        const url = this.definitions.get(node.identifier.toLowerCase());
        const text = this.inline(node.children).trim();
        return url ? `${text}${GLUE}${this.reference(url)}` : text;
      }
      case 'imageReference': {
        const url = this.definitions.get(node.identifier.toLowerCase());
        return `[image${node.alt ? `: ${clean(node.alt)}` : ''}]${url ? ` ${this.reference(url)}` : ''}`;
      }
      case 'footnoteReference':
        return `(${clean(node.identifier)})`;
      case 'html':
        return clean(htmlToText(node.value));
      default:
        return 'children' in node ? this.inline((node as { children: PhrasingContent[] }).children) : '';
    }
  }
}

function plainText(tree: Root): string {
  const parts: string[] = [];
  const walk = (node: Nodes) => {
    if ('value' in node && typeof node.value === 'string') parts.push(node.value);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
    if (node.type === 'paragraph' || node.type === 'heading') parts.push('\n');
  };
  walk(tree);
  return parts.join(' ');
}

/** Words re-flowed to the width (wrap-ansi measures with string-width, so CJK and emoji count right). */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  if (text === '') return [];
  // hard: words longer than the line (CJK text has no spaces) are broken; URLs never reach here, they are references.
  const lines = wrapAnsi(text, Math.max(20, width - first.length), { hard: true, trim: true, wordWrap: true }).split(
    '\n',
  );
  return lines.map((line, index) => (index === 0 ? first : rest) + line.replaceAll(GLUE, ' '));
}

function prefix(lines: string[], first: string, rest: string): string[] {
  return lines.map((line, index) => {
    const lead = index === 0 ? first : rest;
    return line === '' && lead.trim() === '' ? '' : (lead + line).trimEnd();
  });
}

/** A mail header folded at spaces (RFC 5322 §2.2.3): continuation lines start with a space. */
function foldHeader(header: string): string[] {
  const [first, ...rest] = wrapAnsi(header, MAIL_WIDTH - 1, { hard: false, trim: true, wordWrap: true }).split('\n');
  return [first, ...rest.map((line) => ` ${line}`)];
}

/** No escape sequences or control characters reach the mail: they would run in the reader's terminal. */
function clean(text: string): string {
  return stripAnsi(text)
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '');
}
