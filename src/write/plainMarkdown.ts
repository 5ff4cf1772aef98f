import type { Blockquote, Code, Nodes, Paragraph, Root, RootContent } from 'mdast';
import { LONGEST_RUN } from '../url/findUrls.ts';

/**
 * A body tree as Markdown, its plain blocks (paragraphs of text and line breaks, blockquotes, code,
 * rules: what mailBody.ts makes of most list mail) written directly, each run of other blocks by
 * `general` (the document pipeline, then mdast-util-to-markdown), the same bytes as `general` on
 * the whole tree up to trailing white space (renderDocument trims it).
 * Profiled on 20,000 messages: escaping (mdast-util-to-markdown's `safe`, a dozen regexes per text
 * node) and the autolink transforms over text that holds no URL were ~60 % of a render. Here a
 * text is taken only when no character of it could be escaped and no transform could link it
 * (test/write-plain-markdown.test.ts compares both paths on random trees and bodies).
 */

/** Characters mdast-util-to-markdown (with GFM) may escape in a paragraph wherever they are; controls but the line feed. */
const ESCAPABLE = /[\x00-\x09\x0b-\x1f\x7f*_`[\]\\<&~@]/;
/**
 * A line that does not start as prose (it could read as a list, heading, quote, setext underline or
 * table, or start with a space to encode), but for a line of dashes (`--` signs many mails: its first
 * dash is escaped); or a GFM autolink literal's escape (`www\.`, `http\://`); or white space before a line end.
 */
const NOT_PLAIN_LINE = /^(?![\p{L}"'(]|\d+(?!\d|\)|\.(?:[ \t]|$))|-{2,}$)|[Ww]\.[-.\w]|[ps]:\/|[ \t]$/mu;

/** Block types whose Markdown does not depend on the blocks around them at the top level, but for a list after a list (a run keeps those together). */
const FLOW = new Set([
  'paragraph',
  'blockquote',
  'code',
  'thematicBreak',
  'list',
  'heading',
  'table',
  'html',
  'definition',
]);

/**
 * @param isInert whether the document pipeline leaves a text with this value as it is (no URL, no reference to link).
 * @param general the general path, for a tree of the blocks that are not plain; it may change the tree.
 */
export function treeToMarkdown(
  tree: Root,
  isInert: (text: string) => boolean,
  general: (tree: Root) => string,
): string {
  if (!tree.children.every((child) => FLOW.has(child.type)) || joinsTexts(tree)) return general(tree);
  const parts: string[] = [];
  let run: RootContent[] = [];
  // Blocks at the top level are joined by a blank line (mdast-util-to-markdown's join rules differ only inside lists).
  const endRun = (): boolean => {
    if (run.length === 0) return true;
    let markdown: string;
    try {
      // A copy: when its Markdown cannot be joined, the whole tree takes the general path, untouched.
      markdown = general({ type: 'root', children: structuredClone(run) });
    } catch {
      return false;
    }
    run = [];
    if (!/\S\n$/.test(markdown)) return false;
    parts.push(markdown.slice(0, -1));
    return true;
  };
  for (const child of tree.children) {
    const plain = plainBlock(child, isInert);
    if (plain === undefined) {
      run.push(child);
      continue;
    }
    if (!endRun()) return general(tree);
    parts.push(plain);
  }
  if (run.length === tree.children.length) return general(tree);
  if (!endRun()) return general(tree);
  return parts.join('\n\n');
}

/** Whether the pipeline's autolinker splits a text of this tree, after which it joins neighbouring texts anywhere in the tree (src/url/findUrls.ts): then no block can be written alone. */
function joinsTexts(node: Nodes): boolean {
  if (node.type === 'text') return node.value.length > LONGEST_RUN || node.value.includes('<');
  return 'children' in node && node.children.some(joinsTexts);
}

/** One block as Markdown, or undefined when it is not plain. */
function plainBlock(node: RootContent, isInert: (text: string) => boolean): string | undefined {
  const flow = (children: RootContent[]): string | undefined => {
    const parts: string[] = [];
    for (const child of children) {
      const part = block(child);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return parts.join('\n\n');
  };
  const block = (child: RootContent): string | undefined =>
    child.type === 'paragraph'
      ? paragraph(child)
      : child.type === 'blockquote'
        ? blockquote(child)
        : child.type === 'code'
          ? code(child)
          : child.type === 'thematicBreak'
            ? '---'
            : undefined;
  const paragraph = (node: Paragraph): string | undefined => {
    const { children } = node;
    if (children.length === 0 || children.length % 2 === 0) return undefined;
    let markdown = '';
    // Text, break, text, …, text: every text starts a line.
    for (let index = 0; index < children.length; index++) {
      const child = children[index];
      if (index % 2 === 1) {
        if (child.type !== 'break') return undefined;
        markdown += '\\\n';
        continue;
      }
      if (child.type !== 'text' || !isPlainText(child.value) || !isInert(child.value)) return undefined;
      markdown += escapeDashes(child.value);
    }
    return markdown;
  };
  const blockquote = (node: Blockquote): string | undefined => {
    if (node.children.length === 0) return undefined;
    const inner = flow(node.children);
    return inner === undefined
      ? undefined
      : inner
          .split('\n')
          .map((line) => (line === '' ? '>' : `> ${line}`))
          .join('\n');
  };
  const code = (node: Code): string | undefined => {
    const value = node.value;
    if (
      value.includes('\r') ||
      (node.lang !== null && node.lang !== undefined && !/^[a-z]+$/.test(node.lang)) ||
      node.meta
    )
      return undefined;
    const fence = '`'.repeat(Math.max(longestBacktickRun(value) + 1, 3));
    return `${fence}${node.lang ?? ''}\n${value === '' ? '' : `${value}\n`}${fence}`;
  };
  return block(node);
}

/** A text whose every line starts as prose and that holds nothing Markdown would escape. */
function isPlainText(text: string): boolean {
  return text !== '' && !ESCAPABLE.test(text) && !NOT_PLAIN_LINE.test(text);
}

/** The text as Markdown: plain text is written as it is but for lines of dashes. */
function escapeDashes(text: string): string {
  return text.includes('--') ? text.replace(/^(?=-{2,}$)/gm, '\\') : text;
}

function longestBacktickRun(value: string): number {
  let longest = 0;
  for (const run of value.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}
