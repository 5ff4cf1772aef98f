import type { Root as HastRoot } from 'hast';
import type { Root } from 'mdast';
import rehypeRemark from 'rehype-remark';
import { unified } from 'unified';
import rehypeBreaksToParagraphs from './rehypeBreaksToParagraphs.ts';
import rehypeInPageAnchors from './rehypeInPageAnchors.ts';
import rehypeEmptyBlocksToSpace from './rehypeEmptyBlocksToSpace.ts';
import rehypeParseFragment from './rehypeParseFragment.ts';
import rehypeMonospaceToCode from './rehypeMonospaceToCode.ts';
import rehypeNbspToSpace from './rehypeNbspToSpace.ts';
import rehypeUnnestStrikethrough from './rehypeUnnestStrikethrough.ts';

/** Built once: parse (rehype-parse's parse5, without positions) → editor cleanups → rehype-remark. */
const processor = unified()
  .use(rehypeParseFragment)
  .use(rehypeBreaksToParagraphs)
  .use(rehypeMonospaceToCode)
  .use(rehypeNbspToSpace)
  .use(rehypeInPageAnchors)
  .use(rehypeEmptyBlocksToSpace)
  .use(rehypeUnnestStrikethrough)
  .use(rehypeRemark, { newlines: false })
  .freeze();

/** HTML as old blogs and feeds wrote it → a Markdown syntax tree. */
export function htmlToMdast(html: string): Root {
  return processor.runSync(processor.parse(html) as HastRoot) as Root;
}
