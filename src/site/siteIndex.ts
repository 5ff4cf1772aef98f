import { makeSlug, shortHash } from '../slug.ts';

/**
 * Everything the site's list pages show, computed once per build in one pass over the
 * documents: sources with their pages, archives and tags, mail threads with their reply trees,
 * and each document's neighbours. Templates only loop over it (no work in Nunjucks).
 */

/** The part of an Eleventy collection item the index reads. */
export interface Item {
  url: string | false;
  date: Date;
  data: Record<string, unknown>;
}

export interface SourceSettings {
  id: string;
  title?: string;
  description?: string;
}

export interface Thread {
  key: string;
  url: string;
  source: string;
  subject: string;
  started: Date;
  lastReply: Date;
  participants: string[];
  count: number;
  /** Messages in reading order (depth-first by reply, each level by date), with their depth. */
  messages: ThreadMessage[];
  /** The same messages nested by reply: the thread page renders this tree. */
  tree: ThreadMessage[];
}

export interface ThreadMessage {
  item: Item;
  /** The message's anchor on the thread page. */
  id: string;
  depth: number;
  replies: ThreadMessage[];
}

export interface MonthArchive {
  source: string;
  year: string;
  month: string;
  label: string;
  url: string;
  posts: Item[];
  threads: Thread[];
}

export interface YearArchive {
  source: string;
  year: string;
  url: string;
  months: MonthArchive[];
  count: number;
}

export interface TagPage {
  name: string;
  slug: string;
  url: string;
  feedUrl: string;
  /** The source of a per-source tag page; undefined for the site-wide one. */
  source?: string;
  items: Item[];
}

export interface Source {
  id: string;
  title: string;
  description?: string;
  /** A mailing list (its documents are messages) or a blog. */
  kind: 'blog' | 'list';
  url: string;
  feedUrl: string;
  posts: Item[];
  pages: Item[];
  threads: Thread[];
  messageCount: number;
  years: YearArchive[];
  tags: TagPage[];
  latest?: Date;
}

export interface SourcePage {
  source: Source;
  number: number;
  total: number;
  url: string;
  items: Item[];
  previousUrl?: string;
  nextUrl?: string;
}

export interface SiteIndex {
  sources: Source[];
  sourceById: Record<string, Source>;
  /** Posts of every blog, newest first. */
  posts: Item[];
  threads: Thread[];
  releases: Item[];
  /** Hand-written guides under /docs/. */
  docs: Item[];
  tags: TagPage[];
  sourcePages: SourcePage[];
  sourceTags: TagPage[];
  years: YearArchive[];
  months: MonthArchive[];
  /** Previous (older) and next (newer) document of the same source or thread, by URL. */
  neighbours: Record<string, { previous?: Item; next?: Item; thread?: Thread }>;
}

export const PAGE_SIZE = 20;

/** Replies deeper than this are shown at this depth: past it, indentation only wastes the screen. */
export const MAX_NESTING = 8;

/** The months as the site names them (archive pages, dates). */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A thread's page key: stable across imports, whatever order the messages came in. */
export function threadKey(threadId: string): string {
  return shortHash(threadId.trim(), 12);
}

/** Tags repeat across thousands of posts: slugify each once (profiled: 0.16 s of a 5,000-post rebuild). */
const tagSlugs = new Map<string, string>();

export function tagSlug(tag: string): string {
  let slug = tagSlugs.get(tag);
  if (slug === undefined) tagSlugs.set(tag, (slug = makeSlug(tag, tag)));
  return slug;
}

/** The year and month as the document wrote them (its own time zone), like its permalink. */
function yearMonth(item: Item): [string, string] {
  const raw = item.data.date;
  const match = typeof raw === 'string' ? /^(\d{4})-(\d{2})/.exec(raw) : null;
  if (match) return [match[1], match[2]];
  return [String(item.date.getUTCFullYear()), String(item.date.getUTCMonth() + 1).padStart(2, '0')];
}

const newestFirst = (a: Item, b: Item) => b.date.getTime() - a.date.getTime();
const oldestFirst = (a: Item, b: Item) => a.date.getTime() - b.date.getTime();

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function buildSiteIndex(all: readonly Item[], settings: readonly SourceSettings[] = []): SiteIndex {
  const bySource = new Map<string, Item[]>();
  const releases: Item[] = [];
  const docs: Item[] = [];
  for (const item of all) {
    if (!item.url || item.data.draft === true) continue;
    if (item.url.startsWith('/docs/')) docs.push(item);
    const kind = item.data.kind;
    if (kind === 'release') releases.push(item);
    const source = text(item.data.source);
    if (!source || (kind !== 'post' && kind !== 'page' && kind !== 'message' && kind !== 'release')) continue;
    let list = bySource.get(source);
    if (!list) bySource.set(source, (list = []));
    list.push(item);
  }
  releases.sort(newestFirst);

  const index: SiteIndex = {
    sources: [],
    sourceById: {},
    posts: [],
    threads: [],
    releases,
    docs,
    tags: [],
    sourcePages: [],
    sourceTags: [],
    years: [],
    months: [],
    neighbours: {},
  };
  const globalTags = new Map<string, TagPage>();
  const order = new Map(settings.map((setting, position) => [setting.id, position]));
  const ids = [...bySource.keys()].sort(
    (a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b),
  );

  for (const id of ids) {
    const items = bySource.get(id)!;
    const setting = settings.find((candidate) => candidate.id === id);
    const threaded = items.filter((item) => text(item.data.thread) !== undefined || item.data.kind === 'message');
    const inThreads = new Set(threaded);
    const posts = items
      .filter((item) => (item.data.kind === 'post' || item.data.kind === 'release') && !inThreads.has(item))
      .sort(newestFirst);
    const pages = items
      .filter((item) => item.data.kind === 'page')
      .sort((a, b) => String(a.data.title).localeCompare(String(b.data.title)));
    const threads = buildThreads(id, threaded);
    const source: Source = {
      id,
      title: setting?.title ?? id,
      description: setting?.description,
      kind: posts.length === 0 && threads.length > 0 ? 'list' : 'blog',
      url: `/${id}/`,
      feedUrl: `/${id}/feed.xml`,
      posts,
      pages,
      threads,
      messageCount: threaded.length,
      years: [],
      tags: [],
      latest: [...posts, ...threaded].reduce<Date | undefined>(
        (latest, item) => (!latest || item.date > latest ? item.date : latest),
        undefined,
      ),
    };
    index.sources.push(source);
    index.sourceById[id] = source;
    index.posts.push(...posts);
    index.threads.push(...threads);

    // Archives: posts by the month they were written, threads by the month they started.
    const months = new Map<string, MonthArchive>();
    const monthOf = (year: string, month: string) => {
      const key = `${year}/${month}`;
      let archive = months.get(key);
      if (!archive)
        months.set(
          key,
          (archive = {
            source: id,
            year,
            month,
            label: `${MONTHS[Number(month) - 1] ?? month} ${year}`,
            url: `/${id}/${year}/${month}/`,
            posts: [],
            threads: [],
          }),
        );
      return archive;
    };
    for (const post of posts) {
      const [year, month] = yearMonth(post);
      monthOf(year, month).posts.push(post);
    }
    for (const thread of threads) {
      const [year, month] = yearMonth(thread.messages[0].item);
      monthOf(year, month).threads.push(thread);
    }
    const years = new Map<string, YearArchive>();
    for (const archive of [...months.values()].sort((a, b) => (b.year + b.month).localeCompare(a.year + a.month))) {
      let year = years.get(archive.year);
      if (!year)
        years.set(
          archive.year,
          (year = { source: id, year: archive.year, url: `/${id}/${archive.year}/`, months: [], count: 0 }),
        );
      year.months.push(archive);
      year.count += archive.posts.length + archive.threads.length;
    }
    source.years = [...years.values()];
    index.years.push(...source.years);
    index.months.push(...source.years.flatMap((year) => year.months));

    // Tags: per source and site-wide; messages carry no tags of their own.
    const sourceTags = new Map<string, TagPage>();
    for (const item of [...posts, ...pages]) {
      for (const name of tagsOf(item)) {
        const slug = tagSlug(name);
        let tag = sourceTags.get(slug);
        if (!tag)
          sourceTags.set(
            slug,
            (tag = {
              name,
              slug,
              url: `/${id}/tags/${slug}/`,
              feedUrl: `/tags/${slug}/feed.xml`,
              source: id,
              items: [],
            }),
          );
        tag.items.push(item);
        let global = globalTags.get(slug);
        if (!global)
          globalTags.set(
            slug,
            (global = { name, slug, url: `/tags/${slug}/`, feedUrl: `/tags/${slug}/feed.xml`, items: [] }),
          );
        global.items.push(item);
      }
    }
    source.tags = [...sourceTags.values()].sort((a, b) => a.name.localeCompare(b.name));
    index.sourceTags.push(...source.tags);

    // The source's own index, a page of posts at a time (a list's index is its months).
    const total = Math.max(1, Math.ceil(posts.length / PAGE_SIZE));
    const pageUrl = (number: number) => (number === 1 ? `/${id}/` : `/${id}/page/${number}/`);
    for (let number = 1; number <= (source.kind === 'list' ? 1 : total); number++) {
      index.sourcePages.push({
        source,
        number,
        total,
        url: pageUrl(number),
        items: source.kind === 'list' ? [] : posts.slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE),
        previousUrl: number > 1 ? pageUrl(number - 1) : undefined,
        nextUrl: number < total && source.kind !== 'list' ? pageUrl(number + 1) : undefined,
      });
    }

    for (let position = 0; position < posts.length; position++) {
      index.neighbours[posts[position].url as string] = { next: posts[position - 1], previous: posts[position + 1] };
    }
    for (const thread of threads) {
      const byDate = thread.messages.map((message) => message.item).sort(oldestFirst);
      byDate.forEach((item, position) => {
        index.neighbours[item.url as string] = { previous: byDate[position - 1], next: byDate[position + 1], thread };
      });
    }
  }
  for (const tag of globalTags.values()) tag.items.sort(newestFirst);
  index.tags = [...globalTags.values()].sort((a, b) => a.name.localeCompare(b.name));
  index.posts.sort(newestFirst);
  index.threads.sort((a, b) => b.lastReply.getTime() - a.lastReply.getTime());
  return index;
}

function tagsOf(item: Item): string[] {
  const tags = item.data.tags;
  if (!Array.isArray(tags)) return [];
  return [...new Set(tags.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== ''))];
}

/** Messages grouped by their `thread` (the importer's JWZ threading), nested by `in_reply_to`. */
function buildThreads(source: string, messages: Item[]): Thread[] {
  const groups = new Map<string, Item[]>();
  for (const item of messages) {
    const id = text(item.data.thread) ?? text(item.data.message_id) ?? String(item.url);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = []));
    group.push(item);
  }
  const threads: Thread[] = [];
  for (const [id, items] of groups) {
    items.sort(oldestFirst);
    const byId = new Map<string, Item>();
    for (const item of items) {
      const messageId = text(item.data.message_id);
      if (messageId && !byId.has(messageId)) byId.set(messageId, item);
    }
    const children = new Map<Item | undefined, Item[]>();
    for (const item of items) {
      const parentId = text(item.data.in_reply_to);
      const parent = parentId && byId.get(parentId) !== item ? byId.get(parentId) : undefined;
      let siblings = children.get(parent);
      if (!siblings) children.set(parent, (siblings = []));
      siblings.push(item);
    }
    const ordered: ThreadMessage[] = [];
    const tree: ThreadMessage[] = [];
    const seen = new Set<Item>();
    // Depth-first without recursion (a chain of thousands of replies is a real thing); nesting stops at MAX_NESTING.
    const stack: [Item, number, ThreadMessage[]][] = [];
    const pushChildren = (items: readonly Item[], depth: number, into: ThreadMessage[]) => {
      for (let position = items.length - 1; position >= 0; position--) stack.push([items[position], depth, into]);
    };
    const drain = () => {
      while (stack.length > 0) {
        const [item, depth, siblings] = stack.pop()!;
        if (seen.has(item)) continue;
        seen.add(item);
        const message: ThreadMessage = {
          item,
          id: `m-${shortHash(text(item.data.message_id) ?? String(item.url), 10)}`,
          depth,
          replies: [],
        };
        ordered.push(message);
        siblings.push(message);
        const replies = children.get(item) ?? [];
        if (depth + 1 >= MAX_NESTING) pushChildren(replies, depth, siblings);
        else pushChildren(replies, depth + 1, message.replies);
      }
    };
    pushChildren(children.get(undefined) ?? [], 0, tree);
    drain();
    // Reply loops the importer did not break would leave messages unvisited: list them at the top level.
    for (const item of items) {
      if (seen.has(item)) continue;
      stack.push([item, 0, tree]);
      drain();
    }
    const root = byId.get(id) ?? ordered[0].item;
    const key = threadKey(id);
    threads.push({
      key,
      url: `/${source}/threads/${key}/`,
      source,
      subject: String(root.data.title ?? '').replace(/^((re|fwd?|aw|sv)(\[\d+\])?:\s*)+/i, '') || '(no subject)',
      started: items[0].date,
      lastReply: items[items.length - 1].date,
      participants: [
        ...new Set(items.map((item) => text(item.data.author)).filter((name): name is string => name !== undefined)),
      ],
      count: items.length,
      messages: ordered,
      tree,
    });
  }
  return threads.sort((a, b) => b.started.getTime() - a.started.getTime());
}
