/**
 * The one record every importer produces and everything downstream consumes.
 * An importer fills it from its input format; it never knows about Markdown files,
 * redirects or the site.
 */

export type EntryKind = 'post' | 'page' | 'message' | 'release';

/** The body as the input had it: the convert step turns each form into Markdown. */
export type Body =
  /** `base`: the URL relative references in the HTML resolve against (the feed's `xml:base`, the blog's address). */
  | { type: 'html'; value: string; base?: string }
  | { type: 'text'; value: string }
  | { type: 'markdown'; value: string };

/** An entry's body: one of the input's forms, or a tree the importer built itself (mail: quotes, patches, signatures). */
export type EntryBody = Body | { type: 'mdast'; value: import('mdast').Root };

export interface Comment {
  /** The input's own id of the comment (trimmed). */
  id: string;
  author?: string;
  authorUrl?: string;
  /** ISO 8601 with offset. */
  date?: string;
  /** Id of the comment this one answers, when it answers a comment rather than the post. */
  inReplyTo?: string;
  body: Body;
  /** The old permalink of the comment, where the input had one. */
  url?: string;
}

/** A file that belongs beside the document (mail attachments, inline images). */
export interface Attachment {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export interface Entry {
  kind: EntryKind;
  /** The input's own id: Atom `id`, RSS `guid`, mail `Message-ID`. */
  originalId: string;
  /** Plain text, entities decoded. Empty when the input had none (a slug is derived then). */
  title: string;
  body: EntryBody;
  /** ISO 8601 with offset. */
  date?: string;
  updated?: string;
  author?: string;
  tags: string[];
  draft: boolean;
  /** The old absolute permalink. */
  originalUrl?: string;
  /** Further old absolute URLs or paths that must answer with this document (the original URL is added automatically). */
  oldUrls: string[];
  comments: Comment[];
  /** The slug the old platform chose (Blogger's file name), preferred over one made from the title. */
  slug?: string;
  /**
   * The permalink the importer requires, for formats whose address is derived from the
   * input itself (mail: a hash of the Message-ID). Otherwise the writer chooses one.
   */
  permalink?: string;
  /** Frontmatter keys specific to the format (mail: message_id, thread, list; releases: product, versions). */
  extra?: Record<string, unknown>;
  attachments?: Attachment[];
}

/** Why an input entry was not written as a document of its own. */
export interface Skip {
  id: string;
  reason: string;
}
