import type { Root as HastRoot } from 'hast';
import type { Root } from 'mdast';
import { toHtml } from 'hast-util-to-html';
import { defaultHandlers, type Handle } from 'hast-util-to-mdast';
import rehypeRemark from 'rehype-remark';
import { unified } from 'unified';
import { VFile } from 'vfile';
import rehypeMarkBlockTables, { blockTableToHtml } from './blockTableToHtml.ts';
import rehypeBreaksToParagraphs from './rehypeBreaksToParagraphs.ts';
import rehypeCodeTablesToCode from './rehypeCodeTablesToCode.ts';
import rehypeInPageAnchors from './rehypeInPageAnchors.ts';
import rehypeFlattenBlocksInPhrasing from './rehypeFlattenBlocksInPhrasing.ts';
import rehypeEmptyBlocksToSpace from './rehypeEmptyBlocksToSpace.ts';
import rehypeParseFragment from './rehypeParseFragment.ts';
import rehypeResolveUrls from './rehypeResolveUrls.ts';
import rehypeMonospaceToCode from './rehypeMonospaceToCode.ts';
import rehypeNbspToSpace from './rehypeNbspToSpace.ts';
import rehypeUnnestStrikethrough from './rehypeUnnestStrikethrough.ts';
import remarkJoinAnchorParagraphs from './remarkJoinAnchorParagraphs.ts';

/** Built once: parse (rehype-parse's parse5, without positions) → editor cleanups → rehype-remark. */
const processor = unified()
  .use(rehypeParseFragment)
  .use(rehypeResolveUrls)
  .use(rehypeCodeTablesToCode)
  .use(rehypeMarkBlockTables)
  .use(rehypeBreaksToParagraphs)
  .use(rehypeFlattenBlocksInPhrasing)
  .use(rehypeMonospaceToCode)
  .use(rehypeNbspToSpace)
  .use(rehypeInPageAnchors)
  .use(rehypeEmptyBlocksToSpace)
  .use(rehypeUnnestStrikethrough)
  .use(rehypeRemark, { newlines: false, handlers: { a: anchorOrLink, table: blockTableToHtml } })
  .use(remarkJoinAnchorParagraphs)
  .freeze();

/** The empty anchors rehypeInPageAnchors keeps become inline HTML, `<a id="…"></a>`; other links are links. */
function anchorOrLink(...[state, node]: Parameters<Handle>): ReturnType<Handle> {
  if (!node.properties.dataAlmanacAnchor) return defaultHandlers.a(state, node);
  return {
    type: 'html',
    value: toHtml({ type: 'element', tagName: 'a', properties: { id: node.properties.id }, children: [] }),
  };
}

/** HTML as old blogs and feeds wrote it → a Markdown syntax tree; relative URLs resolve against `base` when given. */
export function htmlToMdast(html: string, base?: string): Root {
  const tree = processor.parse(html) as HastRoot;
  return (
    base === undefined ? processor.runSync(tree) : processor.runSync(tree, new VFile({ data: { base } }))
  ) as Root;
}
