import type { Link, Parent, Root, RootContent, Text } from 'mdast';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { safeUrl } from './normalizeUrl.ts';

/**
 * GFM autolink literals (bare `http(s)://…`, `www.…`, emails, `mailto:`/`xmpp:`), found by
 * mdast-util-gfm-autolink-literal's own transform — the rules remark-gfm applies when it parses
 * Markdown: trailing `. , : ! ? " ' ; ) ] }` left out, parentheses balanced, `<…>` and quotes as
 * delimiters, text inside links and code untouched. Used by the import pipeline and by the
 * terminal, so a URL is the same URL everywhere. Two rules added to GFM's: a URL in angle
 * brackets is one URL whatever touches the `<` (RFC 3986 appendix C), and an autolink never
 * changes a scheme: a `www.` inside `ftp://www.…` or `Facebookhttps://www.…` is no http link.
 */

const [gfmAutolinkLiterals] = gfmAutolinkLiteralFromMarkdown().transforms!;

/**
 * Runs of more than this many characters without whitespace are left as text. Measured: the
 * transform restarts one character after every rejected candidate (`éhttp://a.b` repeated, no
 * spaces), so one 1 MB run took 25 s; capped, the same megabyte takes milliseconds. No URL that
 * long is linkable anyway: a terminal hyperlink may hold 2,083 bytes.
 */
export const LONGEST_RUN = 4096;

/** The characters GFM's matcher never lets a URL or an email cross. */
const RUN = /[^\t\n\r ]+/g;

/**
 * `<URL>` or `<URL:URL>` (RFC 3986 appendix C): the brackets delimit one URL, whatever character
 * comes before the `<`; white space holding a line break inside is wrapping, not part of it.
 */
const BRACKETED_URL = /<(?:URL:[ \t]*)?([a-z][a-z\d+.-]*:[^\s<>]+(?:[ \t]*\n\s*[^\s<>]+)*)>/gi;

/** Text GFM's matcher must not see. */
interface HiddenRun {
  type: 'almanacHiddenRun';
  value: string;
}

/** A `<URL>` as written (`value`), the URL in it from `start` to `end`, white space taken out (`url`). */
interface BracketedUrl {
  type: 'almanacBracketedUrl';
  value: string;
  start: number;
  end: number;
  url: string;
}

type Piece = Text | HiddenRun | BracketedUrl;

/** Turns autolink literals in the tree's text nodes into `link` nodes (URL as GFM writes it). */
export function linkAutolinkLiterals(tree: Root | Parent): void {
  const split = splitForMatcher(tree);
  gfmAutolinkLiterals(tree as Root);
  if (split) mergeText(tree);
  unlinkInsideSchemes(tree);
}

/**
 * Two GFM rules the regex-based transform lacks, given to it by splitting text nodes: `<` ends
 * a URL (micromark's rule: it opens a tag or an autolink), and over-long runs are not scanned.
 * Splitting there changes nothing else: no match crosses whitespace or `<`, and the look-behind
 * sees the start of a node as it sees whitespace or `<`.
 */
function splitForMatcher(tree: Root | Parent): boolean {
  let split = false;
  visit(tree, 'text', (node: Text, index, parent) => {
    if (!parent || index === undefined) return;
    const parts = splitText(node.value);
    if (parts.length === 1 && parts[0].type === 'text') return;
    parent.children.splice(index, 1, ...(parts as unknown as Text[]));
    split = true;
    return index + parts.length;
  });
  return split;
}

function splitText(value: string): Piece[] {
  if (value.length <= LONGEST_RUN && !value.includes('<')) return [{ type: 'text', value }];
  const parts: Piece[] = [];
  let start = 0;
  for (const match of value.matchAll(BRACKETED_URL)) {
    parts.push(...splitUnbracketed(value.slice(start, match.index)));
    const url = match[1].replace(/\s+/g, '');
    const offset = match[0].length - 1 - match[1].length;
    // A scheme no reader may follow (`<javascript:…>`, `<xsl:template>`) stays text, and nothing inside it becomes a link either.
    if (url.length > LONGEST_RUN || safeUrl(url) === undefined)
      parts.push({ type: 'almanacHiddenRun', value: match[0] });
    else
      parts.push({ type: 'almanacBracketedUrl', value: match[0], start: offset, end: offset + match[1].length, url });
    start = match.index + match[0].length;
  }
  parts.push(...splitUnbracketed(value.slice(start)));
  return parts;
}

function splitUnbracketed(value: string): Piece[] {
  const parts: Piece[] = [];
  for (const piece of value.split(/(?=<)/)) {
    let start = 0;
    if (piece.length > LONGEST_RUN) {
      for (const run of piece.matchAll(RUN)) {
        if (run[0].length <= LONGEST_RUN) continue;
        if (run.index > start) parts.push({ type: 'text', value: piece.slice(start, run.index) });
        parts.push({ type: 'almanacHiddenRun', value: run[0] });
        start = run.index + run[0].length;
      }
    }
    if (start < piece.length) parts.push({ type: 'text', value: piece.slice(start) });
  }
  return parts;
}

/** Hidden runs back to text, bracketed URLs to links (a space between one and a word it touched), and neighbouring text nodes joined again. */
function mergeText(tree: Root | Parent): void {
  visit(tree, (node) => {
    if (!('children' in node)) return;
    const children = node.children as unknown as (Piece | Link)[];
    const merged: (Piece | Link)[] = [];
    const pushText = (value: string) => {
      const previous = merged[merged.length - 1];
      if (previous?.type === 'text') previous.value += value;
      else merged.push({ type: 'text', value });
    };
    children.forEach((child, index) => {
      if (child.type === 'almanacBracketedUrl') {
        if (WORD_END.test(merged.length > 0 ? toString(merged[merged.length - 1]) : '')) pushText(' ');
        merged.push({ type: 'link', url: child.url, title: null, children: [{ type: 'text', value: child.url }] });
        if (WORD_START.test(index + 1 < children.length ? toString(children[index + 1]) : '')) pushText(' ');
      } else if (child.type === 'almanacHiddenRun' || child.type === 'text') {
        pushText(child.value);
      } else {
        merged.push(child);
      }
    });
    node.children = merged as never;
  });
}

const WORD_END = /[\p{L}\p{N}]$/u;
const WORD_START = /^[\p{L}\p{N}]/u;

/** Whether this link is a `www.` literal GFM found inside a run that has a scheme of its own (`ftp://www.…`, `Facebookhttps://www.…`). */
function insideScheme(children: readonly RootContent[], index: number): boolean {
  const link = children[index];
  if (link.type !== 'link' || !/^www\./i.test(toString(link))) return false;
  const before = children[index - 1];
  return before?.type === 'text' && /[a-z\d+.-]:\/\/[^\s<>]*$/i.test(before.value);
}

/** Such links back to text: the URL keeps its own scheme, unlinked, rather than gaining http://. */
function unlinkInsideSchemes(tree: Root | Parent): void {
  visit(tree, (node) => {
    if (!('children' in node) || !node.children.some((_, index) => insideScheme(node.children as RootContent[], index)))
      return;
    const merged: RootContent[] = [];
    (node.children as RootContent[]).forEach((child, index) => {
      const value =
        child.type === 'text'
          ? child.value
          : insideScheme(node.children as RootContent[], index)
            ? toString(child)
            : undefined;
      const previous = merged[merged.length - 1];
      if (value !== undefined && previous?.type === 'text') previous.value += value;
      else merged.push(value === undefined ? child : { type: 'text', value });
    });
    node.children = merged as never;
  });
}

export interface FoundUrl {
  /** UTF-16 offsets of the link text in the input. */
  start: number;
  end: number;
  /** The URL as GFM makes it: `http://` added to `www.`, `mailto:` to emails. */
  url: string;
}

/** A cheap pre-check: no line without one of these can hold an autolink literal. */
const MAYBE_URL = /https?:\/\/|www\.|@|<[a-z]/i;

/** The autolink literals in one piece of plain text, in order. */
export function findUrls(text: string): FoundUrl[] {
  return findUrlsInTexts([text])[0];
}

/** The same for many texts at once: one pass of the transform over all, no merging after (measured on 16 MB of mail text: 10 % less CPU than a call per line). */
export function findUrlsInTexts(texts: readonly string[]): FoundUrl[][] {
  const found: FoundUrl[][] = texts.map(() => []);
  const paragraphs: Parent[] = [];
  const owners: number[] = [];
  texts.forEach((text, index) => {
    if (!MAYBE_URL.test(text)) return;
    paragraphs.push({ type: 'paragraph', children: splitText(text) } as unknown as Parent);
    owners.push(index);
  });
  if (paragraphs.length === 0) return found;
  // Split as linkAutolinkLiterals does, but no merging after: only lengths are needed (a hidden run has a value too).
  gfmAutolinkLiterals({ type: 'root', children: paragraphs } as Root);
  paragraphs.forEach((paragraph, index) => {
    let offset = 0;
    paragraph.children.forEach((child, at) => {
      const length = toString(child).length;
      const piece = child as unknown as Piece;
      if (piece.type === 'almanacBracketedUrl')
        found[owners[index]].push({ start: offset + piece.start, end: offset + piece.end, url: piece.url });
      else if (child.type === 'link' && !insideScheme(paragraph.children as RootContent[], at))
        found[owners[index]].push({ start: offset, end: offset + length, url: child.url });
      offset += length;
    });
  });
  return found;
}
