import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Eleventy plugin: the site's own pages, as virtual templates (src/site/pages/*.njk), so the
 * content folder holds content only. List pages paginate over the `almanac` collection
 * (src/site/collections.ts); each item carries its own `url`, which becomes the permalink.
 * This table is the map of the site's generated pages.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

type Data = Record<string, unknown>;

/**
 * Pages built from the site index say so: Eleventy's incremental rebuild (`almanac serve`)
 * renders again only templates that consume a collection the changed file is in, and a
 * pagination over `collections.almanac.months` names no collection it knows. Without this a
 * retitled post kept its old title on the home page, archives, tags and feeds
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
    eleventyComputed: { permalink: (data: Data) => (data.entry as { url: string }).url, title: (data: Data) => title(data.entry) },
  };
}

const single = (permalink: string, title?: string): Data => ({ permalink, title, layout: 'base.njk', eleventyExcludeFromCollections: true });
/** Feeds and other files that are not HTML pages. */
const file = (data: Data): Data => ({ ...data, layout: false });

export const PAGES: Record<string, Data> = {
  'home.njk': { ...single('/'), ...LISTS_DOCUMENTS, title: undefined },
  'source.njk': each('sourcePages', (entry) => (entry.number > 1 ? `${entry.source.title}, page ${entry.number}` : entry.source.title)),
  'year.njk': each('years', (entry) => `${entry.year} · ${entry.source}`),
  'month.njk': each('months', (entry) => `${entry.label} · ${entry.source}`),
  'thread.njk': each('threads', (entry) => entry.subject),
  'tags.njk': { ...single('/tags/', 'Tags'), ...LISTS_DOCUMENTS },
  'tag.njk': each('tags', (entry) => `Tagged “${entry.name}”`),
  'source-tag.njk': each('sourceTags', (entry) => `Tagged “${entry.name}” · ${entry.source}`),
  'feed.njk': file({ ...single('/feed.xml'), ...LISTS_DOCUMENTS }),
  'source-feed.njk': file({ ...each('sources', () => ''), eleventyComputed: { permalink: (data: Data) => (data.entry as { feedUrl: string }).feedUrl } }),
  'tag-feed.njk': file({ ...each('tags', () => ''), eleventyComputed: { permalink: (data: Data) => (data.entry as { feedUrl: string }).feedUrl } }),
  'sitemap.njk': file({ ...single('/sitemap.xml'), ...LISTS_DOCUMENTS }),
  'robots.njk': file(single('/robots.txt')),
  '404.njk': single('/404.html', 'Page not found'),
};

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
  return [data.title, data.date instanceof Date ? data.date.getTime() : data.date, data.source, data.author, comments, withSummary ? item.content : undefined];
}

function sameInputs(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

export default function pages(eleventyConfig: any) {
  for (const [name, data] of Object.entries(PAGES)) {
    const body = data.pagination ? `{% include "${INCLUDED}${name}" %}` : readFileSync(path.join(here, 'pages', name), 'utf8');
    eleventyConfig.addTemplate(`_almanac/${name}`, body, data);
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
    if (html === undefined) sidebars.set(source, (html = nunjucksEnvironment.render('partials/source-sidebar.njk', { source }) as string));
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
        if (!row || !sameInputs(row.shows, shows)) row = { shows, html: (nunjucksEnvironment.render('partials/post-list-item.njk', { item, showSource, withSummary }) as string).trimEnd() };
        rows.set(key, row);
        return `\n  ${row.html}`;
      })
      .join('');
  });
  eleventyConfig.on('eleventy.engine.njk', ({ nunjucks, environment }: { nunjucks: any; environment: any }) => {
    nunjucksEnvironment = environment;
    const loader = new nunjucks.FileSystemLoader(here);
    // `almanac-pages/x.njk` → src/site/pages/x.njk; any other name falls through to the layouts.
    const getSource = loader.getSource.bind(loader);
    loader.getSource = (name: string) => (name.startsWith(INCLUDED) ? getSource(`pages/${name.slice(INCLUDED.length)}`) : null);
    loader.cache = {}; // as nunjucks.Environment sets up the loaders it is given
    environment.loaders.unshift(loader);
  });
}
