import { encodePath, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

/**
 * Netlify `_redirects`: `from [query] to 301!`, one per line. `!` forces the rule over a file at
 * the old path (Netlify serves an existing file first otherwise). Netlify passes the visitor's
 * query on to the target.
 */
const netlify: RedirectWriter = {
  name: 'netlify',
  summary: '_redirects for Netlify, every rule forced with 301!',
  writesFolder: false,
  write(redirects) {
    const warnings: string[] = [];
    const { paths, queries } = splitByQuery(redirects);
    const lines = ['# Almanac redirects for Netlify: put _redirects in the published folder.'];
    for (const redirect of queries) {
      const query = queryMatch(redirect.query!);
      if (query) lines.push(`${redirectsPath(redirect.from)} ${query} ${encodeTarget(redirect.to)} 301!`);
      else
        warnings.push(
          `netlify: old URL ${redirectsPath(redirect.from)}?${redirect.query} left out: Netlify matches queries only as key=value pairs of plain characters`,
        );
    }
    for (const redirect of paths) lines.push(`${redirectsPath(redirect.from)} ${encodeTarget(redirect.to)} 301!`);
    return {
      files: [{ path: '_redirects', content: `${lines.join('\n')}\n` }],
      warnings,
      notes: ['copy _redirects into the published folder (the site root)'],
    };
  },
};

export default netlify;

/**
 * An old path in `_redirects` syntax: as a browser sends it, plus `*` (a splat), `:` (a placeholder)
 * and `!` encoded so the rule stays static and literal. Spaces and `#` are already encoded.
 */
export function redirectsPath(from: string): string {
  return encodePath(from).replace(/[*:!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `alt=rss&x=1` → `alt=rss x=1`, or undefined when a pair is not plain (Netlify reads `:x` as a placeholder). */
function queryMatch(query: string): string | undefined {
  const pairs = query.split('&');
  return pairs.every((pair) => /^[A-Za-z0-9._~-]+=[A-Za-z0-9._~-]+$/.test(pair)) ? pairs.join(' ') : undefined;
}
