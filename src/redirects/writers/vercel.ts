import { encodePath, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

/** Vercel's documented limit on redirects in vercel.json. */
export const VERCEL_LIMIT = 2048;

/**
 * `vercel.json` `redirects`, each with `statusCode: 301` (`permanent: true` would send 308).
 * `source` is a path-to-regexp pattern: its special characters are percent-encoded so each old
 * path is matched literally; an old URL told apart by its query gets a `has` condition per pair.
 */
const vercel: RedirectWriter = {
  name: 'vercel',
  summary: 'vercel.json with a redirects list (statusCode 301)',
  writesFolder: false,
  write(redirects) {
    const warnings: string[] = [];
    const { paths, queries } = splitByQuery(redirects);
    const rules = [
      ...queries.map((redirect) => ({
        source: literalSource(redirect.from),
        has: Array.from(new URLSearchParams(redirect.query), ([key, value]) => ({
          type: 'query',
          key,
          value: `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        })),
        destination: encodeTarget(redirect.to),
        statusCode: 301,
      })),
      ...paths.map((redirect) => ({
        source: literalSource(redirect.from),
        destination: encodeTarget(redirect.to),
        statusCode: 301,
      })),
    ];
    if (rules.length > VERCEL_LIMIT)
      warnings.push(
        `vercel: ${rules.length} redirects; Vercel takes at most ${VERCEL_LIMIT} in vercel.json: deploy fails until the map is smaller (or use Vercel's bulk redirects with --format csv)`,
      );
    return {
      files: [{ path: 'vercel.json', content: `${JSON.stringify({ redirects: rules }, null, 2)}\n` }],
      warnings,
      notes: ["merge the redirects list into your project's vercel.json"],
    };
  },
};

export default vercel;

/** path-to-regexp reads `:name`, `(…)`, `*`, `?`, `+`, `{…}` and `\`; encoded, the path is a literal. */
function literalSource(from: string): string {
  return encodePath(from).replace(/[:()*?+{}[\]\\!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
