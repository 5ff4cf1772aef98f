/**
 * Atom 1.0 feeds (and Atom 0.3): any blog's feed, a Blogger public feed (not a backup), a
 * FeedBurner feed, a planet's feed. `content` over `summary`, `published` over `updated`,
 * `feedburner:origLink` over the alternate link; entries answering another (`thr:in-reply-to`)
 * are comments of their post. Several files are the pages of one feed.
 */
import type { Importer } from './importer.ts';
import { feedAuthor, feedBase, readAtomEntry, readAtomFile } from './atomEntry.ts';
import { feedEntries, rootElement, type FeedItem } from './feedEntries.ts';
import { childText } from './xml.ts';

const atom: Importer = {
  name: 'atom',

  sniff(head) {
    return rootElement(head) === 'feed';
  },

  async *entries(inputs, context) {
    const items: FeedItem[] = [];
    let date: string | undefined;
    for (const input of inputs) {
      const { feed, entries } = await readAtomFile(input);
      const base = feedBase(feed);
      const author = feedAuthor(feed);
      date ??= childText(feed, 'updated') ?? childText(feed, 'modified');
      entries.forEach((node, index) => {
        const item = readAtomEntry(node, base, author, `${input}#${index + 1}`);
        item.comment = item.inReplyTo !== undefined;
        items.push(item);
      });
    }
    yield* feedEntries(items, context, { date });
  },
};

export default atom;
