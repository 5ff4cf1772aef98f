import { readFile } from 'node:fs/promises';
import PostalMime from 'postal-mime';
import type { Entry } from '../../src/model.ts';

/**
 * The messages of a small mbox fixture as Entries, the way the mail importer hands them to the
 * import runner (kind message; message_id, in_reply_to, references, thread, list in `extra`).
 * For release tests that must not wait for the mail importer (issue 4).
 */
export async function mailEntries(file: string, list: string): Promise<Entry[]> {
  const raw = await readFile(file, 'utf8');
  const messages = raw.split(/^From \S+ +.*\d{4}\n/m).filter((part) => part.trim() !== '');
  const entries: Entry[] = [];
  for (const message of messages) {
    const mail = await PostalMime.parse(message);
    const id = mail.messageId!;
    const references = (mail.references ?? '').split(/\s+/).filter(Boolean);
    entries.push({
      kind: 'message',
      originalId: id,
      title: (mail.subject ?? '').replace(/^\[[^\]]+\]\s*/, ''),
      body: { type: 'text', value: mail.text ?? '' },
      date: mail.date,
      author: mail.from?.name,
      tags: [],
      draft: false,
      oldUrls: [],
      comments: [],
      permalink: `/${list}/${id.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}/`,
      extra: {
        message_id: id,
        in_reply_to: mail.inReplyTo,
        references: references.length > 0 ? references : undefined,
        thread: references[0] ?? id,
        list,
      },
    });
  }
  return entries;
}
