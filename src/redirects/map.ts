import path from 'node:path';
import { scanContent, type ContentDocument } from '../content/contentIndex.ts';
import { makeSlug } from '../slug.ts';
import { decodePath } from './paths.ts';

/** One old URL and where it lives now. Paths are decoded (see paths.ts). */
export interface Redirect {
  /** The old path, decoded, starting with `/`. */
  from: string;
  /** The old URL's exact query (raw, without `?`), for old URLs told apart by their query. */
  query?: string;
  /** The new path, decoded. */
  to: string;
  /** Who asked for it: a document (`content/…md`) or a rule of the old platform. */
  origin: string;
  /** `platform`: an address the old platform had besides its posts (labels, archives, feeds), which a document's own redirect_from overrides. */
  kind?: 'document' | 'platform';
  /** The source (folder under content/) it belongs to. */
  source?: string;
}

/** What the old site was, which decides the URLs it had besides its posts. */
export type SourceType = 'blogger' | 'roller' | 'other';

export interface SourceSummary {
  id: string;
  type: SourceType;
}

export interface MapOptions {
  /**
   * Only this source, for a server block that answers the old blog's own host: its
   * `/` then redirects to `/<source>/` (in a config for the whole site `/` is the new home page).
   */
  source?: string;
}

export interface CandidateMap {
  candidates: Redirect[];
  /** Every page the site will have (decoded paths), from the URL scheme in BRIEFING/DESIGN. */
  pages: Set<string>;
  sources: SourceSummary[];
  warnings: string[];
}

interface SourceDocuments {
  id: string;
  type: SourceType;
  documents: ContentDocument[];
}

/** The old URLs of `content/` and the pages the site built from it will have. */
export async function buildCandidateMap(contentDir: string, options: MapOptions = {}): Promise<CandidateMap> {
  const { documents, problems } = await scanContent(contentDir);
  const warnings = problems.map((problem) => `${path.join(contentDir, problem.file)}: ${problem.message}`);
  const published = documents.filter((document) => document.permalink && document.data.draft !== true);
  const pages = sitePages(published);
  const candidates: Redirect[] = [];
  const where = (document: ContentDocument) => path.join(contentDir, document.file);

  for (const document of documents) {
    if (document.redirectFrom.length === 0) continue;
    if (options.source && sourceOf(document) !== options.source) continue;
    if (!document.permalink) {
      warnings.push(`${where(document)}: redirect_from without a permalink; its old URLs are left out`);
      continue;
    }
    if (document.data.draft === true) {
      warnings.push(
        `${where(document)}: a draft is not published; its ${document.redirectFrom.length} old URL(s) are left out`,
      );
      continue;
    }
    for (const old of document.redirectFrom) {
      const parsed = parseOldPath(old);
      if (!parsed) {
        warnings.push(
          `${where(document)}: redirect_from "${old}" is not a path on the old site (or not valid UTF-8 once decoded); left out`,
        );
        continue;
      }
      candidates.push({
        ...parsed,
        to: document.permalink,
        origin: where(document),
        kind: 'document',
        source: sourceOf(document),
      });
    }
  }

  const sources = groupSources(published);
  for (const source of sources) {
    if (options.source && source.id !== options.source) continue;
    if (source.type === 'blogger') candidates.push(...bloggerUrls(source, options));
    if (source.type === 'roller') candidates.push(...rollerUrls(source));
  }
  return { candidates, pages, sources: sources.map(({ id, type }) => ({ id, type })), warnings };
}

/** `/2020/05/a.html?x=1` → decoded path and query; only paths on the old site itself (an absolute URL gives its path). */
export function parseOldPath(old: string): { from: string; query?: string } | undefined {
  let text = old.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    try {
      const url = new URL(text);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
      text = url.pathname + url.search;
    } catch {
      return undefined;
    }
  }
  if (!text.startsWith('/') || text.startsWith('//')) return undefined;
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  const mark = text.indexOf('?');
  const from = decodePath(mark >= 0 ? text.slice(0, mark) : text);
  const query = mark >= 0 ? text.slice(mark + 1) : undefined;
  if (from === undefined) return undefined;
  return query ? { from, query } : { from };
}

function sourceOf(document: ContentDocument): string {
  return typeof document.data.source === 'string' ? document.data.source : document.file.split('/')[0];
}

function tagsOf(document: ContentDocument): string[] {
  return Array.isArray(document.data.tags)
    ? document.data.tags.filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '')
    : [];
}

export function tagSlug(tag: string): string {
  return makeSlug(tag, tag);
}

/** Year and month of a post in the site's archives: its permalink's `/yyyy/mm/`, as the import chose them. */
function yearMonthOf(document: ContentDocument): [string, string] | undefined {
  const source = sourceOf(document);
  const fromPermalink = new RegExp(`^/${escapeRegExp(source)}/(\\d{4})/(\\d{2})/`).exec(document.permalink ?? '');
  if (fromPermalink) return [fromPermalink[1], fromPermalink[2]];
  const fromDate = typeof document.data.date === 'string' ? /^(\d{4})-(\d{2})/.exec(document.data.date) : null;
  return fromDate ? [fromDate[1], fromDate[2]] : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The site's pages per the URL scheme: documents, source indexes, archives, tags, feeds. */
function sitePages(published: readonly ContentDocument[]): Set<string> {
  const pages = new Set<string>(['/', '/feed.xml', '/tags/']);
  for (const document of published) {
    const permalink = decodePath(document.permalink!) ?? document.permalink!;
    pages.add(permalink);
    const source = sourceOf(document);
    const kind = document.data.kind;
    if (kind === 'release') {
      pages.add('/releases/').add('/releases/feed.xml');
      if (typeof document.data.product === 'string')
        pages.add(`/releases/${document.data.product}/`).add(`/releases/${document.data.product}/feed.xml`);
    }
    if (document.file.startsWith('docs/')) continue;
    pages.add(`/${source}/`).add(`/${source}/feed.xml`);
    if (kind === 'post' || kind === 'message' || kind === 'release') {
      const yearMonth = yearMonthOf(document);
      if (yearMonth) pages.add(`/${source}/${yearMonth[0]}/`).add(`/${source}/${yearMonth[0]}/${yearMonth[1]}/`);
    }
    for (const tag of tagsOf(document)) {
      const slug = tagSlug(tag);
      pages.add(`/${source}/tags/${slug}/`).add(`/tags/${slug}/`).add(`/tags/${slug}/feed.xml`);
    }
  }
  return pages;
}

/** Sources by folder, each with the type of the old site, told by its documents (content/ alone: the importer's state is its own). */
function groupSources(published: readonly ContentDocument[]): SourceDocuments[] {
  const bySource = new Map<string, ContentDocument[]>();
  for (const document of published) {
    if (document.file.startsWith('docs/')) continue;
    const id = sourceOf(document);
    bySource.set(id, [...(bySource.get(id) ?? []), document]);
  }
  const sources: SourceDocuments[] = [];
  for (const [id, documents] of [...bySource].sort(([a], [b]) => a.localeCompare(b))) {
    sources.push({ id, documents, type: typeFromFrontmatter(documents) });
  }
  return sources;
}

function typeFromFrontmatter(documents: readonly ContentDocument[]): SourceType {
  for (const document of documents) {
    const id = String(document.data.original_id ?? '');
    const url = document.originalUrl ?? '';
    if (id.startsWith('tag:blogger.com,') || /^https?:\/\/[^/]*\.blogspot\.[a-z.]+\//i.test(url)) return 'blogger';
    if (rollerHandle(url)) return 'roller';
  }
  return 'other';
}

/** Roller permalinks are `http://host/<handle>/entry/<anchor>`. */
function rollerHandle(url: string): string | undefined {
  const match = /^https?:\/\/[^/]+\/([^/?#]+)\/entry\/[^/?#]+/i.exec(url);
  return match ? decodePath(match[1]) : undefined;
}

/** Blogger's other URLs: labels, archives, feeds, `?m=1` mobile variants and the blog's home. */
function bloggerUrls(source: SourceDocuments, options: MapOptions): Redirect[] {
  const urls: Redirect[] = [];
  const origin = `Blogger source ${source.id}`;
  const add = (from: string, to: string, what: string, query?: string) =>
    urls.push({ from, ...(query ? { query } : {}), to, origin: `${origin} (${what})`, kind: 'platform' });
  const months = new Set<string>();
  const tags = new Set<string>();
  for (const document of source.documents) {
    for (const old of document.redirectFrom) {
      const parsed = parseOldPath(old);
      if (parsed && !parsed.query)
        add(parsed.from, document.permalink!, `mobile variant of ${path.posix.basename(parsed.from)}`, 'm=1');
      const archive = /^\/(\d{4})\/(\d{2})\//.exec(parsed?.from ?? '');
      if (archive && document.data.kind === 'post') months.add(`${archive[1]}/${archive[2]}`);
    }
    for (const tag of tagsOf(document)) tags.add(tag);
  }
  for (const month of [...months].sort()) {
    const [year, mm] = month.split('/');
    for (const query of [undefined, 'm=1']) {
      add(`/${year}/`, `/${source.id}/${year}/`, 'year archive', query);
      add(`/${year}/${mm}/`, `/${source.id}/${year}/${mm}/`, 'month archive', query);
    }
    add(`/${year}_${mm}_01_archive.html`, `/${source.id}/${year}/${mm}/`, 'classic month archive');
  }
  for (const tag of [...tags].sort()) {
    for (const query of [undefined, 'm=1'])
      add(`/search/label/${tag}`, `/${source.id}/tags/${tagSlug(tag)}/`, `label ${tag}`, query);
  }
  const feed = `/${source.id}/feed.xml`;
  for (const from of ['/feeds/posts/default', '/feeds/posts/summary', '/atom.xml', '/rss.xml']) add(from, feed, 'feed');
  for (const query of ['alt=rss', 'alt=atom']) add('/feeds/posts/default', feed, 'feed', query);
  if (options.source === source.id) {
    add('/', `/${source.id}/`, 'home page');
    add('/', `/${source.id}/`, 'home page', 'm=1');
  }
  return urls;
}

/** Roller's other URLs, all under the blog's handle: categories, tags, feeds, date archives, pages, the blog's front page. */
function rollerUrls(source: SourceDocuments): Redirect[] {
  const urls: Redirect[] = [];
  const origin = `Roller source ${source.id}`;
  const add = (from: string, to: string, what: string) =>
    urls.push({ from, to, origin: `${origin} (${what})`, kind: 'platform' });
  const handles = new Set<string>();
  for (const document of source.documents) {
    const handle = rollerHandle(document.originalUrl ?? '');
    if (handle) handles.add(handle);
  }
  for (const handle of [...handles].sort()) {
    const base = `/${handle}`;
    add(`${base}/`, `/${source.id}/`, 'front page');
    for (const feed of ['atom', 'rss']) add(`${base}/feed/entries/${feed}`, `/${source.id}/feed.xml`, `${feed} feed`);
    const tags = new Set<string>();
    const days = new Map<string, string>();
    for (const document of source.documents) {
      for (const tag of tagsOf(document)) tags.add(tag);
      const yearMonth = yearMonthOf(document);
      if (yearMonth && document.data.kind !== 'page') {
        const target = `/${source.id}/${yearMonth[0]}/${yearMonth[1]}/`;
        days.set(yearMonth.join(''), target);
        // Roller's day archives: the day of the post's date as the old blog wrote it.
        const day = typeof document.data.date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(document.data.date) : null;
        if (day && `${day[1]}${day[2]}` === yearMonth.join('')) days.set(`${day[1]}${day[2]}${day[3]}`, target);
      }
      if (document.data.kind === 'page') {
        const name = document.permalink!.split('/').filter(Boolean).at(-1);
        if (name) add(`${base}/page/${name}`, document.permalink!, 'page');
      }
    }
    for (const tag of [...tags].sort()) {
      const target = `/${source.id}/tags/${tagSlug(tag)}/`;
      add(`${base}/category/${tag}`, target, `category ${tag}`);
      add(`${base}/tags/${tag.toLowerCase()}`, target, `tag ${tag}`);
    }
    for (const [date, target] of [...days].sort()) add(`${base}/date/${date}`, target, 'date archive');
  }
  return urls;
}
