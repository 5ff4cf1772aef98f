import { gunzipSync, constants } from 'node:zlib';
import type { Importer } from './importer.ts';
import { readMailArchive } from './mail/mailArchive.ts';

/**
 * mbox files (mboxo, mboxrd, mboxcl2; CRLF; gzip-compressed), single messages (`.eml`) and
 * Maildir folders: each message a document of kind `message`, threaded, addresses hidden.
 */
const mbox: Importer = {
  name: 'mbox',
  streaming: true,
  sniff(head) {
    const text = decompressedHead(head).replace(/^(?:[ \t]*\r?\n)+/, '');
    const [first = '', second = ''] = text.split(/\r?\n/, 2);
    if (/^From \S.*?\d{1,2}:\d\d(?::\d\d)?\b.*?\b\d{4}\b/.test(first) && /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(second)) return true;
    // A bare message: it starts with a header block that has the fields every mail has.
    const block = text.split(/\r?\n\r?\n/, 1)[0];
    return /^[\x21-\x39\x3b-\x7e]+:/.test(first) && /^(from|date):/im.test(block) && /^(message-id|received|mime-version|subject|return-path):/im.test(block);
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
