import { htmlToText } from '../convert/bodyText.ts';
import { oldPath } from '../content/oldUrls.ts';
import type { Entry } from '../model.ts';
import { makeSlug } from '../slug.ts';
import { toString } from 'mdast-util-to-string';

/** Slugs a page may not take because the source's own pages live there. */
const RESERVED_PAGE_SLUGS = new Set(['tags', 'page', 'archive', 'feed', 'drafts', 'undated', 'threads', 'releases']);

/**
 * The new URL path of an entry, chosen once:
 * posts `/<source>/<yyyy>/<mm>/<slug>/` (the year and month as the old blog wrote them, in its
 * own time zone), pages `/<source>/<slug>/`, undated drafts `/<source>/drafts/<slug>/`, other
 * undated posts (published, so not among the drafts) `/<source>/undated/<slug>/`.
 * A path already taken gets `-2`, `-3`, … in the order entries arrive, so the result is deterministic.
 */
export function planPermalink(entry: Entry, source: string, isTaken: (permalink: string) => boolean): string {
  if (entry.permalink) return entry.permalink;
  let slug =
    entry.slug ??
    (entry.title.trim() ? makeSlug(entry.title, entry.originalId) : makeSlug(firstWords(entry), entry.originalId));
  let folder: string;
  if (entry.kind === 'page') {
    if (RESERVED_PAGE_SLUGS.has(slug) || /^\d+$/.test(slug)) slug = `${slug}-page`;
    folder = `/${source}/`;
  } else {
    // The old URL's year and month where it has them (Blogger's, in the blog's own time zone), else the date's.
    const old = entry.originalUrl ?? entry.oldUrls[0];
    const yearMonth =
      /^\/(\d{4})\/(\d{2})\//.exec((old?.startsWith('/') ? old : oldPath(old ?? '')) ?? '') ??
      /^(\d{4})-(\d{2})/.exec(entry.date ?? '');
    folder = yearMonth
      ? `/${source}/${yearMonth[1]}/${yearMonth[2]}/`
      : `/${source}/${entry.draft ? 'drafts' : 'undated'}/`;
  }
  let candidate = `${folder}${slug}/`;
  for (let counter = 2; isTaken(candidate); counter++) candidate = `${folder}${slug}-${counter}/`;
  return candidate;
}

/** Where the document of a permalink is stored, relative to the source folder: `/s/2020/05/x/` → `2020/05/x.md`. */
export function fileForPermalink(permalink: string, source: string): string {
  const prefix = `/${source}/`;
  const rest = (permalink.startsWith(prefix) ? permalink.slice(prefix.length) : permalink.replace(/^\/+/, '')).replace(
    /\/+$/,
    '',
  );
  return rest === '' ? 'index.md' : `${rest}.md`;
}

/** An untitled post is named after its first words, as Blogger itself did. */
function firstWords(entry: Entry): string {
  const text =
    entry.body.type === 'html'
      ? htmlToText(entry.body.value)
      : entry.body.type === 'mdast'
        ? toString(entry.body.value)
        : entry.body.value;
  return text.split(/\s+/).filter(Boolean).slice(0, 6).join(' ');
}
