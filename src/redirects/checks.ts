import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Redirect } from './map.ts';
import { byteLength, CONTROL, decodePath, encodePath, encodeQuery, MAX_URL_BYTES } from './paths.ts';

/**
 * The rules every redirect map obeys before any writer sees it:
 * - Paths compare decoded (`/caf%C3%A9` is `/café`); a query, where an old URL has one, compares exactly.
 * - Case counts: `/About.html` and `/about.html` are two old URLs (nginx, whose map ignores case, refuses
 *   such pairs in its writer).
 * - Trailing slash: an old URL written with a final `/` also answers without it (`/2020/` and `/2020`);
 *   one written without answers only as written.
 * - A target is a path on this site: `/…`, never `//host`, `/\host`, a scheme or a control character.
 */

export interface CheckOptions {
  /** Pages the site will have (decoded); a redirect must land on one, and no old URL may hide one. */
  pages: ReadonlySet<string>;
  /** A built site to check targets against as files too. */
  siteDir?: string;
  /** False for a config that serves only the old host, where new pages cannot be shadowed. */
  shadowing?: boolean;
}

export interface CheckedMap {
  redirects: Redirect[];
  /** Problems that stop any config from being written: conflicts, loops, off-site targets. */
  errors: string[];
  /** Old URLs left out, with the reason. */
  warnings: string[];
}

export const keyOf = (redirect: Pick<Redirect, 'from' | 'query'>) =>
  redirect.query === undefined ? redirect.from : `${redirect.from}?${redirect.query}`;

/** Why a target is not a local path of this site, or undefined when it is one. */
export function offSiteReason(target: string): string | undefined {
  if (CONTROL.test(target)) return 'it contains a control character';
  if (!target.startsWith('/')) return 'it is not a path starting with "/" (only paths on this site are allowed)';
  if (target.startsWith('//') || target.includes('\\')) return 'browsers read "//" and "\\" as another host';
  if (/[?#]/.test(target)) return 'a target is a page path, without query or fragment';
  if (decodePath(target) === undefined) return 'its percent-encoding is not valid UTF-8';
  return undefined;
}

/** Why an old URL cannot be written as a redirect, or undefined. */
function oldUrlReason(redirect: Redirect): string | undefined {
  if (!redirect.from.startsWith('/') || redirect.from.startsWith('//'))
    return 'it is not a path starting with a single "/"';
  if (CONTROL.test(redirect.from) || CONTROL.test(redirect.query ?? '')) return 'it contains a control character';
  if (/[?#]/.test(redirect.from)) return 'its path holds an encoded "?" or "#"';
  const segments = redirect.from.split('/').slice(1);
  if (
    segments.some(
      (segment, index) => segment === '.' || segment === '..' || (segment === '' && index < segments.length - 1),
    )
  )
    return 'servers remove its "//", "/./" or "/../" before matching, so no request could reach it';
  if (redirect.query !== undefined && (/[\s#]/.test(redirect.query) || redirect.query === ''))
    return 'its query holds a space or "#"';
  if (byteLength(encodePath(redirect.from)) + byteLength(encodeQuery(redirect.query ?? '')) > MAX_URL_BYTES)
    return `it is longer than ${MAX_URL_BYTES} bytes encoded`;
  return undefined;
}

export async function checkRedirects(candidates: readonly Redirect[], options: CheckOptions): Promise<CheckedMap> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const shown = (redirect: Redirect) =>
    `${encodePath(redirect.from)}${redirect.query === undefined ? '' : `?${encodeQuery(redirect.query)}`}`;

  // Each old URL once. Two documents claiming it is an error naming both; a document's own
  // redirect_from beats an old platform's address; two platforms' addresses (two Blogger blogs'
  // /feeds/posts/default) belong to two old hosts, so neither can go in one config.
  const byKey = new Map<string, Redirect>();
  const contested = new Set<string>();
  const accept = (redirect: Redirect) => {
    const key = keyOf(redirect);
    const existing = byKey.get(key);
    if (contested.has(key)) return;
    if (!existing) byKey.set(key, redirect);
    else if (existing.to === redirect.to) return;
    else if (existing.kind !== 'platform' && redirect.kind !== 'platform') {
      const hint =
        existing.source !== redirect.source
          ? `they come from two old sites: write one config per old host with --source ${existing.source}, --source ${redirect.source}`
          : 'keep it in one redirect_from';
      errors.push(
        `old URL ${shown(redirect)} has two targets: ${existing.to} (${existing.origin}) and ${redirect.to} (${redirect.origin}); ${hint}`,
      );
    } else if (existing.kind === 'platform' && redirect.kind === 'platform') {
      warnings.push(
        `old URL ${shown(redirect)} left out: ${existing.origin} and ${redirect.origin} both had it, on their own hosts; write one config per old host with --source`,
      );
      byKey.delete(key);
      contested.add(key);
    } else {
      const [kept, dropped] = existing.kind === 'platform' ? [redirect, existing] : [existing, redirect];
      warnings.push(
        `old URL ${shown(redirect)}: ${kept.origin} lists it in redirect_from, so it goes to ${kept.to}, not to ${dropped.to} (${dropped.origin})`,
      );
      byKey.set(key, kept);
    }
  };
  for (const candidate of candidates) {
    // Checked as written and decoded: `/%2F%2Fevil.example` is `//evil.example` once a writer encodes it.
    const to = decodePath(candidate.to) ?? candidate.to;
    const offSite = offSiteReason(candidate.to) ?? offSiteReason(to);
    if (offSite) {
      errors.push(`${candidate.origin}: target ${JSON.stringify(candidate.to)} refused: ${offSite}`);
      continue;
    }
    const reason = oldUrlReason(candidate);
    if (reason) {
      warnings.push(
        `${candidate.origin}: old URL ${JSON.stringify(candidate.from + (candidate.query === undefined ? '' : `?${candidate.query}`))} left out: ${reason}`,
      );
      continue;
    }
    accept({ ...candidate, to });
  }
  // Old URLs that are pages of the new site: the page wins.
  if (options.shadowing !== false) {
    for (const [key, redirect] of byKey) {
      if (options.pages.has(redirect.from) || options.pages.has(`${redirect.from}/`)) {
        warnings.push(
          `old URL ${shown(redirect)} (${redirect.origin}) is also a page of the new site; the page wins and no redirect is written`,
        );
        byKey.delete(key);
      }
    }
  }

  // The trailing-slash rule, after every explicit old URL so an explicit one always wins.
  for (const redirect of [...byKey.values()]) {
    if (redirect.query === undefined && redirect.from.length > 1 && redirect.from.endsWith('/')) {
      const bare = {
        ...redirect,
        from: redirect.from.slice(0, -1),
        origin: `${redirect.origin} (without its final "/")`,
      };
      if (!byKey.has(keyOf(bare)) && !(options.shadowing !== false && options.pages.has(bare.from)))
        byKey.set(keyOf(bare), bare);
    }
  }

  // Chains collapse to one hop; loops are refused.
  const pathTargets = new Map<string, string>();
  for (const redirect of byKey.values()) if (redirect.query === undefined) pathTargets.set(redirect.from, redirect.to);
  const collapsed: Redirect[] = [];
  for (const redirect of byKey.values()) {
    const seen = new Set<string>([redirect.from]);
    let target = redirect.to;
    let loop = false;
    while (pathTargets.has(target)) {
      if (seen.has(target)) {
        loop = true;
        break;
      }
      seen.add(target);
      target = pathTargets.get(target)!;
    }
    if (loop || (target === redirect.from && redirect.query === undefined)) {
      errors.push(
        `old URL ${shown(redirect)} (${redirect.origin}) loops: ${[...seen].join(' → ')} → ${target}; fix the redirect_from that points back`,
      );
      continue;
    }
    collapsed.push(target === redirect.to ? redirect : { ...redirect, to: target });
  }

  // Only targets the site has.
  const redirects: Redirect[] = [];
  const missingInSite = new Map<string, boolean>();
  for (const redirect of collapsed) {
    if (!options.pages.has(redirect.to)) {
      warnings.push(
        `old URL ${shown(redirect)} (${redirect.origin}) left out: its target ${redirect.to} is not a page of the site`,
      );
      continue;
    }
    if (options.siteDir) {
      if (!missingInSite.has(redirect.to))
        missingInSite.set(redirect.to, !(await builtFileExists(options.siteDir, redirect.to)));
      if (missingInSite.get(redirect.to)) {
        warnings.push(
          `old URL ${shown(redirect)} (${redirect.origin}) left out: ${redirect.to} is not in the built site ${options.siteDir}`,
        );
        continue;
      }
    }
    redirects.push(redirect);
  }
  redirects.sort((a, b) => compare(a.from, b.from) || compare(a.query ?? '', b.query ?? ''));
  return { redirects, errors, warnings };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `/a/` is `a/index.html`; `/feed.xml` is that file (or a folder with an index). */
async function builtFileExists(siteDir: string, target: string): Promise<boolean> {
  const relative = target.replace(/^\/+/, '');
  const candidates = target.endsWith('/')
    ? [path.join(relative, 'index.html')]
    : [relative, path.join(relative, 'index.html')];
  for (const candidate of candidates) {
    const file = path.resolve(siteDir, candidate);
    if (!file.startsWith(path.resolve(siteDir) + path.sep)) return false;
    if ((await stat(file).catch(() => undefined))?.isFile()) return true;
  }
  return false;
}
