import { gunzipSync, constants } from 'node:zlib';
import type { Importer } from './importer.ts';
import { readMailArchive } from './mail/mailArchive.ts';
import { startsWithSeparator } from './mail/splitMbox.ts';

/**
 * mbox files (mboxo, mboxrd, mboxcl2, Netscape's and Google Takeout's date-less separators; LF,
 * CRLF or CR line ends; gzip-compressed), single messages (`.eml`) and Maildir folders: each
 * message a document of kind `message`, threaded, addresses hidden.
 */
const mbox: Importer = {
  name: 'mbox',
  streaming: true,
  sniff(head) {
    // LF, CRLF and classic Mac OS's CR-only line ends alike.
    const text = decompressedHead(head).replace(/^(?:[ \t]*(?:\r\n|\r|\n))+/, '');
    const lines = text.split(/\r\n|\r|\n/);
    if (startsWithSeparator(lines)) return true;
    // A bare message: it starts with a header block that has the fields every mail has.
    const blank = lines.indexOf('');
    const block = lines.slice(0, blank === -1 ? undefined : blank).join('\n');
    return (
      /^[\x21-\x39\x3b-\x7e]+:/.test(lines[0]) &&
      /^(from|date):/im.test(block) &&
      /^(message-id|received|mime-version|subject|return-path):/im.test(block)
    );
  },
  entries(inputs, context) {
    return readMailArchive(inputs, context, 'mbox');
  },
};

/** The head of a file as text; a gzip-compressed head is inflated as far as it goes. */
export function decompressedHead(head: string): string {
  if (!head.startsWith('\x1f\x8b')) return head;
  try {
    return gunzipSync(Buffer.from(head, 'latin1'), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
  } catch {
    return '';
  }
}

export default mbox;
