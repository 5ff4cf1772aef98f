/**
 * Blogger backups, both formats:
 * - the classic "Back up content" file (`blog-MM-DD-YYYY.xml`): Atom entries whose kind is a
 *   category `…/blogger/2008/kind#post|page|comment|settings|template`, drafts in `app:draft`,
 *   comments tied to posts by `thr:in-reply-to`;
 * - the Google Takeout `feed.atom` (namespace `…/blogger/2018`): `blogger:type`, `blogger:status`,
 *   `blogger:filename`, `blogger:parent`; it carries no blog address (`--old-base` supplies it).
 */
import { htmlToText } from '../src/convert/bodyText.ts';
import { parseOldUrl } from '../src/content/oldUrls.ts';
import type { Body, Comment, Entry, EntryKind } from '../src/model.ts';
import { slugFromUrl } from '../src/slug.ts';
import type { ImportContext, Importer } from './importer.ts';
import { absoluteUrl, pageUrl } from './atomEntry.ts';
import { NotThisFormat } from './importer.ts';
import { encodingOption } from './textEncoding.ts';
import {
  attribute,
  child,
  childText,
  children,
  namespaceUris,
  readXmlFile,
  rootElement,
  text,
  xmlBase,
  type XmlNode,
} from './xml.ts';

const KIND_PREFIX = 'http://schemas.google.com/blogger/2008/kind#';
const TAKEOUT_NAMESPACE = 'http://schemas.google.com/blogger/2018';
const KIND_SCHEME = 'http://schemas.google.com/g/2005#kind';

type BloggerKind = 'post' | 'page' | 'comment' | 'settings' | 'template' | 'unknown';

/** One `<entry>` read into the facts both formats share. */
interface RawEntry {
  id: string;
  kind: BloggerKind;
  node: XmlNode;
  /** Why it must not be published (deleted, trashed), if so. */
  removed?: string;
  draft: boolean;
  /** The post a comment belongs to, or the comment it answers (resolved later). */
  parent?: string;
  /** The address of what a comment answers (`thr:in-reply-to href`): a page's comments name the page by it, and by a `post-` id. */
  parentUrl?: string;
  body: Body;
  /** The old absolute URL, or the old path when the blog's address is unknown. */
  url?: string;
}

const blogger: Importer = {
  name: 'blogger',

  sniff(head) {
    const root = rootElement(head);
    if (root?.name !== 'atom:feed') return false;
    if (root.namespaces.includes(TAKEOUT_NAMESPACE)) return true;
    // A backup, not the public feed of a blog: it has settings and template entries and an ".archive" id.
    return /kind#(settings|template)/.test(head) || /blog-\d+\.archive\s*<\/(?:[\w.-]+:)?id>/.test(head);
  },

  async *entries(inputs, context) {
    const raw: RawEntry[] = [];
    let blogAddress = context.oldBase;
    const encoding = encodingOption(context.options);
    for (const input of inputs) {
      const { root } = await readXmlFile(input, encoding);
      const feed = child(root, 'feed');
      if (!feed) throw new NotThisFormat(input, 'a Blogger export');
      blogAddress ??= attribute(
        children(feed, 'link').find((link) => attribute(link, 'rel') === 'alternate'),
        'href',
      );
      const takeout = namespaceUris(feed).includes(TAKEOUT_NAMESPACE);
      const read = children(feed, 'entry').map((node) =>
        takeout ? readTakeoutEntry(node, blogAddress) : readClassicEntry(node, blogAddress),
      );
      // A plain Atom feed read as Blogger would be all "no Blogger kind" skips and nothing written.
      if (!takeout && read.length > 0 && read.every((entry) => entry.kind === 'unknown'))
        throw new NotThisFormat(input, 'a Blogger export');
      raw.push(...read);
    }
    if (!blogAddress && raw.some((entry) => entry.url?.startsWith('/'))) {
      context.warn(
        "this Takeout export does not name the blog's address: pass --old-base https://yourblog.blogspot.com/ so links between posts and original_url can be set (redirect_from holds the old paths either way)",
      );
    }
    yield* toEntries(raw, context);
  },
};

export default blogger;

function readClassicEntry(node: XmlNode, blogAddress: string | undefined): RawEntry {
  const id = childText(node, 'id') ?? '';
  const kindTerm = children(node, 'category')
    .map((category) => attribute(category, 'term') ?? '')
    .find((term) => term.startsWith(KIND_PREFIX));
  const kind = kindOf(kindTerm?.slice(KIND_PREFIX.length));
  const control = child(node, 'app:control');
  const draft = (childText(control, 'app:draft') ?? '').toLowerCase() === 'yes';
  const alternate = children(node, 'link').find((link) => attribute(link, 'rel') === 'alternate');
  const removed = children(node, 'gd:extendedProperty').some(
    (property) => attribute(property, 'name') === 'blogger.contentRemoved' && attribute(property, 'value') === 'true',
  )
    ? 'deleted in Blogger'
    : undefined;
  const replyTo = child(node, 'thr:in-reply-to');
  let parent = attribute(replyTo, 'ref')?.trim();
  // A reply to a comment points at it with rel="related" …/comments/default/<comment number>.
  const related = children(node, 'link').find((link) => attribute(link, 'rel') === 'related');
  const relatedNumber = /\/comments\/default\/(\d+)\s*$/.exec(attribute(related, 'href') ?? '')?.[1];
  if (kind === 'comment' && relatedNumber) parent = `#comment-number:${relatedNumber}|${parent ?? ''}`;
  const href = attribute(alternate, 'href')?.trim();
  // An absolute address is kept as written; a relative one (under an xml:base) is resolved.
  const url =
    href && /^https?:\/\//i.test(href) ? href : (pageUrl(href, xmlBase(alternate, blogAddress, node)) ?? href);
  return {
    id,
    kind,
    node,
    draft,
    removed,
    parent,
    parentUrl: absoluteUrl(attribute(replyTo, 'href'), xmlBase(replyTo, blogAddress, node)),
    url,
    body: bodyOf(node, blogAddress),
  };
}

function readTakeoutEntry(node: XmlNode, blogAddress: string | undefined): RawEntry {
  const id = childText(node, 'id') ?? '';
  const type = (childText(node, 'blogger:type') ?? '').toUpperCase();
  const status = (childText(node, 'blogger:status') ?? 'LIVE').toUpperCase();
  const trashed = childText(node, 'blogger:trashed');
  const filename = childText(node, 'blogger:filename');
  let removed: string | undefined;
  if (status === 'DELETED') removed = 'deleted in Blogger';
  else if (status === 'SOFT_TRASHED' || trashed) removed = "in Blogger's trash";
  const kind = kindOf(type.toLowerCase());
  let url: string | undefined;
  if (filename)
    url =
      (blogAddress && URL.canParse(filename, blogAddress) ? new URL(filename, blogAddress).href : undefined) ??
      filename;
  return {
    id,
    kind,
    node,
    draft: status === 'DRAFT',
    removed,
    parent: childText(node, 'blogger:parent'),
    url,
    body: bodyOf(node, blogAddress),
  };
}

function kindOf(name: string | undefined): BloggerKind {
  return name === 'post' || name === 'page' || name === 'comment' || name === 'settings' || name === 'template'
    ? name
    : 'unknown';
}

function* toEntries(raw: RawEntry[], context: ImportContext): Generator<Entry> {
  const documents = new Map<string, { raw: RawEntry; entry: Entry }>();
  const comments: RawEntry[] = [];
  let done = 0;
  for (const item of raw) {
    context.progress(++done, raw.length);
    if (!item.id) {
      context.skip(`entry ${done}`, 'the entry has no <id>');
    } else if (item.kind === 'settings' || item.kind === 'template') {
      context.skip(item.id, `Blogger ${item.kind} entry: not a document`);
    } else if (item.kind === 'unknown') {
      context.skip(item.id, 'the entry has no Blogger kind (post, page or comment)');
    } else if (item.kind === 'comment') {
      comments.push(item);
    } else if (documents.has(item.id)) {
      context.skip(item.id, 'the same id appears again in the input; the first one was imported');
    } else if (item.removed) {
      context.skip(item.id, `${item.kind} ${item.removed}: not published`);
    } else {
      documents.set(item.id, { raw: item, entry: toEntry(item, item.kind) });
    }
  }
  attachComments(comments, documents, raw, context);
  // Oldest first, so of two posts with the same slug the older keeps it, whatever the export's order.
  const ordered = [...documents.values()]
    .map(({ entry }) => entry)
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.originalId.localeCompare(b.originalId));
  // One old address answers with one document: a later post claiming it too (`x.html` and `x.html?m=1`) keeps its text but not the address.
  const claimed = new Map<string, string>();
  for (const entry of ordered) {
    const old = entry.originalUrl ?? entry.oldUrls[0];
    const key = old ? parseOldUrl(old, 'http://old-path.invalid/')?.key.replace(/^old-path\.invalid/, '') : undefined;
    if (!key) continue;
    const first = claimed.get(key);
    if (first === undefined) {
      claimed.set(key, entry.originalId);
      continue;
    }
    context.warn(
      `has the same old address as ${first} (${old}); that one keeps it and its redirect, this one gets a permalink of its own`,
      entry.originalId,
    );
    entry.originalUrl = undefined;
    entry.oldUrls = [];
    entry.slug = undefined;
  }
  yield* ordered;
}

function toEntry(item: RawEntry, kind: EntryKind): Entry {
  const { node } = item;
  const published = childText(node, 'published');
  const updated = childText(node, 'updated');
  const tags = children(node, 'category')
    .filter(
      (category) =>
        attribute(category, 'scheme') !== KIND_SCHEME && !(attribute(category, 'term') ?? '').startsWith(KIND_PREFIX),
    )
    .map((category) => (attribute(category, 'term') ?? '').trim())
    .filter(Boolean);
  const absolute = item.url && /^https?:\/\//i.test(item.url) ? item.url : undefined;
  return {
    kind,
    originalId: item.id,
    title: titleOf(node),
    body: item.body,
    date: published ?? updated,
    updated,
    author: childText(child(node, 'author'), 'name'),
    tags: [...new Set(tags)],
    draft: item.draft,
    originalUrl: absolute,
    oldUrls: item.url && !absolute ? [item.url] : [],
    comments: [],
    slug: item.url ? slugFromUrl(item.url, item.id) : undefined,
  };
}

function titleOf(node: XmlNode): string {
  const title = child(node, 'title');
  const value = text(title);
  return (attribute(title, 'type') === 'html' ? htmlToText(value) : value).replace(/\s+/g, ' ').trim();
}

/** The entry's content; relative URLs in its HTML resolve against its `xml:base`, else the blog's address. */
function bodyOf(node: XmlNode, blogAddress: string | undefined): Body {
  const content = child(node, 'content');
  const value = text(content);
  if (attribute(content, 'type') === 'text') return { type: 'text', value };
  const base = xmlBase(content, blogAddress, node);
  return base === undefined ? { type: 'html', value } : { type: 'html', value, base };
}

/** Comments go to their post; a reply to a comment keeps the id of the comment it answers. */
function attachComments(
  comments: RawEntry[],
  documents: Map<string, { entry: Entry }>,
  raw: RawEntry[],
  context: ImportContext,
): void {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  // By the number after `.post-`: a find over every comment for each reply was quadratic.
  const byNumber = new Map<string, string>();
  for (const comment of comments) {
    const number = /\.post-(\d+)$/.exec(comment.id)?.[1];
    if (number !== undefined && !byNumber.has(number)) byNumber.set(number, comment.id);
  }
  const skippedPosts = new Map(
    raw.filter((item) => item.kind === 'post' || item.kind === 'page').map((item) => [item.id, item]),
  );
  const byUrl = new Map<string, { entry: Entry }>();
  for (const document of documents.values())
    if (document.entry.originalUrl) byUrl.set(document.entry.originalUrl, document);
  // A page's comments name it `…post-N` while its own id is `…page-N` (and the other way round), and by its address.
  const documentOf = (post: string | undefined, url: string | undefined) =>
    (post === undefined ? undefined : (documents.get(post) ?? documents.get(otherKindId(post)))) ??
    (url === undefined ? undefined : byUrl.get(url));
  const postOf = (comment: RawEntry, depth = 0): { post?: string; answers?: string; url?: string } => {
    let parent = comment.parent ?? '';
    let answers: string | undefined;
    const related = /^#comment-number:(\d+)\|(.*)$/.exec(parent);
    if (related) {
      answers = byNumber.get(related[1]);
      parent = related[2];
    }
    const parentComment = byId.get(parent);
    if (parentComment && depth < 100) {
      const { post, url } = postOf(parentComment, depth + 1);
      return { post, url, answers: answers ?? parent };
    }
    return { post: parent || undefined, answers, url: comment.parentUrl };
  };
  for (const comment of comments) {
    if (comment.removed) {
      context.skip(comment.id, `comment ${comment.removed}: not imported`);
      continue;
    }
    const { post, answers, url } = postOf(comment);
    const target = documentOf(post, url);
    if (!target) {
      const reason =
        post && (skippedPosts.has(post) || skippedPosts.has(otherKindId(post)))
          ? `comment on ${post}, which is not published`
          : `comment on ${post ?? 'no post'}, which is not in the input`;
      context.skip(comment.id, reason);
      continue;
    }
    const author = child(comment.node, 'author');
    const entry: Comment = {
      id: comment.id,
      author: childText(author, 'name'),
      authorUrl: childText(author, 'uri'),
      date: childText(comment.node, 'published') ?? childText(comment.node, 'updated'),
      inReplyTo: answers,
      body: comment.body,
      url: comment.url && /^https?:/.test(comment.url) ? comment.url : undefined,
    };
    target.entry.comments.push(entry);
  }
  for (const { entry } of documents.values())
    entry.comments.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id));
}

/** `…blog-1.post-7` ↔ `…blog-1.page-7`: Blogger numbers posts and pages alike and names a page's comments' target by either. */
function otherKindId(id: string): string {
  return id.replace(
    /\.(post|page)-(\d+)$/,
    (_, kind: string, number: string) => `.${kind === 'post' ? 'page' : 'post'}-${number}`,
  );
}
