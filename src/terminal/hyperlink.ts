import { normalizeUrl } from '../url/normalizeUrl.ts';

/**
 * OSC 8 hyperlinks (https://gist.github.com/egmontkob/eb114294efbcd5adb1944c9f3cb5feda):
 * `ESC ] 8 ; params ; URI ESC \ text ESC ] 8 ; ; ESC \`.
 */

const ST = '\u001B\\';

/** Terminals (VTE, iTerm2, kitty) drop longer URIs; the spec advises keeping to this. */
export const LONGEST_URI = 2083;

export function openHyperlink(uri: string, id?: string): string {
  return `\u001B]8;${id === undefined ? '' : `id=${id}`};${uri}${ST}`;
}

export const CLOSE_HYPERLINK = `\u001B]8;;${ST}`;

export function hyperlink(uri: string, text: string, id?: string): string {
  return `${openHyperlink(uri, id)}${text}${CLOSE_HYPERLINK}`;
}

/**
 * The URI as a terminal may carry it: WHATWG-normalized (punycode host, percent-encoded path),
 * then anything outside printable ASCII percent-encoded, since the URI ends at the first control
 * character. Undefined when it is not an absolute URL or is longer than LONGEST_URI bytes.
 */
export function terminalUri(url: string, base?: string): string | undefined {
  const normalized = normalizeUrl(url, base);
  if (normalized === undefined) return undefined;
  const printable = normalized.replace(/[^\x21-\x7E]/gu, (character) => encodeURIComponent(character));
  return printable.length <= LONGEST_URI ? printable : undefined;
}

/**
 * Control characters (C0 but tab and newline, DEL, C1) out of text from documents, so that an
 * imported post cannot move the cursor, retitle the window or forge a link: the terminal sees
 * no ESC, BEL or CSI that we did not write.
 */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}
