/**
 * Apache Roller's Atom feeds (blogs.sun.com, later blogs.oracle.com, jroller.com, blogs.apache.org):
 * the entries feed `/<handle>/feed/entries/atom`, its `rel="next"` pages, and the comments feed
 * `/<handle>/feed/comments/atom`. Categories (`term="/Solaris" label="Solaris"`) and tags
 * (scheme `http://roller.apache.org/ns/tags/`) are both tags; comment entries
 * (`<permalink>#comment-<timestamp>`, `Re: <title>`, sometimes `thr:in-reply-to`) go to their post.
 * Sun-era bodies that open without `<p>` and split paragraphs with `</p><p>` need no repair: the
 * HTML parser already makes the text before the first `</p>` a paragraph (test/roller.test.ts).
 * With `--also-old-base`, the same `/<handle>/entry/<anchor>` paths on the blog's later address
 * answer with the new page too.
 */
import type { Importer } from './importer.ts';
import { readAtomItems } from './atomEntry.ts';
import { feedEntries, type FeedItem } from './feedEntries.ts';
import { isAtomRoot } from './xml.ts';
import { encodingOption } from './textEncoding.ts';

const ROLLER_TAG_SCHEME = 'http://roller.apache.org/ns/tags/';

const roller: Importer = {
  name: 'roller',

  sniff(head) {
    if (!isAtomRoot(head)) return false;
    return (
      />\s*Apache Roller\s*</.test(head) ||
      head.includes(ROLLER_TAG_SCHEME) ||
      /<(?:[\w.-]+:)?id>\s*https?:\/\/[^<\s]+\/[^/<\s]+\/entry\/[^<\s]+\s*<\/(?:[\w.-]+:)?id>/.test(head)
    );
  },

  async *entries(inputs, context) {
    const { items, date } = await readAtomItems(inputs, isRollerComment, encodingOption(context.options));
    yield* feedEntries(items, context, { date, tags: rollerTags });
  },
};

export default roller;

/** Roller's one category (`/Solaris`, labelled `Solaris`; older Rollers a path `/Java/Tools`) and its tags, all as tags. */
function rollerTags(item: FeedItem): string[] {
  return item.categories.map((category) => {
    if (category.scheme === ROLLER_TAG_SCHEME) return category.term;
    return category.label ?? category.term.split('/').filter(Boolean).at(-1) ?? '';
  });
}

/** A comment entry: threaded, or Roller's `<permalink>#comment-<timestamp>` id, or `Re: <title>` at a `#comment` link. */
function isRollerComment(item: FeedItem): boolean {
  return (
    item.inReplyTo !== undefined ||
    /#comment-/.test(item.id ?? '') ||
    (/^Re:/i.test(item.title ?? '') && /#comment/.test(item.url ?? ''))
  );
}
