import type { Redirect } from '../map.ts';
import { byteLength, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

/** Marks a page this writer made, so a rebuild may replace it and never a real page. */
export const REFRESH_MARK = '<!-- almanac: redirect page -->';

/**
 * For hosts without server rules (GitHub Pages): at every old path, a page that sends the visitor
 * on at once (meta refresh), names the new page as canonical for search engines and links to it.
 * `/a.html` is that file, `/a/` and `/a` are `a/index.html`. An old URL told apart only by its
 * query cannot be a file and is reported.
 */
const html: RedirectWriter = {
  name: 'html',
  summary: 'a refresh page at every old path, written into the site folder (GitHub Pages and other static hosts)',
  writesFolder: true,
  write(redirects) {
    const warnings: string[] = [];
    const { paths, queries } = splitByQuery(redirects);
    for (const redirect of queries)
      warnings.push(
        `html: old URL ${redirect.from}?${redirect.query} left out: a static page cannot tell queries apart`,
      );
    const files = new Map<string, Redirect>();
    for (const redirect of paths) {
      const file = fileForOldPath(redirect.from);
      if (!file) {
        warnings.push(
          `html: old URL ${redirect.from} left out: it cannot be a file name (an empty, "." or ".." segment, or one longer than 255 bytes)`,
        );
        continue;
      }
      const other = files.get(file);
      if (!other) files.set(file, redirect);
      else if (other.to !== redirect.to)
        warnings.push(
          `html: old URL ${redirect.from} left out: ${other.from} is the same file ${file} with another target`,
        );
    }
    return {
      files: [...files].map(([file, redirect]) => ({ path: file, content: refreshPage(encodeTarget(redirect.to)) })),
      warnings,
      notes: ['the refresh pages are in the site folder; publish it as usual'],
    };
  },
};

export default html;

/** `/2020/05/a.html` → `2020/05/a.html`; `/2020/` and `/feeds/posts/default` → `…/index.html`. */
export function fileForOldPath(from: string): string | undefined {
  const segments = from.slice(1).split('/');
  const last = segments.at(-1)!;
  if (last === '') segments.pop();
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || byteLength(segment) > 255))
    return undefined;
  if (/\.html?$/i.test(last)) return segments.join('/');
  return [...segments, 'index.html'].join('/');
}

function refreshPage(target: string): string {
  // encodeTarget leaves only letters, digits, -._~/ and %XX: nothing to escape in an attribute.
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Moved to ${target}</title>
<link rel="canonical" href="${target}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${target}">
<p>This page has moved to <a href="${target}">${target}</a>.</p>
${REFRESH_MARK}
`;
}
