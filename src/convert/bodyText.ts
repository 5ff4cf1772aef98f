import rehypeParse from 'rehype-parse';
import { toText } from 'hast-util-to-text';
import { unified } from 'unified';

const htmlParser = unified().use(rehypeParse, { fragment: true }).freeze();

/** The visible text of an HTML fragment, as a reader would see it. */
export function htmlToText(html: string): string {
  return toText(htmlParser.parse(html));
}
