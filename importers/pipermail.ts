import type { Importer } from './importer.ts';
import { readMailArchive } from './mail/mailArchive.ts';
import { decompressedHead } from './mbox.ts';

/**
 * Mailman 2 Pipermail monthly archives (`2020-May.txt`, `2020-May.txt.gz`): no MIME headers,
 * addresses written `user at host`, bodies never `>From`-escaped. Several months are one source,
 * read in month order; with `--old-base` (the list's archive address) each message keeps its old
 * `/pipermail/<list>/<YYYY-Month>/<NNNNNN>.html` URL as a redirect.
 */
const pipermail: Importer = {
  name: 'pipermail',
  streaming: true,
  sniff(head) {
    const [first = '', second = ''] = decompressedHead(head).replace(/^(?:[ \t]*\r?\n)+/, '').split(/\r?\n/, 2);
    return /^From \S+ at \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(first) && /^From: \S+ at \S+/.test(second);
  },
  entries(inputs, context) {
    return readMailArchive(inputs, context, 'pipermail');
  },
};

export default pipermail;
