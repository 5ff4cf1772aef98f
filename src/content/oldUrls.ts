/**
 * Old URLs as keys: two spellings of the same old address (http or https, with or without
 * `www.`, Blogger's `?m=1` mobile variant, a `#fragment`) give the same key.
 */

/** Query parameters that select a variant of the same page, not another page. */
const VARIANT_PARAMETERS = ['m', 'showComment', 'utm_source', 'utm_medium', 'utm_campaign'];

export interface OldUrl {
  /** `host/path?query` without the variant parameters, host lower-cased and without `www.`. */
  key: string;
  host: string;
  /** `/path?query`, the form a redirect is written in. */
  path: string;
  fragment: string;
}

export function parseOldUrl(url: string, base?: string): OldUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim(), base);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  for (const name of VARIANT_PARAMETERS) parsed.searchParams.delete(name);
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const path = parsed.pathname + parsed.search;
  return { key: host + path, host, path, fragment: parsed.hash };
}

/** The old path of an absolute URL (`https://x.blogspot.com/2020/01/a.html?m=1` → `/2020/01/a.html`). */
export function oldPath(url: string): string | undefined {
  return parseOldUrl(url)?.path;
}
