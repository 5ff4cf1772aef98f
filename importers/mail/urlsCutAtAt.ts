/**
 * Pipermail writes every `@` of a body as ` at `, inside URLs too:
 * `<http://www.mail-archive.com/ion-general at lists.berlios.de/msg01581.html>`, and a linker
 * then stops at the space. A URL holds no space, so a ` at ` inside `<…>` around a URL, or one
 * followed by a host and a path (`…/list at host.org/page`), is that `@`: put back, as the URL was
 * (a URL is an address of a page, not a person's to hide).
 */

const URL_START = /\b(?:https?|ftp):\/\/[^\s<>]*/g;
/** Inside `<…>`: whatever follows ` at ` up to the next space or bracket. */
const BRACKETED_PART = / at ([^\s<>]+)/y;
/** Outside brackets only a host name and a path after it say the URL goes on. Labels are bounded: linear on any line. */
const CONTINUED_PATH = / at ([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}\/[^\s<>]*)/y;

export function restoreUrlAt(text: string): string {
  if (!text.includes(' at ') || !text.includes('://')) return text;
  let result = '';
  let copied = 0;
  URL_START.lastIndex = 0;
  for (let match = URL_START.exec(text); match; match = URL_START.exec(text)) {
    const bracketed = text[match.index - 1] === '<';
    const part = bracketed ? BRACKETED_PART : CONTINUED_PATH;
    let url = match[0];
    let end = match.index + url.length;
    for (part.lastIndex = end; ; part.lastIndex = end) {
      const next = part.exec(text);
      if (!next) break;
      url += `@${next[1]}`;
      end = part.lastIndex;
    }
    // `<http://x at y and more>` is not one URL: left as written.
    if (end > match.index + match[0].length && (!bracketed || text[end] === '>')) {
      result += text.slice(copied, match.index) + url;
      copied = end;
    }
    URL_START.lastIndex = Math.max(end, URL_START.lastIndex);
  }
  return result + text.slice(copied);
}
