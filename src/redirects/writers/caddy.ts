import type { Redirect } from '../map.ts';
import { CONTROL, encodeQuery, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

/**
 * Caddy: a `map` from the decoded path (`{path}`) to the target and a `redir` when it is set.
 * Keys are backtick tokens (raw: nothing inside is an escape); a key holding a backtick or a
 * brace (Caddy expands `{$ENV}` anywhere while parsing) cannot be written and is reported.
 */
const caddy: RedirectWriter = {
  name: 'caddy',
  summary: 'Caddyfile snippet to import inside the site block',
  writesFolder: false,
  write(redirects) {
    const warnings: string[] = [];
    const writable = (_redirect: Redirect, key: string) => {
      if (!/[`{}]/.test(key) && !CONTROL.test(key)) return true;
      warnings.push(`caddy: old URL ${key} left out: a backtick or brace cannot be written in a Caddyfile key`);
      return false;
    };
    const { paths, queries } = splitByQuery(redirects);
    const entries = (list: Redirect[], key: (redirect: Redirect) => string) =>
      list
        .filter((redirect) => writable(redirect, key(redirect)))
        .map((redirect) => `\t\`${key(redirect)}\` ${encodeTarget(redirect.to)}`);
    const lines = [
      '# Almanac redirects for Caddy: import this file inside the site block of the Caddyfile.',
      'map {path} {almanac_path_redirect} {',
      ...entries(paths, (redirect) => redirect.from),
      '}',
      ...(queries.length > 0
        ? [
            'map {path}?{query} {almanac_query_redirect} {',
            ...entries(queries, (redirect) => `${redirect.from}?${encodeQuery(redirect.query!)}`),
            '}',
            '@almanac_query vars_regexp {almanac_query_redirect} ^/',
            'redir @almanac_query {almanac_query_redirect} 301',
          ]
        : []),
      // Positive match on a target: an unmatched map leaves the placeholder unset, not "".
      '@almanac_path vars_regexp {almanac_path_redirect} ^/',
      'redir @almanac_path {almanac_path_redirect} 301',
      '',
    ];
    return {
      files: [{ path: 'almanac-redirects.caddy', content: lines.join('\n') }],
      warnings,
      notes: ['import almanac-redirects.caddy inside the site block, then caddy validate'],
    };
  },
};

export default caddy;
