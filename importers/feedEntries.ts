/**
 * From feed items (Atom entries, RSS items, Roller entries) to documents, the same way for every
 * feed format: several pages are one source, comments go to their post, planet entries keep their
 * blog, what the feed left out (id, title, date) is derived stably and said, nothing is dropped unsaid.
 */
import { UsageError } from '../src/errors.ts';
import type { Comment, Entry } from '../src/model.ts';
import { shortHash, slugFromUrl } from '../src/slug.ts';
import { closeSelfClosedElements } from './atomEntry.ts';
import type { ImportContext } from './importer.ts';

/** Feeds carry HTML (with the base URL its relative references resolve against) or plain text. */
export type FeedBody = { type: 'html'; value: string; base?: string } | { type: 'text'; value: string };

export interface FeedItem {
  /** Where the item is in the input, for messages: `file.atom#12`. */
  position: string;
  id?: string;
  title?: string;
  body?: FeedBody;
  /** Only a summary was in the feed. */
  excerpt: boolean;
  date?: string;
  updated?: string;
  author?: string;
  authorUrl?: string;
  categories: { term: string; label?: string; scheme?: string }[];
  /** The HTML page of the item: absolute, or a path when the feed gave nothing to resolve it against. */
  url?: string;
  /** A comment: the id or URL of what it answers. */
  inReplyTo?: string;
  /** A comment: the address of what it answers (`thr:in-reply-to href`), when given besides its id. */
  inReplyToUrl?: string;
  /** Set by the importer: this item is a comment (of `inReplyTo`, or of the post its URL or id names). */
  comment?: boolean;
  /** The blog a planet feed took the item from. */
  blog?: { title?: string; url?: string };
  enclosures: { url: string; type?: string; length?: string }[];
}

export interface FeedFacts {
  /** The feed's own date (Atom `updated`, RSS `lastBuildDate`/`pubDate`), for items without one. */
  date?: string;
  /** Turns an item's categories into tags (Roller: category labels and tags). */
  tags?: (item: FeedItem) => string[];
}

/**
 * The importer options every feed format takes (`almanac import --also-old-base`, `--planet-blog`).
 * `alsoOldBase`: other hosts the blog lived at; the same paths there answer with the new page too.
 * `planetBlog`: of a planet feed, import only the entries of this blog (its address or its name).
 */
function otherOrigins(options: Readonly<Record<string, unknown>>): string[] {
  const bases = [options.alsoOldBase]
    .flat()
    .filter((base): base is string => typeof base === 'string' && base.trim() !== '');
  return bases.map((base) => {
    let url: URL | undefined;
    try {
      url = new URL(base.includes('://') ? base : `https://${base}`);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new UsageError(
        `--also-old-base "${base}" is not a web address; give the other host, like https://blogs.oracle.com/`,
      );
    return url.origin;
  });
}

/** The same old URL on the blog's other hosts (`http://blogs.sun.com/x/entry/y` → `https://blogs.oracle.com/x/entry/y`). */
function alsoOldUrls(url: string, origins: readonly string[]): string[] {
  const old = new URL(url);
  return origins
    .map((origin) => new URL(old.pathname + old.search, origin).href)
    .filter((variant) => variant !== old.href);
}

/** Google's kind category (`…/g/2005#kind`, Blogger's post/page/comment) says what an entry is; it is never a tag. */
const GOOGLE_KIND_SCHEME = 'http://schemas.google.com/g/2005#kind';

function defaultTags(item: FeedItem): string[] {
  return item.categories
    .filter((category) => category.scheme !== GOOGLE_KIND_SCHEME)
    .map((category) => (category.label ?? category.term).trim())
    .filter(Boolean);
}

/** Items of every input file, in file order, to documents: oldest first, comments attached. */
export function* feedEntries(items: FeedItem[], context: ImportContext, facts: FeedFacts): Generator<Entry> {
  const { options } = context;
  const origins = otherOrigins(options);
  const planetBlog =
    typeof options.planetBlog === 'string' && options.planetBlog.trim() ? options.planetBlog.trim() : undefined;
  const posts = new Map<string, { item: FeedItem; entry: Entry }>();
  const byUrl = new Map<string, string>();
  const comments: FeedItem[] = [];
  const blogs = new Map<string, { title?: string; url?: string; count: number }>();
  let done = 0;

  for (const item of items) {
    context.progress(++done, items.length);
    if (!item.id) {
      const derived =
        item.url ??
        `urn:almanac:${shortHash(`${item.title ?? ''}\n${item.date ?? ''}\n${item.body?.value ?? ''}`, 16)}`;
      context.warn(
        `${item.position}: the entry has no id; using ${derived} (stable as long as its ${item.url ? 'link' : 'title, date and text'} stay the same)`,
        derived,
      );
      item.id = derived;
    }
    const id = item.id;
    if (item.comment) {
      comments.push(item);
      continue;
    }
    if (item.blog) {
      const key = item.blog.url ?? item.blog.title ?? '';
      const blog = blogs.get(key) ?? { ...item.blog, count: 0 };
      blog.count++;
      blogs.set(key, blog);
      if (planetBlog && planetBlog !== item.blog.url && planetBlog.toLowerCase() !== item.blog.title?.toLowerCase()) {
        context.skip(
          id,
          `from ${item.blog.title ?? item.blog.url} in the planet feed, not ${planetBlog} (--planet-blog)`,
        );
        continue;
      }
    } else if (planetBlog) {
      context.skip(
        id,
        `the entry names no blog of its own (no <source>), so it is not from ${planetBlog} (--planet-blog)`,
      );
      continue;
    }
    let previous = posts.get(id);
    if (
      previous &&
      sameInput(previous.item, item) &&
      ((previous.item.body?.value ?? '') !== (item.body?.value ?? '') || previous.item.title !== item.title)
    ) {
      // Two different entries under one id in the same file (Scripting News reuses its guids): both are kept.
      item.id = `${id}~${shortHash(`${item.title ?? ''}\n${item.body?.value ?? ''}`)}`;
      context.warn(
        `${item.position}: another entry of this feed has the same id ${id}; this one is imported as ${item.id}`,
        item.id,
      );
      previous = posts.get(item.id);
    }
    if (previous) {
      // A paged feed repeats an entry that changed between the pages' fetches: the newest version wins.
      const newer = (item.updated ?? '') > (previous.item.updated ?? '');
      context.skip(
        id,
        `the same entry appears again (${newer ? previous.item.position : item.position}); imported once, from ${newer ? item.position : previous.item.position}`,
      );
      if (!newer) continue;
    }
    posts.set(item.id, { item, entry: toEntry(item, context, facts, origins) });
    if (item.url && !byUrl.has(withoutFragment(item.url))) byUrl.set(withoutFragment(item.url), item.id);
  }

  attachComments(comments, posts, byUrl, context);
  shareAnchoredPages([...posts.values()].map(({ entry }) => entry));
  if (blogs.size > 1 && !planetBlog) {
    const list = [...blogs.values()].map((blog) => `${blog.title ?? blog.url} (${blog.count})`).join(', ');
    context.warn(
      `a planet feed of ${blogs.size} blogs: ${list}. They are one source here, each document names its blog; to give one blog its own source, import again with --planet-blog <its address> --source <id>`,
    );
  }
  const ordered = [...posts.values()]
    .map(({ entry }) => entry)
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.originalId.localeCompare(b.originalId));
  yield* ordered;
}

function toEntry(item: FeedItem, context: ImportContext, facts: FeedFacts, origins: readonly string[]): Entry {
  const id = item.id!;
  const title = item.title ?? '';
  if (!title) context.warn(`${item.position}: the entry has no title; its slug is made from its first words`, id);
  let date = item.date;
  if (!date) {
    date = facts.date;
    context.warn(
      `${item.position}: the entry has no date; ${date ? `using the feed's date ${date}` : 'it is filed under drafts/ until it gets one'}`,
      id,
    );
  }
  let body: FeedBody = item.body ?? { type: 'html', value: '' };
  if (!item.body || item.body.value.trim() === '') context.warn(`${item.position}: the entry has no text`, id);
  if (body.type === 'html') body = { ...body, value: closeSelfClosedElements(body.value) };
  const extra: Record<string, unknown> = {};
  if (item.excerpt) {
    extra.excerpt = true;
    context.warn(
      `${item.position}: the feed has only a summary of this entry; imported as an excerpt (excerpt: true)`,
      id,
    );
  }
  let author = item.author;
  if (item.blog) {
    extra.blog = Object.fromEntries(
      Object.entries({ title: item.blog.title, url: item.blog.url }).filter(([, value]) => value !== undefined),
    );
    const blogName = item.blog.title ?? item.blog.url;
    if (blogName) author = author && author !== blogName ? `${author} (${blogName})` : blogName;
  }
  if (item.enclosures.length > 0)
    extra.enclosures = item.enclosures.map((enclosure) =>
      Object.fromEntries(Object.entries(enclosure).filter(([, value]) => value !== undefined)),
    );
  const absolute = item.url && /^https?:\/\//i.test(item.url) ? item.url : undefined;
  const otherAddresses = absolute ? alsoOldUrls(absolute, origins) : [];
  if (otherAddresses.length > 0) extra.old_urls = otherAddresses;
  const tags = [...new Map((facts.tags ?? defaultTags)(item).map((tag) => [tag.toLowerCase(), tag])).values()];
  return {
    kind: 'post',
    originalId: id,
    title,
    body,
    date,
    updated: item.updated,
    author,
    tags,
    draft: false,
    originalUrl: absolute,
    oldUrls: item.url && !absolute ? [item.url] : otherAddresses,
    comments: [],
    // `/2017/06/26.html#a080605` names a day's page, not the item: the title makes a better slug.
    slug: item.url && !item.url.includes('#') ? slugFromUrl(item.url, id) : undefined,
    extra: Object.keys(extra).length > 0 ? extra : undefined,
  };
}

/** A comment belongs to the post its `in-reply-to` names, else the post whose URL or id its own URL or id extends (`<permalink>#comment-…`). */
function attachComments(
  comments: FeedItem[],
  posts: Map<string, { entry: Entry }>,
  byUrl: Map<string, string>,
  context: ImportContext,
): void {
  const seen = new Set<string>();
  for (const item of comments) {
    const id = item.id!;
    if (seen.has(id)) {
      context.skip(id, `the same comment appears again (${item.position}); imported once`);
      continue;
    }
    seen.add(id);
    const candidates = [
      item.inReplyTo,
      item.inReplyToUrl,
      withoutFragment(id),
      item.url && withoutFragment(item.url),
    ].filter((value): value is string => Boolean(value));
    const postId = candidates
      .map((candidate) => (posts.has(candidate) ? candidate : byUrl.get(withoutFragment(candidate))))
      .find(Boolean);
    const post = postId ? posts.get(postId) : undefined;
    if (!post) {
      context.skip(id, `comment on ${candidates[0] ?? 'an unnamed post'}, which is not in the input`);
      continue;
    }
    let body: FeedBody = item.body ?? { type: 'text', value: '' };
    if (body.type === 'html') body = { ...body, value: closeSelfClosedElements(body.value) };
    const comment: Comment = {
      id,
      author: item.author,
      authorUrl: item.authorUrl,
      date: item.date,
      body,
      url: item.url,
    };
    post.entry.comments.push(comment);
  }
  for (const { entry } of posts.values())
    entry.comments.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id));
}

/**
 * Items whose permalinks are anchors in one page (Scripting News' `26.html#a080605`): a server never
 * sees the anchor, so only the page's first item takes the page's old URL; the others keep theirs in original_id.
 */
function shareAnchoredPages(entries: Entry[]): void {
  const byPage = new Map<string, Entry[]>();
  for (const entry of entries) {
    if (!entry.originalUrl?.includes('#')) continue;
    const page = withoutFragment(entry.originalUrl);
    byPage.set(page, [...(byPage.get(page) ?? []), entry]);
  }
  for (const sharing of byPage.values()) {
    if (sharing.length < 2) continue;
    sharing.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.originalId.localeCompare(b.originalId));
    for (const entry of sharing.slice(1)) {
      entry.originalUrl = undefined;
      entry.oldUrls = [];
      if (entry.extra) delete entry.extra.old_urls;
    }
  }
}

function sameInput(a: FeedItem, b: FeedItem): boolean {
  return a.position.slice(0, a.position.lastIndexOf('#')) === b.position.slice(0, b.position.lastIndexOf('#'));
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
