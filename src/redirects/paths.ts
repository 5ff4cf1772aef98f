/**
 * URL paths in the redirect map. The map holds every path decoded (what nginx's `$uri` and
 * Apache's RewriteRule see), so `/caf%C3%A9` and `/café` are one old URL; each writer then
 * encodes it the way its server compares it.
 */

const encoder = new TextEncoder();

/** Longest old URL or target we write, encoded: far below nginx's 4 KiB token and every host's URL limit. */
export const MAX_URL_BYTES = 2000;

/** `%XX` sequences decoded as UTF-8; undefined when they are not valid UTF-8 (`%C3%28`). */
export function decodePath(path: string): string | undefined {
  try {
    return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => decodeURIComponent(run));
  } catch {
    return undefined;
  }
}

function encodeBytes(
  text: string,
  keep: (byte: number) => boolean,
  hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0'),
): string {
  let result = '';
  for (const byte of encoder.encode(text)) result += keep(byte) ? String.fromCharCode(byte) : `%${hex(byte)}`;
  return result;
}

const isAlphanumeric = (byte: number) =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
const charSet = (chars: string) => new Set([...chars].map((char) => char.charCodeAt(0)));

/** What a browser leaves unencoded in a path (the WHATWG path percent-encode set's complement), `%` aside. */
const BROWSER_PATH = charSet("!$&'()*+,-./:;=@[]^_|~");
/** A path as a browser sends it: the form hosts that match raw paths (Netlify, Cloudflare, Vercel) compare. */
export function encodePath(decoded: string): string {
  return encodeBytes(decoded, (byte) => isAlphanumeric(byte) || BROWSER_PATH.has(byte));
}

/** A query as a browser sends it (the WHATWG query set; `&` and `=` stay). */
const BROWSER_QUERY = charSet("!$&'()*+,-./:;=?@[\\]^_`{|}~");
export function encodeQuery(query: string): string {
  return encodeBytes(query, (byte) => isAlphanumeric(byte) || BROWSER_QUERY.has(byte));
}

/**
 * A redirect target, encoded so no config syntax has anything to escape in it: only letters,
 * digits, `-._~/` and `%XX` remain (no quote, `$`, `;`, `{`, backslash or space in any server's syntax).
 */
const TARGET = charSet('-._~/');
export function encodeTarget(decoded: string): string {
  return encodeBytes(decoded, (byte) => isAlphanumeric(byte) || TARGET.has(byte));
}

/** Apache's `int:escape` (ap_escape_uri, httpd server/util.c): all but alphanumerics and `$-_.+!*'(),:;@&=/~`, in lower-case hex. */
const APACHE_KEEP = charSet("$-_.+!*'(),:;@&=/~");
export function apacheEscape(decoded: string): string {
  return encodeBytes(
    decoded,
    (byte) => isAlphanumeric(byte) || APACHE_KEEP.has(byte),
    (byte) => byte.toString(16).padStart(2, '0'),
  );
}

/** Control characters (C0, DEL, C1): no server config or file name should ever carry one. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
