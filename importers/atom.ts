/**
 * Atom 1.0 feeds (and Atom 0.3): any blog's feed, a Blogger public feed (not a backup), a
 * FeedBurner feed, a planet's feed. `content` over `summary`, `published` over `updated`,
 * `feedburner:origLink` over the alternate link; entries answering another (`thr:in-reply-to`)
 * are comments of their post. Several files are the pages of one feed.
 */
import type { Importer } from './importer.ts';
import { readAtomItems } from './atomEntry.ts';
import { feedEntries } from './feedEntries.ts';
import { isAtomRoot } from './xml.ts';
import { encodingOption } from './textEncoding.ts';

const atom: Importer = {
  name: 'atom',

  sniff(head) {
    return isAtomRoot(head);
  },

  async *entries(inputs, context) {
    const { items, date } = await readAtomItems(
      inputs,
      (item) => item.inReplyTo !== undefined,
      encodingOption(context.options),
    );
    yield* feedEntries(items, context, { date });
  },
};

export default atom;
