import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from '../content/frontmatter.ts';
import type { Item, SiteIndex } from './siteIndex.ts';

/**
 * Eleventy plugin: a watching rebuild for one changed document (`almanac serve`) also renders the
 * pages that print it as their older or newer neighbour. Eleventy renders again only templates
 * that use the changed file, and a post page uses no collection (its neighbours come from the site
 * index), so a retitled post kept its old title in its neighbours' Older/Newer links until the
 * next whole build. The neighbours are the last build's, and, for a post whose date moved, the
 * posts around its new date (patches/@11ty+eleventy+3.1.8+002+also-render.patch asks for them).
 */
export default function neighbours(eleventyConfig: any) {
  let last: SiteIndex | undefined;
  eleventyConfig.on('almanac.siteIndex', (index: SiteIndex) => {
    last = index;
  });
  eleventyConfig.almanacAlsoRender = (changed: string): string[] => (last ? pagesShowing(last, changed) : []);
}

/** Eleventy's input path of an item (`./content/…`, as its templates have it). */
const inputPathOf = (item: Item | undefined) => (item as { inputPath?: string } | undefined)?.inputPath;

/** The input paths of the documents whose pages show `changed` as a neighbour, in `index` or once its date moved. */
export function pagesShowing(index: SiteIndex, changed: string): string[] {
  const changedPath = path.resolve(changed);
  const isChanged = (item: Item) => path.resolve(inputPathOf(item) ?? '') === changedPath;
  const shown = new Set<Item | undefined>();
  const item = [
    ...index.posts,
    ...index.threads.flatMap((thread) => thread.messages.map((message) => message.item)),
  ].find(isChanged);
  if (item) {
    const around = index.neighbours[item.url as string];
    shown.add(around?.previous).add(around?.next);
  }
  // A post (new, or dated anew) sits between other posts of its source: those by the new date.
  const data = frontmatterOf(changedPath);
  const source = typeof data?.source === 'string' ? index.sourceById[data.source] : undefined;
  const date = data?.date instanceof Date ? data.date : new Date(String(data?.date));
  if (source && !Number.isNaN(date.getTime()) && date.getTime() !== item?.date.getTime()) {
    const others = source.posts.filter((post) => !isChanged(post));
    const time = date.getTime();
    // Newest first; equal dates keep Eleventy's order, so every post of that date may be next to it.
    shown
      .add(others.findLast((post) => post.date.getTime() > time))
      .add(others.find((post) => post.date.getTime() < time));
    for (const post of others) if (post.date.getTime() === time) shown.add(post);
  }
  return [...shown]
    .map(inputPathOf)
    .filter((input): input is string => input !== undefined && path.resolve(input) !== changedPath);
}

function frontmatterOf(file: string): Record<string, unknown> | undefined {
  try {
    return parseDocument(readFileSync(file, 'utf8')).data;
  } catch {
    return undefined; // deleted, or not a document Eleventy can build either
  }
}
