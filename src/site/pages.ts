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

/** One page per item of `collections.almanac.<list>`, at the item's URL. */
function each(list: string, title: (entry: any) => string): Data {
  return {
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
  'home.njk': { ...single('/'), title: undefined },
  'source.njk': each('sourcePages', (entry) => (entry.number > 1 ? `${entry.source.title}, page ${entry.number}` : entry.source.title)),
  'year.njk': each('years', (entry) => `${entry.year} · ${entry.source}`),
  'month.njk': each('months', (entry) => `${entry.label} · ${entry.source}`),
  'thread.njk': each('threads', (entry) => entry.subject),
  'tags.njk': single('/tags/', 'Tags'),
  'tag.njk': each('tags', (entry) => `Tagged “${entry.name}”`),
  'source-tag.njk': each('sourceTags', (entry) => `Tagged “${entry.name}” · ${entry.source}`),
  'feed.njk': file(single('/feed.xml')),
  'source-feed.njk': file({ ...each('sources', () => ''), eleventyComputed: { permalink: (data: Data) => (data.entry as { feedUrl: string }).feedUrl } }),
  'tag-feed.njk': file({ ...each('tags', () => ''), eleventyComputed: { permalink: (data: Data) => (data.entry as { feedUrl: string }).feedUrl } }),
  'sitemap.njk': file(single('/sitemap.xml')),
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

export default function pages(eleventyConfig: any) {
  for (const [name, data] of Object.entries(PAGES)) {
    const body = data.pagination ? `{% include "${INCLUDED}${name}" %}` : readFileSync(path.join(here, 'pages', name), 'utf8');
    eleventyConfig.addTemplate(`_almanac/${name}`, body, data);
  }
  eleventyConfig.on('eleventy.engine.njk', ({ nunjucks, environment }: { nunjucks: any; environment: any }) => {
    const loader = new nunjucks.FileSystemLoader(here);
    // `almanac-pages/x.njk` → src/site/pages/x.njk; any other name falls through to the layouts.
    const getSource = loader.getSource.bind(loader);
    loader.getSource = (name: string) => (name.startsWith(INCLUDED) ? getSource(`pages/${name.slice(INCLUDED.length)}`) : null);
    loader.cache = {}; // as nunjucks.Environment sets up the loaders it is given
    environment.loaders.unshift(loader);
  });
}
