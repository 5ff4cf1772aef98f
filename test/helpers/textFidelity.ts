/**
 * How much of a post's text survived the conversion: the words of the original HTML's visible
 * text that appear, in the same order, in the visible text of the rendered Markdown — the length
 * of their longest common subsequence (Myers' diff, from the `diff` package) over the number of
 * original words. 1 means nothing was lost or reordered; markup, spacing and URLs do not count.
 */
import { diffArrays } from 'diff';
import type { Root as HastRoot } from 'hast';
import { toText } from 'hast-util-to-text';
import rehypeParse from 'rehype-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { markdownToMdast } from '../../src/convert/markdown.ts';
import { keepAnchorsAndTables } from '../../src/site/remarkRehypeAnchors.ts';

export interface Fidelity {
  /** Matched words ÷ original words (1 for an empty original). */
  ratio: number;
  originalWords: number;
  matchedWords: number;
  /** Original words not found in order, for the failure message. */
  missing: string[];
}

const htmlParser = unified().use(rehypeParse, { fragment: true }).freeze();
// Tables kept as HTML are shown as the site shows them.
const markdownToHast = unified()
  .use(remarkRehype, { handlers: { html: keepAnchorsAndTables } })
  .freeze();

function words(text: string): string[] {
  return text.split(/[\s\u200b\ufeff]+/u).filter(Boolean);
}

/** The visible text of the original HTML: what a reader of the old blog saw. */
export function htmlWords(html: string): string[] {
  return words(toText(htmlParser.parse(html)));
}

/** The visible text of Markdown once rendered, through the same text extraction as the original. */
export function markdownWords(markdown: string): string[] {
  const hast = markdownToHast.runSync(markdownToMdast(markdown)) as HastRoot;
  return words(toText(hast));
}

export function textFidelity(html: string, markdown: string): Fidelity {
  const original = htmlWords(html);
  const rendered = markdownWords(markdown);
  if (original.length === 0) return { ratio: 1, originalWords: 0, matchedWords: 0, missing: [] };
  let matched = 0;
  const missing: string[] = [];
  for (const part of diffArrays(original, rendered)) {
    if (part.removed) missing.push(...part.value);
    else if (!part.added) matched += part.count ?? part.value.length;
  }
  return { ratio: matched / original.length, originalWords: original.length, matchedWords: matched, missing };
}
