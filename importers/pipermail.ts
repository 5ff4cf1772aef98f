import type { Importer } from './importer.ts';
import { readMailArchive } from './mail/mailArchive.ts';
import { volumeOfFile } from './mail/pipermailVolumes.ts';
import { decompressedHead } from './mbox.ts';

/**
 * Mailman 2 Pipermail archives, one file a volume (`2020-May.txt`, `2024.txt.gz`,
 * `Week-of-Mon-20011231.txt`): no MIME headers, addresses written `user at host` (or as the
 * install obfuscates them), bodies never `>From`-escaped. Several volumes are one source, read in
 * date order; with `--old-base` (the list's archive address) each message keeps its old
 * `/pipermail/<list>/<volume>/<NNNNNN>.html` URL as a redirect.
 */

/** HyperArch's as_text writes `From %(email)s  %(fromdate)s`: two spaces, then time.ctime(). */
const SEPARATOR =
  /^From \S.*?\S {2}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;
/** … then `From: %(email)s (%(author)s)`. */
const FROM_FIELD = /^From: \S.*\(.*\)\s*$/;
/** … then only these fields, in this order; a mail program's mbox always has more (Received, MIME-Version, Return-Path…). */
const MAILMAN_FIELDS = ['date', 'subject', 'in-reply-to', 'references', 'message-id'];

const pipermail: Importer = {
  name: 'pipermail',
  streaming: true,
  sniff(head, file) {
    const lines = decompressedHead(head)
      .replace(/^(?:[ \t]*\r?\n)+/, '')
      .split(/\r?\n/, 1000);
    const [first = '', second = ''] = lines;
    // Older Almanac rule, kept: both lines in the `user at host` spelling.
    if (
      /^From \S+ at \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(first) &&
      /^From: \S+ at \S+/.test(second)
    )
      return true;
    if (!SEPARATOR.test(first) || !second.startsWith('From: ')) return false;
    // A file that kept its Mailman volume name needs no more.
    if (FROM_FIELD.test(second) && volumeOfFile(file)) return true;
    return FROM_FIELD.test(second) && onlyMailmanFields(lines.slice(2));
  },
  entries(inputs, context) {
    return readMailArchive(inputs, context, 'pipermail');
  },
};

/** Whether the header block after `From:` has only the fields Mailman's text archive writes, in its order. */
function onlyMailmanFields(lines: string[]): boolean {
  let next = 0;
  for (const line of lines) {
    if (line === '') return next > 0;
    if (/^[ \t]/.test(line)) continue;
    const name = /^([\w-]+):/.exec(line)?.[1].toLowerCase();
    const at = name === undefined ? -1 : MAILMAN_FIELDS.indexOf(name, next);
    if (at === -1) return false;
    next = at + 1;
  }
  // The head ended inside the header block (a References list of a long thread): what was read fits.
  return next > 0;
}

export default pipermail;
