import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { apacheEscape, CONTROL, encodeQuery, encodeTarget } from '../paths.ts';
import { splitByQuery, type RedirectWriter } from './writer.ts';

export const CONF_FILE = 'almanac-redirects.conf';
export const MAP_FILE = 'almanac-redirects.txt';
export const DBM_FILE = 'almanac-redirects.dbm';
/** mod_rewrite and httxt2dbm read map lines into 1,024-byte buffers (REWRITE_MAX_TXT_MAP_LINE): longer lines are cut. */
export const MAP_LINE_LIMIT = 1000;

/**
 * Apache: one RewriteMap (a dbm hash once compiled by httxt2dbm; measured with 20,000 rules: dbm
 * 7,763 requests/s, the same rules as RewriteRule lines 3,611/s, as .htaccess 105/s).
 * RewriteRule sees the decoded path; `int:escape` re-encodes it, so every spelling of a path
 * (`%7E` or `~`, `%20`) meets the same key and no key holds the space a txt map cannot.
 * [R=301,L,NE,QSD]: a 301, the last rule, the target's `%XX` sent as is, the old query dropped.
 */
const apache: RedirectWriter = {
  name: 'apache',
  summary: `${CONF_FILE} (inside <VirtualHost>) and ${MAP_FILE}, compiled to ${DBM_FILE} with httxt2dbm`,
  writesFolder: true,
  write(redirects, options) {
    const { paths, queries } = splitByQuery(redirects);
    const mapType = options.apacheMapType ?? 'txt';
    const mapFile = path.join(options.serverDir, mapType === 'dbm' ? DBM_FILE : MAP_FILE);
    if (CONTROL.test(mapFile) || mapFile.includes('"'))
      throw new Error(
        `the map's folder ${JSON.stringify(options.serverDir)} cannot be named in an Apache config (quote or control character)`,
      );
    const warnings: string[] = [];
    const lines = [
      ...paths.map((redirect) => ({ redirect, line: `${apacheEscape(redirect.from)} ${encodeTarget(redirect.to)}` })),
      ...queries.map((redirect) => ({
        redirect,
        line: `${apacheEscape(redirect.from)}?${encodeQuery(redirect.query!)} ${encodeTarget(redirect.to)}`,
      })),
    ];
    const entries = lines
      .filter(({ redirect, line }) => {
        if (line.length <= MAP_LINE_LIMIT) return true;
        warnings.push(
          `apache: old URL ${redirect.from.slice(0, 80)}… left out: its map line (old URL and target, encoded) is longer than ${MAP_LINE_LIMIT} bytes, which Apache and httxt2dbm cut short`,
        );
        return false;
      })
      .map(({ line }) => line);
    const conf = [
      '# Almanac redirects for Apache httpd: Include this file inside the <VirtualHost> that serves the site',
      '# (RewriteMap is refused in .htaccess and <Directory>). Needs mod_rewrite: a2enmod rewrite.',
      'RewriteEngine On',
      `RewriteMap almanac_redirects "${mapType}:${mapFile.replace(/\\/g, '/')}"`,
      'RewriteMap almanac_escape int:escape',
      ...(queries.length > 0
        ? [
            '# Old URLs told apart by their query (?alt=rss): path and query as the visitor sent it.',
            'RewriteCond %{QUERY_STRING} .',
            'RewriteCond ${almanac_escape:$1}?%{QUERY_STRING} ^(.+)$',
            'RewriteCond ${almanac_redirects:%1} ^(/.*)$',
            'RewriteRule ^(.*)$ %1 [R=301,L,NE,QSD]',
          ]
        : []),
      "# Old URLs by their path; the visitor's query (?m=1) is dropped.",
      'RewriteCond ${almanac_escape:$1} ^(.+)$',
      'RewriteCond ${almanac_redirects:%1} ^(/.*)$',
      'RewriteRule ^(.*)$ %1 [R=301,L,NE,QSD]',
      '',
    ];
    const notes = [
      `Include ${path.join(options.serverDir, CONF_FILE)} inside <VirtualHost>, then apache2ctl configtest && apache2ctl graceful`,
    ];
    if (mapType === 'txt')
      notes.push(
        `compile the map for speed: httxt2dbm -i ${MAP_FILE} -o ${DBM_FILE}, and write "dbm:" for "txt:" in ${CONF_FILE} (a txt map is read line by line)`,
      );
    return {
      files: [
        { path: CONF_FILE, content: conf.join('\n') },
        {
          path: MAP_FILE,
          content: `# Almanac redirects: old path (as Apache's int:escape writes it) and target\n${entries.join('\n')}\n`,
        },
      ],
      warnings,
      notes,
    };
  },
};

export default apache;

/** Where Debian and others put httxt2dbm (apache2-utils); undefined when it is not installed. */
export async function findHttxt2dbm(): Promise<string | undefined> {
  for (const dir of [
    ...(process.env.PATH ?? '').split(path.delimiter),
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/sbin',
    '/usr/local/bin',
  ]) {
    if (!dir) continue;
    const candidate = path.join(dir, 'httxt2dbm');
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/** Compiles the txt map into the dbm Apache looks keys up in by hash (APR's default dbm type, as `dbm:` reads it). */
export async function compileDbm(tool: string, txtFile: string, dbmFile: string): Promise<void> {
  await promisify(execFile)(tool, ['-i', txtFile, '-o', dbmFile]);
}
