/**
 * Eleventy plugin: release notes as first-class pages. Self-contained: its own collections,
 * its pages as virtual templates (layouts/releases/*.njk), and the facts of each release
 * (versions, CVE links, reboot, discussion) set above the release note's own text.
 *
 *   /releases/                    every product with its latest release
 *   /releases/<product>/          a table of versions, newest first
 *   /releases/feed.xml            Atom, every release
 *   /releases/<product>/feed.xml  Atom, one product
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rss from '@11ty/eleventy-plugin-rss';
import type { List, ListItem, PhrasingContent, Root } from 'mdast';
import { mdastToMarkdown } from '../convert/markdown.ts';
import { PROJECT_ROOT } from '../project.ts';
import { compareVersions } from '../releases/extractVersions.ts';
import { cveUrl } from '../releases/findCves.ts';
import { readRelease, type Release } from '../releases/releaseDocument.ts';
import { humanDate, isoDate } from './filters.ts';
import { threadKey } from './siteIndex.ts';

const templates = path.join(PROJECT_ROOT, 'layouts/releases');

export interface ReleasesPluginOptions {
  /** The layout the pages are wrapped in (the site's page frame). */
  layout?: string;
}

/** The part of an Eleventy collection item read here. */
interface Item {
  url: string | false;
  date: Date;
  inputPath?: string;
  data: Record<string, unknown>;
}

export interface ReleaseView extends Release {
  item: Item;
  url: string;
  /** `6 May 2023`, as the document wrote its date. */
  dateLabel: string;
  /** For `<time datetime>`. */
  dateIso: string;
  cves: { id: string; url: string }[];
  discussionLink?: { url: string; replies: number };
}

export interface ReleaseRow {
  version: string;
  release: ReleaseView;
}

export interface ProductReleases {
  name: string;
  slug: string;
  url: string;
  feedUrl: string;
  /** Newest first (date, then version). */
  releases: ReleaseView[];
  /** One row per version, newest first: a weekly update naming three versions is three rows. */
  rows: ReleaseRow[];
  latest: ReleaseView;
}

export interface ReleaseFeed {
  url: string;
  title: string;
  /** The page the feed stands for. */
  pageUrl: string;
  releases: ReleaseView[];
}

/** Newest first: by date, then by the highest version named. */
export function newestFirst(a: Release, b: Release): number {
  const byDate = (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0);
  if (byDate !== 0) return byDate;
  const highest = (release: Release) => [...release.versions].sort(compareVersions).at(-1) ?? '';
  return compareVersions(highest(b), highest(a));
}

/** The thread id a document belongs to, as the site groups threads (src/site/siteIndex.ts). */
function threadOf(item: Item): string | undefined {
  const threaded = typeof item.data.thread === 'string' || item.data.kind === 'message';
  if (!threaded) return undefined;
  const id = [item.data.thread, item.data.message_id].find((value) => typeof value === 'string' && value.trim() !== '');
  return id as string | undefined;
}

/** Each mail thread of the site: the source it is in and how many messages it has. */
export type ThreadIndex = Map<string, { source: string; size: number }>;

export function indexThreads(all: readonly Item[]): ThreadIndex {
  const threads: ThreadIndex = new Map();
  for (const item of all) {
    const thread = threadOf(item);
    const source = item.data.source;
    if (!thread || !item.url || item.data.draft === true || typeof source !== 'string') continue;
    const known = threads.get(thread);
    if (known) known.size++;
    else threads.set(thread, { source, size: 1 });
  }
  return threads;
}

/** Every published release, read from the collection, with what its pages show. */
export function collectReleases(all: readonly Item[], threads: ThreadIndex = indexThreads(all)): ReleaseView[] {
  const releases: ReleaseView[] = [];
  for (const item of all) {
    if (item.data.kind !== 'release' || !item.url || item.data.draft === true) continue;
    const release = readRelease(item.data, item.inputPath ?? '');
    if (!release.productSlug || release.versions.length === 0) continue;
    release.date ??= item.date;
    const discussion = discussionOf(release.discussion, threads);
    releases.push({
      ...release,
      item,
      url: item.url,
      dateLabel: humanDate(item.data.date ?? item.date),
      dateIso: isoDate(item.data.date ?? item.date),
      cves: release.security.map((id) => ({ id, url: cveUrl(id) })),
      // An announcement is the first message of its own thread: the others are the replies.
      discussionLink: discussion && {
        url: discussion.url,
        replies: discussion.size - (threadOf(item) === discussion.id ? 1 : 0),
      },
    });
  }
  return releases.sort(newestFirst);
}

/**
 * Where a release is discussed: `discussion` is a page (a path or URL), or the Message-ID of a
 * thread root (imported announcements; hand-written notes too), linked only when the thread is on the site.
 */
export function discussionOf(
  discussion: string | undefined,
  threads: ThreadIndex,
): { id: string; url: string; size: number } | undefined {
  if (!discussion) return undefined;
  if (/^(\/|https?:\/\/)/.test(discussion)) return { id: discussion, url: discussion, size: 0 };
  // Message-IDs are written with or without their angle brackets.
  const id = threads.has(discussion) ? discussion : discussion.replace(/^<(.*)>$/, '$1');
  const thread = threads.get(id);
  return thread && { id, url: discussionUrl(thread.source, id), size: thread.size };
}

export function discussionUrl(source: string, thread: string): string {
  return `/${source}/threads/${threadKey(thread)}/`;
}

/**
 * A release note's text is rendered before the site's threads are known, so its discussion link
 * points at a stand-in path that the HTML transform below replaces with the thread's page.
 */
const DISCUSSION_STAND_IN = /<a href="\/releases\/-discussion\/([0-9a-f]+)\/">([^<]*)<\/a>/g;

export function discussionStandIn(discussion: string): string {
  return `/releases/-discussion/${Buffer.from(discussion).toString('hex')}/`;
}

export function resolveDiscussionLinks(html: string, threads: ThreadIndex): string {
  return html.replace(DISCUSSION_STAND_IN, (_all, hex: string, text: string) => {
    const found = discussionOf(Buffer.from(hex, 'hex').toString(), threads);
    return found ? `<a href="${found.url}">${text}</a>` : 'a thread that is not in this knowledge base';
  });
}

export function groupByProduct(releases: readonly ReleaseView[]): ProductReleases[] {
  const products = new Map<string, ProductReleases>();
  for (const release of releases) {
    let product = products.get(release.productSlug);
    if (!product) {
      const url = `/releases/${release.productSlug}/`;
      products.set(
        release.productSlug,
        (product = {
          name: release.product,
          slug: release.productSlug,
          url,
          feedUrl: `${url}feed.xml`,
          releases: [],
          rows: [],
          latest: release,
        }),
      );
    }
    product.releases.push(release);
    const versions = [...release.versions].sort(compareVersions).reverse();
    for (const version of versions) product.rows.push({ version, release });
  }
  // Releases arrive newest first, so each product's first one is its latest; products by their latest.
  return [...products.values()].sort((a, b) => newestFirst(a.latest, b.latest) || a.slug.localeCompare(b.slug));
}

/** The facts above a release note's text, as Markdown (the site's Markdown engine renders and sanitizes it). */
export function releaseFactsMarkdown(data: Record<string, unknown>, inputPath = ''): string | undefined {
  const release = readRelease(data, inputPath);
  if (!release.productSlug || release.versions.length === 0) return undefined;
  const text = (value: string): PhrasingContent => ({ type: 'text', value });
  const strong = (value: string): PhrasingContent => ({ type: 'strong', children: [text(value)] });
  const link = (url: string, value: string): PhrasingContent => ({ type: 'link', url, children: [text(value)] });
  const item = (...children: PhrasingContent[]): ListItem => ({
    type: 'listItem',
    spread: false,
    children: [{ type: 'paragraph', children }],
  });
  const items: ListItem[] = [
    item(
      strong(release.versions.length === 1 ? 'Version:' : 'Versions:'),
      text(` ${release.versions.join(', ')} of `),
      link(`/releases/${release.productSlug}/`, release.product),
    ),
  ];
  if (release.security.length > 0) {
    const links = release.security.flatMap((id, index) => [...(index > 0 ? [text(', ')] : []), link(cveUrl(id), id)]);
    items.push(item(strong('Security fixes:'), text(' '), ...links));
  }
  if (release.requiresReboot) items.push(item(strong('Requires a reboot.')));
  const discussion = release.discussion;
  if (discussion && /^(\/|https?:\/\/)/.test(discussion))
    items.push(item(strong('Discussion:'), text(' '), link(discussion, 'replies and questions')));
  else if (discussion)
    items.push(
      item(strong('Discussion:'), text(' '), link(discussionStandIn(discussion), 'the thread on the mailing list')),
    );
  const list: List = { type: 'list', ordered: false, spread: false, children: items };
  const tree: Root = { type: 'root', children: [list, { type: 'thematicBreak' }] };
  return mdastToMarkdown(tree);
}

/** The line above a reply to a release announcement. */
export function replyNoteMarkdown(releaseUrl: string): string {
  const tree: Root = {
    type: 'root',
    children: [
      {
        type: 'paragraph',
        children: [
          {
            type: 'emphasis',
            children: [
              { type: 'text', value: 'In the discussion of a release: ' },
              { type: 'link', url: releaseUrl, children: [{ type: 'text', value: 'the release note' }] },
              { type: 'text', value: '.' },
            ],
          },
        ],
      },
    ],
  };
  return mdastToMarkdown(tree);
}

function template(name: string): string {
  return readFileSync(path.join(templates, name), 'utf8');
}

export default function releasesPlugin(eleventyConfig: any, options: ReleasesPluginOptions = {}) {
  const layout = options.layout ?? 'base.njk';

  // Collections: every release newest first; per product; the feeds (all, then one per product).
  let cached:
    | { all: readonly Item[]; threads: ThreadIndex; releases: ReleaseView[]; pages: Set<string | undefined> }
    | undefined;
  const releasesOf = (collectionApi: any): ReleaseView[] => {
    const all = collectionApi.getAll() as Item[];
    if (cached?.all !== all) {
      const threads = indexThreads(all);
      const releases = collectReleases(all, threads);
      cached = { all, threads, releases, pages: new Set(releases.map((release) => release.item.inputPath)) };
    }
    return cached.releases;
  };
  eleventyConfig.addCollection('releases', (collectionApi: any) => releasesOf(collectionApi));
  eleventyConfig.addCollection('releaseProducts', (collectionApi: any) => groupByProduct(releasesOf(collectionApi)));
  eleventyConfig.addCollection('releaseFeeds', (collectionApi: any): ReleaseFeed[] => {
    const releases = releasesOf(collectionApi);
    const products = groupByProduct(releases);
    return [
      { url: '/releases/feed.xml', title: 'Releases', pageUrl: '/releases/', releases },
      ...products.map((product) => ({
        url: product.feedUrl,
        title: `${product.name} releases`,
        pageUrl: product.url,
        releases: product.releases,
      })),
    ];
  });

  // Each release note opens with its facts (versions, CVE links, the reboot note, its discussion);
  // a reply to an announcement says which release it discusses.
  eleventyConfig.addPreprocessor('release-facts', 'md', (data: Record<string, unknown>, content: string) => {
    const inputPath = String((data.page as { inputPath?: string } | undefined)?.inputPath ?? '');
    if (data.kind === 'release') {
      const facts = releaseFactsMarkdown(data, inputPath);
      if (!facts)
        process.stderr.write(
          `warning: ${inputPath}: kind: release without a product or versions; it is left out of /releases/ (add product: and versions: to its frontmatter)\n`,
        );
      return facts ? `${facts}\n${content}` : undefined;
    }
    const release = data.release;
    if (data.kind === 'message' && typeof release === 'string' && /^(\/|https?:\/\/)/.test(release))
      return `${replyNoteMarkdown(release)}\n${content}`;
    return undefined;
  });

  // Collections are built before anything renders, so the thread index is there for every page.
  // Only a release's own page holds its stand-in: profiled, searching every page's HTML for it
  // (flattening Nunjucks' concatenated output first) was 1.3 s of a 5,000-post rebuild.
  eleventyConfig.addTransform(
    'release-discussion-links',
    function (this: { page: { inputPath?: string; outputPath?: string | false } }, html: string) {
      if (!cached?.pages.has(this.page.inputPath)) return html;
      if (!String(this.page.outputPath).endsWith('.html') || !html.includes('/releases/-discussion/')) return html;
      return resolveDiscussionLinks(html, cached.threads);
    },
  );

  // The same for the notes inside the feeds (item content is taken before transforms run).
  eleventyConfig.addFilter('releaseDiscussionLinks', (html: unknown) =>
    resolveDiscussionLinks(String(html ?? ''), cached?.threads ?? new Map()),
  );

  // The tables' stylesheet, linked from the pages themselves (a body-ok <link>): the site's CSS stays the site's.
  eleventyConfig.addPassthroughCopy({ [path.join(templates, 'releases.css')]: 'assets/releases.css' });

  // Feeds: the RSS plugin's date and absolute-URL filters (adding it twice is harmless: it is unique).
  eleventyConfig.addPlugin(rss);
  /** One page per item of a collection; `computed` gets that item (its URL becomes the permalink). */
  const each = (
    list: string,
    alias: string,
    computed: Record<string, (entry: any) => unknown>,
    extra: Record<string, unknown>,
  ) => ({
    pagination: { data: `collections.${list}`, size: 1, alias, addAllPagesToCollections: false },
    // Our own permalinks are computed (content's are not: imported text is never a template).
    dynamicPermalink: true,
    eleventyExcludeFromCollections: true,
    eleventyComputed: Object.fromEntries(
      Object.entries(computed).map(([key, compute]) => [key, (data: any) => compute(data[alias])]),
    ),
    ...extra,
  });
  eleventyConfig.addTemplate('_almanac/releases/index.njk', template('index.njk'), {
    permalink: '/releases/',
    title: 'Releases',
    feed: { title: 'All releases', url: '/releases/feed.xml' },
    // Rendered again by `almanac serve` when a release changes (a collection read in the text is not seen).
    eleventyImport: { collections: ['releaseProducts'] },
    layout,
    eleventyExcludeFromCollections: true,
  });
  eleventyConfig.addTemplate(
    '_almanac/releases/product.njk',
    template('product.njk'),
    each(
      'releaseProducts',
      'product',
      {
        permalink: (product: ProductReleases) => product.url,
        title: (product: ProductReleases) => `${product.name} releases`,
        feed: (product: ProductReleases) => ({ title: `${product.name} releases`, url: product.feedUrl }),
      },
      { layout },
    ),
  );
  eleventyConfig.addTemplate(
    '_almanac/releases/feed.njk',
    template('feed.njk'),
    each('releaseFeeds', 'feed', { permalink: (feed: ReleaseFeed) => feed.url }, { layout: false }),
  );
}
