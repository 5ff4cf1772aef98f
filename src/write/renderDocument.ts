import type { Root } from 'mdast';
import { bodyToMdast } from '../convert/bodyToMdast.ts';
import { mdastToMarkdown } from '../convert/markdown.ts';
import { oldPath } from '../content/oldUrls.ts';
import type { OldUrlIndex } from '../content/contentIndex.ts';
import type { EntryBody, Entry } from '../model.ts';
import { builtinRules, readAutolinkRules } from '../pipeline/autolinkReferences.ts';
import { createDocumentPipeline } from '../pipeline/index.ts';
import { stringifyDocument, type FrontmatterData } from '../content/frontmatter.ts';
import { treeToMarkdown } from './plainMarkdown.ts';

export interface RenderOptions {
  source: string;
  permalink: string;
  /** The remark transforms (link rewriting, autolinks); the second argument is the document's old URL. */
  transform: (tree: Root, base?: string) => Root;
  /** Whether `transform` leaves a text node with this value as it is; given, plain blocks skip the pipeline (plainMarkdown.ts). */
  isInert?: (text: string) => boolean;
}

/** What the document pipeline could link in a text: autolink literals (GFM's own pre-check) and the reference rules. */
function inertText(rules = readAutolinkRules()): (text: string) => boolean {
  const references = [...builtinRules, ...rules].map(({ pattern, flags }) =>
    typeof pattern === 'string'
      ? new RegExp(pattern, (flags ?? '').replace(/[gy]/g, ''))
      : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')),
  );
  const patterns = [/https?:\/\/|www\.|@/i, ...references];
  return (text) => !patterns.some((pattern) => pattern.test(text));
}

/** The renderer of one source's entries, its links resolved by `oldUrls`: the main thread's and each render worker's (so their bytes are the same). */
export function createEntryRenderer(source: string, oldUrls: OldUrlIndex): (entry: Entry, permalink: string) => string {
  const transform = createDocumentPipeline({ resolveOldUrl: (url, base) => oldUrls.resolve(url, base) });
  const isInert = inertText();
  return (entry, permalink) => renderDocument(entry, { source, permalink, transform, isInert });
}

/** An entry as the Markdown file that stands for it: frontmatter per DESIGN.md, then the body. */
export function renderDocument(entry: Entry, options: RenderOptions): string {
  const toMarkdown = (body: EntryBody) => {
    const general = (tree: Root) => mdastToMarkdown(options.transform(tree, entry.originalUrl));
    const tree = bodyToMdast(body);
    return (options.isInert ? treeToMarkdown(tree, options.isInert, general) : general(tree)).trimEnd();
  };
  const data: FrontmatterData = {
    title: entry.title,
    date: entry.date,
    updated: entry.updated && entry.updated !== entry.date ? entry.updated : undefined,
    author: entry.author,
    tags: entry.tags.length > 0 ? entry.tags : undefined,
    draft: entry.draft ? true : undefined,
    source: options.source,
    kind: entry.kind,
    original_id: entry.originalId,
    original_url: entry.originalUrl,
    redirect_from: redirectsOf(entry),
    permalink: options.permalink,
    ...entry.extra,
    comments:
      entry.comments.length > 0
        ? entry.comments.map((comment) => ({
            id: comment.id,
            author: comment.author,
            author_url: comment.authorUrl,
            date: comment.date,
            in_reply_to: comment.inReplyTo,
            url: comment.url,
            body: toMarkdown(comment.body),
          }))
        : undefined,
  };
  return stringifyDocument(withoutUndefined(data), toMarkdown(entry.body));
}

/** Every old path that must answer with this document: its permalink's path and any other old URLs. */
function redirectsOf(entry: Entry): string[] | undefined {
  const paths = new Set<string>();
  for (const url of [entry.originalUrl, ...entry.oldUrls]) {
    if (!url) continue;
    const path = url.startsWith('/') ? url : oldPath(url);
    if (path && path !== '/') paths.add(path);
  }
  return paths.size > 0 ? [...paths] : undefined;
}

function withoutUndefined(value: FrontmatterData): FrontmatterData {
  const result: FrontmatterData = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    result[key] = Array.isArray(item)
      ? item.map((element) =>
          element && typeof element === 'object' ? withoutUndefined(element as FrontmatterData) : element,
        )
      : item;
  }
  return result;
}
