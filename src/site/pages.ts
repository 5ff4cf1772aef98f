import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project.ts';
import { latestMessages } from './filters.ts';
import type { Item, SiteIndex, Source, Thread } from './siteIndex.ts';

/**
 * Eleventy plugin: the site's own pages, as virtual templates (src/site/pages/*.njk), so the
 * content folder holds content only. List pages paginate over the `almanac` collection
 * (src/site/collections.ts); each item carries its own `url`, which becomes the permalink.
 * This table is the map of the site's generated pages.
 */
/** The page templates, in the sources (they are not compiled: dist/ holds JavaScript only). */
const here = path.join(PROJECT_ROOT, 'src/site');

type Data = Record<string, unknown>;

/**
 * Pages built from the site index say so: Eleventy's incremental rebuild (`almanac serve`)
 * renders again only templates that consume a collection the changed file is in, and the home
 * page, tags, feed and sitemap name none otherwise (nor did a pagination over
 * `collections.almanac.months` before patches/@11ty+eleventy+3.1.8+001+incremental-rebuild.patch).
 * Without this a retitled post kept its old title on the home page, archives, tags and feeds
 * (test/site-watch.test.ts).
 */
const LISTS_DOCUMENTS: Data = { eleventyImport: { collections: ['almanac'] } };

/** One page per item of `collections.almanac.<list>`, at the item's URL. */
function each(list: string, title: (entry: any) => string): Data {
  return {
    ...LISTS_DOCUMENTS,
    pagination: { data: `collections.almanac.${list}`, size: 1, alias: 'entry', addAllPagesToCollections: false },
    layout: 'base.njk',
    eleventyExcludeFromCollections: true,
    eleventyComputed: {
      permalink: (data: Data) => (data.entry as { url: string }).url,
      title: (data: Data) => title(data.entry),
    },
  };
}

const single = (permalink: string, title?: string): Data => ({
  permalink,
  title,
  layout: 'base.njk',
  eleventyExcludeFromCollections: true,
});
/** Feeds and other files that are not HTML pages. */
const file = (data: Data): Data => ({ ...data, layout: false });

export const PAGES: Record<string, Data> = {
  'home.njk': { ...single('/'), ...LISTS_DOCUMENTS, title: undefined },
  'source.njk': each('sourcePages', (entry) =>
    entry.number > 1 ? `${entry.source.title}, page ${entry.number}` : entry.source.title,
  ),
  'year.njk': each('years', (entry) => `${entry.year} · ${entry.source}`),
  'month.njk': each('months', (entry) => `${entry.label} · ${entry.source}`),
  'thread.njk': each('threads', (entry) => entry.subject),
  'tags.njk': { ...single('/tags/', 'Tags'), ...LISTS_DOCUMENTS },
  'tag.njk': each('tags', (entry) => `Tagged “${entry.name}”`),
  'source-tag.njk': each('sourceTags', (entry) => `Tagged “${entry.name}” · ${entry.source}`),
  'feed.njk': file({ ...single('/feed.xml'), ...LISTS_DOCUMENTS }),
  'source-feed.njk': file({
    ...each('sources', () => ''),
    eleventyComputed: { permalink: (data: Data) => (data.entry as { feedUrl: string }).feedUrl },
  }),
  'tag-feed.njk': file({
    ...each('tags', () => ''),
    eleventyComputed: { permalink: (data: Data) => (data.entry as { feedUrl: string }).feedUrl },
  }),
  'sitemap.njk': file({ ...single('/sitemap.xml'), ...LISTS_DOCUMENTS }),
  'robots.njk': file(single('/robots.txt')),
  '404.njk': single('/404.html', 'Page not found'),
};

/**
 * What one page of a list template shows: the documents it prints (their rows, messages or feed
 * entries, which only the document itself can change) and, as `value`, everything else it prints
 * of the site index (its documents' URLs, counts, its source's sidebar). A page that shows
 * neither the changed document nor a different value than when it was last written would be
 * written again byte for byte (test/site-watch.test.ts compares with a whole build).
 */
interface Shown {
  documents: readonly Item[];
  value: unknown;
}

const urls = (items: readonly Item[]) => items.map((item) => item.url);
const threadValue = (thread: Thread) => [
  thread.url,
  thread.subject,
  thread.source,
  thread.count,
  thread.participants,
  thread.started.getTime(),
  thread.lastReply.getTime(),
];

/** Everything a source's header and sidebar (partials/source-sidebar.njk) print of it. */
function sourceValue(source: Source): unknown {
  return [
    source.url,
    source.title,
    source.description,
    source.kind,
    source.feedUrl,
    source.posts.length,
    source.threads.length,
    source.messageCount,
    source.years.map((year) => [
      year.url,
      year.count,
      year.months.map((month) => [month.url, month.label, month.posts.length + month.threads.length]),
    ]),
    source.tags.map((tag) => [tag.url, tag.name, tag.items.length]),
    source.pages.map((item) => [item.url, item.data.title]),
  ];
}

/** Every document a list page can show (the list pages' data is the index alone: `collections.all` is not there yet). */
function documentsListed(index: SiteIndex): Item[] {
  return index.sources.flatMap((source) => [
    ...source.posts,
    ...source.pages,
    ...source.threads.flatMap((thread) => thread.messages.map((message) => message.item)),
  ]);
}

/** What base.njk prints of the index on every page: a change there renders every page again. */
const chromeValue = (index: SiteIndex) => [
  index.sources.slice(0, 5).map((source) => [source.url, source.title]),
  index.tags.length > 0,
  index.releases.length > 0,
  index.docs.length > 0,
];

/** Per list template, what one of its pages shows; `sourceOf` reads a source's value once per build. */
const SHOWN_BY: Record<string, (entry: any, index: SiteIndex, sourceOf: (source: Source) => string) => Shown> = {
  'source.njk': (entry, _index, sourceOf) => ({
    documents: entry.items,
    value: [
      entry.url,
      entry.number,
      entry.total,
      entry.previousUrl,
      entry.nextUrl,
      urls(entry.items),
      sourceOf(entry.source),
      entry.source.kind === 'list' ? (entry.source.years[0]?.months[0]?.threads ?? []).map(threadValue) : [],
    ],
  }),
  'year.njk': (entry, index, sourceOf) => ({
    documents: entry.months.flatMap((month: { posts: Item[] }) => month.posts),
    value: [
      entry.url,
      entry.year,
      entry.count,
      entry.months.map((month: { url: string; label: string; posts: Item[]; threads: Thread[] }) => [
        month.url,
        month.label,
        urls(month.posts),
        month.threads.map(threadValue),
      ]),
      sourceOf(index.sourceById[entry.source]),
    ],
  }),
  'month.njk': (entry, index, sourceOf) => ({
    documents: entry.posts,
    value: [
      entry.url,
      entry.label,
      urls(entry.posts),
      entry.threads.map(threadValue),
      sourceOf(index.sourceById[entry.source]),
    ],
  }),
  'thread.njk': (entry, index) => ({
    documents: entry.messages.map((message: { item: Item }) => message.item),
    // Reading order and depth are the reply tree.
    value: [
      threadValue(entry),
      entry.messages.map((message: { id: string; depth: number; item: Item }) => [
        message.id,
        message.depth,
        message.item.url,
      ]),
      index.sourceById[entry.source]?.url,
      index.sourceById[entry.source]?.title,
    ],
  }),
  'tag.njk': (entry) => ({ documents: entry.items, value: [entry.url, entry.name, entry.feedUrl, urls(entry.items)] }),
  'source-tag.njk': (entry, index) => ({
    documents: entry.items,
    value: [
      entry.url,
      entry.name,
      entry.slug,
      entry.feedUrl,
      urls(entry.items),
      index.sourceById[entry.source]?.url,
      index.sourceById[entry.source]?.title,
    ],
  }),
  'source-feed.njk': (entry) => {
    const documents = entry.kind === 'blog' ? entry.posts.slice(0, 20) : latestMessages(entry.threads, 20);
    return { documents, value: [entry.feedUrl, entry.url, entry.title, entry.kind, urls(documents)] };
  },
  'tag-feed.njk': (entry) => {
    const documents = entry.items.slice(0, 20);
    return { documents, value: [entry.feedUrl, entry.url, entry.name, urls(documents)] };
  },
};

/**
 * Which pages of each list template a build renders, as the templates' `pagination.before`: all
 * of them in a whole build; in a watching rebuild for one changed document (`almanac serve`),
 * those that show it or whose value (Shown) differs from when they were last written, where
 * Eleventy would render every page of every list. Profiled on 5,000 posts: rendering and writing
 * the 1,694 list pages again was over half of rebuilding one post, for the ~15 that differ.
 */
function listPagesToRender(
  eleventyConfig: any,
): (name: string, entries: any[], data: { collections?: { almanac?: SiteIndex } }) => any[] {
  // Each page's value when last written, by template and URL: kept once a build has finished.
  const written = new Map<string, Map<string, string>>();
  let showing = new Map<string, Map<string, string>>();
  // The document a watching rebuild is for (absolute); undefined in a whole build, or when anything but one document changed.
  let rebuilding: string | undefined;
  eleventyConfig.on('eleventy.beforeWatch', (changed: string[]) => {
    rebuilding = changed.length === 1 && changed[0].endsWith('.md') ? path.resolve(changed[0]) : undefined;
  });
  eleventyConfig.on('eleventy.before', () => {
    showing = new Map();
  });
  eleventyConfig.on('eleventy.after', () => {
    for (const [name, values] of showing) written.set(name, values);
    rebuilding = undefined;
  });
  const builds = new WeakMap<SiteIndex, { chrome: string; changed: Set<Item>; sources: WeakMap<Source, string> }>();
  return (name, entries, data) => {
    const index = data.collections?.almanac;
    if (!index) return entries;
    let build = builds.get(index);
    if (!build) {
      const documents =
        rebuilding === undefined
          ? []
          : documentsListed(index).filter(
              (item) => path.resolve(String((item as { inputPath?: string }).inputPath)) === rebuilding,
            );
      builds.set(
        index,
        (build = { chrome: JSON.stringify(chromeValue(index)), changed: new Set(documents), sources: new WeakMap() }),
      );
    }
    const { chrome, changed, sources } = build;
    const sourceOf = (source: Source) => {
      let digest = sources.get(source);
      if (digest === undefined)
        sources.set(
          source,
          (digest = createHash('sha1')
            .update(JSON.stringify(sourceValue(source)))
            .digest('hex')),
        );
      return digest;
    };
    const last = written.get(name);
    const values = new Map<string, string>();
    const picked = entries.filter((entry) => {
      const shown = SHOWN_BY[name](entry, index, sourceOf);
      const value = `${chrome}\n${JSON.stringify(shown.value)}`;
      values.set(entry.url, value);
      return (
        rebuilding === undefined || last?.get(entry.url) !== value || shown.documents.some((item) => changed.has(item))
      );
    });
    showing.set(name, values);
    return picked;
  };
}

/**
 * Eleventy compiles a Nunjucks template once per page it renders, so a paginated page's body is
 * only an include of its file: Nunjucks compiles that once (profiled: 1,040 compiles of month.njk
 * and friends took 0.6 s of a 1,000-post build). Pages not paginated keep their text, which
 * Eleventy reads for the collections they use. The include's name resolves here first.
 */
const INCLUDED = 'almanac-pages/';

interface ListItem {
  url?: string;
  content?: unknown;
  data?: { title?: unknown; date?: unknown; source?: unknown; author?: unknown; comments?: unknown };
}

interface ListRow {
  shows: unknown[];
  html: string;
}

/** Everything partials/post-list-item.njk reads of an item (a Date by its time: each build has its own). */
function rowInputs(item: ListItem, withSummary: boolean): unknown[] {
  const data = item.data ?? {};
  const comments = Array.isArray(data.comments) ? data.comments.length : data.comments;
  return [
    data.title,
    data.date instanceof Date ? data.date.getTime() : data.date,
    data.source,
    data.author,
    comments,
    withSummary ? item.content : undefined,
  ];
}

function sameInputs(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

export default function pages(eleventyConfig: any) {
  const pagesToRender = listPagesToRender(eleventyConfig);
  for (const [name, data] of Object.entries(PAGES)) {
    const body = data.pagination
      ? `{% include "${INCLUDED}${name}" %}`
      : readFileSync(path.join(here, 'pages', name), 'utf8');
    const pagination = data.pagination && {
      ...(data.pagination as Data),
      before: (entries: any[], all: Data) => pagesToRender(name, entries, all),
    };
    eleventyConfig.addTemplate(`_almanac/${name}`, body, pagination ? { ...data, pagination } : data);
  }
  // Parts that are the same wherever they appear are rendered once. Profiled on 5,000 posts: a
  // source's sidebar (its 243 archive links and 30 tags) on each of its 292 index and archive
  // pages, and each post's row in the ~9 lists that show it (index, year, month, tags), were most
  // of rendering the 1,700 list pages; a watching rebuild renders them all again for one post.
  let nunjucksEnvironment: any;
  // A source's sidebar, once per build (the Source objects are the build's).
  let sidebars = new WeakMap<object, string>();
  // A post's row, kept across builds for as long as what it shows is unchanged; rows no list showed in the last build are dropped.
  let rows = new Map<string, ListRow>();
  let previousRows = new Map<string, ListRow>();
  eleventyConfig.on('eleventy.before', () => {
    sidebars = new WeakMap();
    previousRows = rows;
    rows = new Map();
  });
  // A changed template, stylesheet or config (anything but a document) can change every row: none is kept.
  eleventyConfig.on('eleventy.beforeWatch', (changed: string[]) => {
    if (changed.some((file) => !file.endsWith('.md'))) rows = new Map();
  });
  eleventyConfig.addFilter('sourceSidebar', (source: object) => {
    let html = sidebars.get(source);
    if (html === undefined)
      sidebars.set(source, (html = nunjucksEnvironment.render('partials/source-sidebar.njk', { source }) as string));
    return html;
  });
  // The rows of partials/post-list.njk, each indented on its own line; a row template's last newline is not part of it.
  eleventyConfig.addFilter('postListItems', (items: unknown, showSource: unknown, withSummary: unknown) => {
    if (!Array.isArray(items)) return '';
    const variant = `${Boolean(showSource)} ${Boolean(withSummary)}`;
    return items
      .map((item: ListItem) => {
        const key = `${variant}\0${item.url}`;
        const shows = rowInputs(item, Boolean(withSummary));
        let row = rows.get(key) ?? previousRows.get(key);
        if (!row || !sameInputs(row.shows, shows))
          row = {
            shows,
            html: (
              nunjucksEnvironment.render('partials/post-list-item.njk', { item, showSource, withSummary }) as string
            ).trimEnd(),
          };
        rows.set(key, row);
        return `\n  ${row.html}`;
      })
      .join('');
  });
  // A feed entry's content with its links made absolute (the RSS plugin's transformWithHtmlBase),
  // kept per document while its content is the same: a document is in up to ~6 feeds (the site's,
  // its source's, its tags'). Profiled on 5,000 posts: posthtml was ~0.15 s of a one-post rebuild.
  const feedContents = new Map<string, { content: unknown; base: unknown; html: string }>();
  eleventyConfig.addAsyncFilter(
    'feedContent',
    async function (this: unknown, content: unknown, base: unknown, url: string) {
      const kept = feedContents.get(url);
      if (kept && kept.content === content && kept.base === base) return kept.html;
      const html = (await eleventyConfig.getFilter('transformWithHtmlBase').call(this, content, base, url)) as string;
      feedContents.set(url, { content, base, html });
      return html;
    },
  );
  eleventyConfig.on('eleventy.engine.njk', ({ nunjucks, environment }: { nunjucks: any; environment: any }) => {
    nunjucksEnvironment = environment;
    const loader = new nunjucks.FileSystemLoader(here);
    // `almanac-pages/x.njk` → src/site/pages/x.njk; any other name falls through to the layouts.
    const getSource = loader.getSource.bind(loader);
    loader.getSource = (name: string) =>
      name.startsWith(INCLUDED) ? getSource(`pages/${name.slice(INCLUDED.length)}`) : null;
    loader.cache = {}; // as nunjucks.Environment sets up the loaders it is given
    environment.loaders.unshift(loader);
  });
}
