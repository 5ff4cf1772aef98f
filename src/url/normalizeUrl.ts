import { domainToUnicode } from 'node:url';

/**
 * The one URL normalization: the WHATWG URL parser, as browsers do it — host lower-cased and
 * punycoded (`bücher.example` → `xn--bcher-kva.example`), path, query and fragment
 * percent-encoded (`/Straße` → `/Stra%C3%9Fe`), IPv6 hosts bracketed, `../` resolved.
 * Returns undefined for anything that is not an absolute URL (after resolving against base).
 */
export function normalizeUrl(input: string, base?: string): string | undefined {
  try {
    return new URL(input.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Schemes a link may carry onto a page or into a terminal; `javascript:`, `data:` and the like never. */
export const SAFE_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'ftp:', 'mailto:', 'xmpp:']);

/** The normalized URL when its scheme is one a reader can safely follow, else undefined. */
export function safeUrl(input: string, base?: string): string | undefined {
  const url = normalizeUrl(input, base);
  return url !== undefined && SAFE_SCHEMES.has(new URL(url).protocol) ? url : undefined;
}

/** For people: the host in Unicode again (punycode stays the link target, never the text). */
export function displayHost(url: string): string {
  const { hostname } = new URL(url);
  return domainToUnicode(hostname) || hostname;
}
