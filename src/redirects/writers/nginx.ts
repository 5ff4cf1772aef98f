import type { Redirect } from '../map.ts';
import { byteLength, encodeQuery, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

export const HTTP_FILE = 'almanac-redirects.http.conf';
export const SERVER_FILE = 'almanac-redirects.server.conf';

/**
 * nginx: two `map`s (a hash lookup, as fast at 100,000 keys as at 10) at http level, and one
 * `if`/`return` in the server block. `$uri` is the decoded path, the map's own form; the query map
 * looks at `$uri?$args` and falls back to the path map.
 */
const nginx: RedirectWriter = {
  name: 'nginx',
  summary: `${HTTP_FILE} (inside http {}) and ${SERVER_FILE} (inside server {})`,
  writesFolder: true,
  write(redirects, options) {
    const warnings: string[] = [];
    const { paths, queries } = splitByQuery(caseSafe(redirects, options.pages ?? new Set(), warnings));
    const keys = [
      ...paths.map((redirect) => redirect.from),
      ...queries.map((redirect) => `${redirect.from}?${redirect.query}`),
    ];
    const longest = Math.max(1, ...keys.map(byteLength));
    const lines = [
      '# Almanac redirects for nginx: include this file inside http { }, before the server that serves the site',
      `# (map and map_hash_* are http-level directives), and ${SERVER_FILE} inside that server { }.`,
      '# On Debian: copy it to /etc/nginx/conf.d/. Remove the two map_hash lines if your nginx.conf sets them already.',
      `map_hash_max_size ${hashMaxSize(keys.length)};`,
      `map_hash_bucket_size ${hashBucketSize(longest)};`,
      '',
      'map $uri $almanac_path_redirect {',
      '    default "";',
      ...paths.map((redirect) => `    ${quote(redirect.from)} ${quote(encodeTarget(redirect.to))};`),
      '}',
      '',
      'map "$uri?$args" $almanac_redirect {',
      '    default $almanac_path_redirect;',
      ...queries.map(
        (redirect) =>
          `    ${quote(`${redirect.from}?${encodeQuery(redirect.query!)}`)} ${quote(encodeTarget(redirect.to))};`,
      ),
      '}',
      '',
    ];
    const server = [
      '# Almanac redirects for nginx: include inside the server { } that serves the site (needs ' +
        HTTP_FILE +
        ' in http { }).',
      "# `return` sends no query string: the old URL's ?m=1 and the like are dropped.",
      'if ($almanac_redirect) {',
      '    return 301 $almanac_redirect;',
      '}',
      '',
    ];
    return {
      files: [
        { path: HTTP_FILE, content: lines.join('\n') },
        { path: SERVER_FILE, content: server.join('\n') },
      ],
      warnings,
      notes: [
        `include ${HTTP_FILE} inside http { } and ${SERVER_FILE} inside the site's server { }, then nginx -t && nginx -s reload`,
      ],
    };
  },
};

export default nginx;

/**
 * In the nginx config language a double-quoted string ends at `"` and reads `\\`, `\"`, `\n`…;
 * doubling the backslash and escaping the quote leaves every other byte literal (`;`, `{`, `}`,
 * spaces, non-ASCII). Map keys are never variables; values carry no `$` (encodeTarget).
 */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * nginx lower-cases map keys and the looked-up value: two old URLs differing only in case would stop
 * nginx from starting, and an old URL equal to a target but for case would redirect the page itself.
 */
function caseSafe(redirects: readonly Redirect[], pages: ReadonlySet<string>, warnings: string[]): Redirect[] {
  const lower = (redirect: Redirect) =>
    (redirect.query === undefined ? redirect.from : `${redirect.from}?${redirect.query}`).toLowerCase();
  const targets = new Set([...redirects.map((redirect) => redirect.to), ...pages].map((page) => page.toLowerCase()));
  const kept = new Map<string, Redirect>();
  for (const redirect of redirects) {
    const key = lower(redirect);
    if (redirect.query === undefined && targets.has(redirect.from.toLowerCase())) {
      warnings.push(
        `nginx: old URL ${redirect.from} left out: nginx ignores case in map keys, and it is a page of the site but for case (it would redirect that page)`,
      );
      continue;
    }
    const other = kept.get(key);
    if (!other) kept.set(key, redirect);
    else if (other.to !== redirect.to)
      warnings.push(
        `nginx: old URL ${redirect.from} left out: nginx ignores case in map keys, and ${other.from} (kept) differs only in case with another target`,
      );
  }
  return [...kept.values()];
}

/** Measured: with max_size ≥ 4 × keys nginx finds a hash at once, also at 100,000 keys. */
function hashMaxSize(count: number): number {
  return Math.max(2048, 4 * count);
}

/** A bucket holds at least four of the longest key (pointer + key + 2, aligned), in 64-byte lines. */
function hashBucketSize(longest: number): number {
  const element = 8 + Math.ceil((longest + 2) / 8) * 8;
  return Math.max(128, Math.ceil((4 * element + 8) / 64) * 64);
}
