import { toHtml } from 'hast-util-to-html';
import { dump } from 'js-yaml';

/**
 * A URL written into each kind of file, escaped by the library that owns that syntax.
 * Markdown needs no function here: put the URL in a `link` node and remark-stringify writes
 * `<…>` or escapes parentheses itself (see test/url-escape.test.ts).
 */

/** `href="…"` as hast-util-to-html writes it: `&`, quotes and the like as named references. */
export function htmlAttribute(name: string, url: string): string {
  const element = toHtml(
    { type: 'element', tagName: 'a', properties: { [name]: url }, children: [] },
    { characterReferences: { useNamedReferences: true } },
  );
  return element.slice('<a '.length, -'></a>'.length);
}

/** A YAML scalar that reads back as exactly this string (js-yaml quotes `#`, `: `, `*`, `&`, `!` … when they would mean something). */
export function yamlScalar(url: string): string {
  return dump(url, { lineWidth: -1 }).trimEnd();
}

/**
 * For server configs (nginx, Apache, Caddy, `_redirects`): every character that one of them
 * reads as syntax — whitespace, quotes, `\`, `$` (nginx/Apache variables), `{ }` (Caddy
 * placeholders, nginx blocks), `;`, `#`, `%` not starting an escape, controls — percent-encoded,
 * so the URL can be written unquoted in any of them and still means the same resource.
 */
export function serverConfigUrl(url: string): string {
  return url.replace(/%(?![0-9A-Fa-f]{2})|[\s"'`\\${};#<>|^\u0000-\u001f\u007f]/gu, (character, offset: number) =>
    // The first `#` of a URL starts its fragment; servers never see it, so it stays as it is.
    character === '#' && offset === url.indexOf('#') ? '#' : percentEncode(character),
  );
}

function percentEncode(character: string): string {
  return [...Buffer.from(character, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}
