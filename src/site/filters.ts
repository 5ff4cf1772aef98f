import { MONTHS, tagSlug, type Item, type Thread } from './siteIndex.ts';

/**
 * Eleventy plugin: the filters layouts use. Dates are shown as the document wrote them
 * (its own offset), never shifted to the build machine's time zone.
 */

/** `2020-05-06T10:00:00+02:00` → `6 May 2020`; a Date is shown in UTC. */
export function humanDate(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (match) return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** The value for `<time datetime>`: the frontmatter's ISO string, or the Date's. */
export function isoDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** `HH:MM` of an ISO string as written (mail shows when in the sender's day it was). */
export function timeOfDay(value: unknown): string {
  const match = typeof value === 'string' ? /T(\d{2}:\d{2})/.exec(value) : null;
  return match ? match[1] : '';
}

/** The first words of rendered HTML, for list pages. */
export function summary(html: unknown, length = 220): string {
  if (typeof html !== 'string') return '';
  // Paragraphs only: headings, code and tables read badly run together.
  const paragraphs = html.match(/<p>[\s\S]*?<\/p>/g) ?? [];
  const text = paragraphs
    .join(' ')
    .replace(/<sup\b[\s\S]*?<\/sup>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_all, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
    )
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= length) return text;
  return `${text.slice(0, text.lastIndexOf(' ', length)).replace(/[,.;:!?-]+$/, '')}…`;
}

export interface Comment {
  id?: string;
  author?: string;
  author_url?: string;
  date?: string;
  in_reply_to?: string;
  url?: string;
  body?: string;
}

/** Comments nested by `in_reply_to` (Blogger threads them), oldest first at each level. */
export function commentTree(comments: unknown): (Comment & { replies: Comment[] })[] {
  if (!Array.isArray(comments)) return [];
  const nodes = comments
    .filter((comment): comment is Comment => comment !== null && typeof comment === 'object')
    .map((comment) => ({ ...comment, replies: [] as Comment[] }));
  const byId = new Map(nodes.filter((node) => node.id).map((node) => [node.id!, node]));
  const roots: typeof nodes = [];
  for (const node of nodes) {
    const parent = node.in_reply_to ? byId.get(node.in_reply_to) : undefined;
    // A reply to itself (or to nothing known) stays at the top level.
    if (parent && parent !== node) parent.replies.push(node);
    else roots.push(node);
  }
  return roots;
}

/** `https://blogs.oracle.com/jlevon/entry/x` → `blogs.oracle.com`. */
export function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return '';
  }
}

/** The newest `date` of a list of collection items (the epoch for none, so a feed stays valid). */
export function newestDate(items: unknown): Date {
  let newest = new Date(0);
  if (Array.isArray(items))
    for (const item of items) if (item?.date instanceof Date && item.date > newest) newest = item.date;
  return newest;
}

/** The newest messages of some threads, for a list's feed. */
export function latestMessages(threads: unknown, count: number): Item[] {
  if (!Array.isArray(threads)) return [];
  const messages = (threads as Thread[]).flatMap((thread) => thread.messages.map((message) => message.item));
  return messages.sort((a, b) => b.date.getTime() - a.date.getTime()).slice(0, count);
}

export default function filters(eleventyConfig: any, options: { siteUrl: string }) {
  eleventyConfig.addFilter('humanDate', humanDate);
  eleventyConfig.addFilter('isoDate', isoDate);
  eleventyConfig.addFilter('timeOfDay', timeOfDay);
  eleventyConfig.addFilter('summary', summary);
  eleventyConfig.addFilter('commentTree', commentTree);
  eleventyConfig.addFilter('hostOf', hostOf);
  eleventyConfig.addFilter('tagSlug', tagSlug);
  eleventyConfig.addFilter('newestDate', newestDate);
  eleventyConfig.addFilter('latestMessages', latestMessages);
  eleventyConfig.addFilter('head', (items: unknown, count: number) =>
    Array.isArray(items) ? items.slice(0, count) : [],
  );
  eleventyConfig.addFilter('siteUrl', (url: string) => new URL(url, options.siteUrl).href);
  eleventyConfig.addFilter(
    'plural',
    (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`,
  );
}
