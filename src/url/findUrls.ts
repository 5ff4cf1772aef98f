import type { Link, Parent, Root, Text } from 'mdast';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';

/**
 * GFM autolink literals (bare `http(s)://…`, `www.…`, emails, `mailto:`/`xmpp:`), found by
 * mdast-util-gfm-autolink-literal's own transform — the rules remark-gfm applies when it parses
 * Markdown: trailing `. , : ! ? " ' ; ) ] }` left out, parentheses balanced, `<…>` and quotes as
 * delimiters, text inside links and code untouched. Used by the import pipeline and by the
 * terminal, so a URL is the same URL everywhere.
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

interface HiddenRun {
  type: 'almanacHiddenRun';
  value: string;
}

/** Turns autolink literals in the tree's text nodes into `link` nodes (URL as GFM writes it). */
export function linkAutolinkLiterals(tree: Root | Parent): void {
  const split = splitForMatcher(tree);
  gfmAutolinkLiterals(tree as Root);
  if (split) mergeText(tree);
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
    parent.children.splice(index, 1, ...(parts as Text[]));
    split = true;
    return index + parts.length;
  });
  return split;
}

function splitText(value: string): (Text | HiddenRun)[] {
  if (value.length <= LONGEST_RUN && !value.includes('<')) return [{ type: 'text', value }];
  const parts: (Text | HiddenRun)[] = [];
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

/** Hidden runs back to text, and neighbouring text nodes joined again. */
function mergeText(tree: Root | Parent): void {
  visit(tree, (node) => {
    if (!('children' in node)) return;
    const merged: (Text | HiddenRun)[] = [];
    for (const child of node.children as (Text | HiddenRun)[]) {
      const value = child.type === 'almanacHiddenRun' || child.type === 'text' ? child.value : undefined;
      const previous = merged[merged.length - 1];
      if (value !== undefined && previous?.type === 'text') (previous as Text).value += value;
      else merged.push(value === undefined ? child : ({ type: 'text', value } as Text));
    }
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
const MAYBE_URL = /https?:\/\/|www\.|@/i;

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
    paragraphs.push({ type: 'paragraph', children: splitText(text) } as Parent);
    owners.push(index);
  });
  if (paragraphs.length === 0) return found;
  // Split as linkAutolinkLiterals does, but no merging after: only lengths are needed (a hidden run has a value too).
  gfmAutolinkLiterals({ type: 'root', children: paragraphs } as Root);
  paragraphs.forEach((paragraph, index) => {
    let offset = 0;
    for (const child of paragraph.children) {
      const length = toString(child).length;
      if (child.type === 'link') found[owners[index]].push({ start: offset, end: offset + length, url: (child as Link).url });
      offset += length;
    }
  });
  return found;
}
