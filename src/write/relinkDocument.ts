/** The rewriting half of relink.ts, apart so an import loads remark only when some document needs relinking. */
import type { Root } from 'mdast';
import type { OldUrlIndex } from '../content/contentIndex.ts';
import { markdownToMdast, mdastToMarkdown } from '../convert/markdown.ts';
import rewriteOldLinks from '../pipeline/rewriteOldLinks.ts';
import { parseDocument, stringifyDocument } from '../content/frontmatter.ts';

/** The document with its body's and its comments' links rewritten; the same text when nothing changes. */
export function relinkDocument(text: string, oldUrls: OldUrlIndex, base: string | undefined): string {
  const { data, body } = parseDocument(text);
  let changed = false;
  const rewrite = (markdown: string): string => {
    const tree = markdownToMdast(markdown);
    const before = JSON.stringify(urlsOf(tree));
    rewriteOldLinks({ resolve: (url, from) => oldUrls.resolve(url, from), base })(tree);
    if (JSON.stringify(urlsOf(tree)) === before) return markdown;
    changed = true;
    return mdastToMarkdown(tree).trimEnd();
  };
  const newBody = rewrite(body.trimEnd());
  if (Array.isArray(data.comments)) {
    data.comments = data.comments.map((comment: unknown) =>
      comment && typeof comment === 'object' && typeof (comment as { body?: unknown }).body === 'string'
        ? { ...comment, body: rewrite((comment as { body: string }).body) }
        : comment,
    );
  }
  return changed ? stringifyDocument(data, newBody) : text;
}

function urlsOf(tree: Root): string[] {
  const urls: string[] = [];
  const walk = (node: { type: string; url?: string; children?: unknown[] }) => {
    if ((node.type === 'link' || node.type === 'definition') && node.url !== undefined) urls.push(node.url);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(tree as never);
  return urls;
}
