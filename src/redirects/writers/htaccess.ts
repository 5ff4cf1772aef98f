import type { Redirect } from '../map.ts';
import { byteLength, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

/** Above this many rules a .htaccess costs every request dearly (measured: 20,000 rules, 105 requests/s). */
export const HTACCESS_RULE_LIMIT = 1000;

/**
 * `.htaccess` for shared hosting, where RewriteMap is not allowed: one RewriteRule per old URL,
 * re-read and tried in order on every request. The pattern is the decoded path without the leading
 * `/` (per-directory rewriting strips it) with every byte but `[A-Za-z0-9_/-]` written as `\xHH`,
 * so no character can end the argument or mean something to the regex.
 */
const htaccess: RedirectWriter = {
  name: 'htaccess',
  summary: '.htaccess with one RewriteRule per old URL, for the site root on shared hosting',
  writesFolder: false,
  write(redirects) {
    const warnings: string[] = [];
    // Apache maps the path to files before a .htaccess is read: a segment longer than a file name fails there (403).
    const reachable = redirects.filter((redirect) => {
      if (!redirect.from.split('/').some((segment) => byteLength(segment) > 255)) return true;
      warnings.push(
        `htaccess: old URL ${redirect.from.slice(0, 80)}… left out: a segment longer than 255 bytes never reaches a .htaccess (Apache answers 403 first); use --format apache`,
      );
      return false;
    });
    const { paths, queries } = splitByQuery(reachable);
    const count = paths.length + queries.length;
    if (count > HTACCESS_RULE_LIMIT) {
      warnings.push(
        `htaccess: ${count} rules; Apache reads and tries every line of a .htaccess on each request (20,000 rules measured 105 requests/s against 7,763/s for a RewriteMap). Use --format apache in the server config if you can`,
      );
    }
    const rule = (redirect: Redirect) =>
      `RewriteRule ^${regexBytes(redirect.from.slice(1))}$ ${substitution(encodeTarget(redirect.to))} [R=301,L,NE,QSD]`;
    const lines = [
      '# Almanac redirects for Apache .htaccess (in the site root; needs AllowOverride FileInfo and mod_rewrite).',
      '# RewriteMap is not allowed in .htaccess: with more than about 1,000 old URLs, use `almanac redirects --format apache`',
      '# in the <VirtualHost> instead.',
      'RewriteEngine On',
      ...queries.flatMap((redirect) => [
        `RewriteCond %{QUERY_STRING} ^${regexBytes(redirect.query!)}$`,
        rule(redirect),
      ]),
      ...paths.map(rule),
      '',
    ];
    return {
      files: [{ path: '.htaccess', content: lines.join('\n') }],
      warnings,
      notes: ['put .htaccess in the site root (the folder of index.html)'],
    };
  },
};

export default htaccess;

/** A literal for Apache's PCRE (bytes, no UTF mode): safe characters as they are, every other byte as `\xHH`. */
export function regexBytes(text: string): string {
  let result = '';
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    result += /[A-Za-z0-9_/-]/.test(char) ? char : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return result;
}

/** In a substitution `$N` and `%N` are back-references: escape them (targets hold `%XX`). */
function substitution(target: string): string {
  return target.replace(/[\\$%]/g, (char) => `\\${char}`);
}
