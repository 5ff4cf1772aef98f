import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify, { type Options as StringifyOptions } from 'remark-stringify';
import { unified } from 'unified';

/** How Almanac writes Markdown: one style everywhere, so re-imports and relinks change nothing. */
export const markdownStyle: StringifyOptions = {
  bullet: '-',
  emphasis: '_',
  strong: '*',
  fence: '`',
  fences: true,
  listItemIndent: 'one',
  rule: '-',
  resourceLink: true,
};

const stringifier = unified().use(remarkGfm).use(remarkStringify, markdownStyle).freeze();
const parser = unified().use(remarkParse).use(remarkGfm).freeze();

export function mdastToMarkdown(tree: Root): string {
  return stringifier.stringify(tree);
}

export function markdownToMdast(markdown: string): Root {
  return parser.runSync(parser.parse(markdown)) as Root;
}
