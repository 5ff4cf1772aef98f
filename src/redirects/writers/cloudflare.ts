import type { Redirect } from '../map.ts';
import { encodeTarget } from '../paths.ts';
import { redirectsPath } from './netlify.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

/** Cloudflare Pages' documented limits: 2,000 static rules (plus 100 dynamic, which Almanac never writes), 1,000 characters a line. */
export const CLOUDFLARE_STATIC_LIMIT = 2000;
export const CLOUDFLARE_LINE_LIMIT = 1000;

/**
 * Cloudflare Pages `_redirects`: `from to 301` (the status written out: Cloudflare's default is 302).
 * Every rule is static (no splat, no placeholder). Queries are not matched, so an old URL told apart
 * only by its query cannot be written. Past the limit, the rest goes to Bulk Redirects (`--format csv`).
 */
const cloudflare: RedirectWriter = {
  name: 'cloudflare',
  summary: `_redirects for Cloudflare Pages (at most ${CLOUDFLARE_STATIC_LIMIT} static rules)`,
  writesFolder: false,
  write(redirects) {
    const warnings: string[] = [];
    const { paths, queries } = splitByQuery(redirects);
    for (const redirect of queries)
      warnings.push(
        `cloudflare: old URL ${redirectsPath(redirect.from)}?${redirect.query} left out: Cloudflare Pages _redirects does not match queries`,
      );
    const lines: string[] = [];
    for (const redirect of prioritized(paths)) {
      const line = `${redirectsPath(redirect.from)} ${encodeTarget(redirect.to)} 301`;
      if (line.length > CLOUDFLARE_LINE_LIMIT)
        warnings.push(
          `cloudflare: old URL ${redirectsPath(redirect.from).slice(0, 80)}… left out: longer than Cloudflare's ${CLOUDFLARE_LINE_LIMIT} characters a line`,
        );
      else lines.push(line);
    }
    if (lines.length > CLOUDFLARE_STATIC_LIMIT) {
      warnings.push(
        `cloudflare: ${lines.length} rules, Cloudflare Pages takes ${CLOUDFLARE_STATIC_LIMIT}: the last ${lines.length - CLOUDFLARE_STATIC_LIMIT} are left out (posts and pages come first, archives, labels and feeds after); import the full map as Bulk Redirects from almanac redirects --format csv`,
      );
      lines.length = CLOUDFLARE_STATIC_LIMIT;
    }
    return {
      files: [
        {
          path: '_redirects',
          content: `# Almanac redirects for Cloudflare Pages: put _redirects in the build output folder.\n${lines.join('\n')}\n`,
        },
      ],
      warnings,
      notes: ['copy _redirects into the build output folder'],
    };
  },
};

export default cloudflare;

/** Documents' old URLs first (what other sites link to), then the old platform's listing pages. */
function prioritized(redirects: readonly Redirect[]): Redirect[] {
  const isDocument = (redirect: Redirect) => redirect.origin.endsWith('.md') || redirect.origin.includes('.md (');
  return [...redirects.filter(isDocument), ...redirects.filter((redirect) => !isDocument(redirect))];
}
