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
import { InputError } from '../src/errors.ts';
import type { Body, Comment, Entry, EntryKind } from '../src/model.ts';
import { slugFromUrl } from '../src/slug.ts';
import type { ImportContext, Importer } from './importer.ts';
import { attribute, child, childText, children, readXmlFile, text, type XmlNode } from './xml.ts';

const KIND_PREFIX = 'http://schemas.google.com/blogger/2008/kind#';
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
  /** The old absolute URL, or the old path when the blog's address is unknown. */
  url?: string;
}

const blogger: Importer = {
  name: 'blogger',

  sniff(head) {
    if (!/<feed[\s>]/.test(head)) return false;
    if (head.includes('http://schemas.google.com/blogger/2018')) return true;
    // A backup, not the public feed of a blog: it has settings and template entries and an ".archive" id.
    return /kind#(settings|template)/.test(head) || /blog-\d+\.archive\s*<\/id>/.test(head);
  },

  async *entries(inputs, context) {
    const raw: RawEntry[] = [];
    let blogAddress = context.oldBase;
    for (const input of inputs) {
      const { root } = await readXmlFile(input);
      const feed = child(root, 'feed');
      if (!feed) throw new InputError(input, 'no <feed> element: this is not a Blogger backup');
      blogAddress ??= children(feed, 'link').find((link) => attribute(link, 'rel') === 'alternate')?.['@_href'] as string | undefined;
      const takeout = Object.keys(feed).some((key) => key.startsWith('@_xmlns') && String(feed[key]) === 'http://schemas.google.com/blogger/2018');
      for (const node of children(feed, 'entry')) raw.push(takeout ? readTakeoutEntry(node, blogAddress) : readClassicEntry(node));
    }
    if (!blogAddress && raw.some((entry) => entry.url?.startsWith('/'))) {
      context.warn('this Takeout export does not name the blog\'s address: pass --old-base https://yourblog.blogspot.com/ so links between posts and original_url can be set (redirect_from holds the old paths either way)');
    }
    yield* toEntries(raw, context);
  },
};

export default blogger;

function readClassicEntry(node: XmlNode): RawEntry {
  const id = childText(node, 'id') ?? '';
  const kindTerm = children(node, 'category')
    .map((category) => attribute(category, 'term') ?? '')
    .find((term) => term.startsWith(KIND_PREFIX));
  const kind = kindOf(kindTerm?.slice(KIND_PREFIX.length));
  const control = child(node, 'control');
  const draft = (childText(control, 'draft') ?? '').toLowerCase() === 'yes';
  const alternate = children(node, 'link').find((link) => attribute(link, 'rel') === 'alternate');
  const removed = children(node, 'extendedProperty').some((property) => attribute(property, 'name') === 'blogger.contentRemoved' && attribute(property, 'value') === 'true')
    ? 'deleted in Blogger'
    : undefined;
  let parent = attribute(child(node, 'in-reply-to'), 'ref')?.trim();
  // A reply to a comment points at it with rel="related" …/comments/default/<comment number>.
  const related = children(node, 'link').find((link) => attribute(link, 'rel') === 'related');
  const relatedNumber = /\/comments\/default\/(\d+)\s*$/.exec(attribute(related, 'href') ?? '')?.[1];
  if (kind === 'comment' && relatedNumber) parent = `#comment-number:${relatedNumber}|${parent ?? ''}`;
  return { id, kind, node, draft, removed, parent, url: attribute(alternate, 'href')?.trim() };
}

function readTakeoutEntry(node: XmlNode, blogAddress: string | undefined): RawEntry {
  const id = childText(node, 'id') ?? '';
  const type = (childText(node, 'type') ?? '').toUpperCase();
  const status = (childText(node, 'status') ?? 'LIVE').toUpperCase();
  const trashed = childText(node, 'trashed');
  const filename = childText(node, 'filename');
  let removed: string | undefined;
  if (status === 'DELETED') removed = 'deleted in Blogger';
  else if (status === 'SOFT_TRASHED' || trashed) removed = 'in Blogger\'s trash';
  const kind = kindOf(type.toLowerCase());
  let url: string | undefined;
  if (filename) url = (blogAddress && URL.canParse(filename, blogAddress) ? new URL(filename, blogAddress).href : undefined) ?? filename;
  return { id, kind, node, draft: status === 'DRAFT', removed, parent: childText(node, 'parent'), url };
}

function kindOf(name: string | undefined): BloggerKind {
  return name === 'post' || name === 'page' || name === 'comment' || name === 'settings' || name === 'template' ? name : 'unknown';
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
  const ordered = [...documents.values()].map(({ entry }) => entry).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.originalId.localeCompare(b.originalId));
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
    context.warn(`has the same old address as ${first} (${old}); that one keeps it and its redirect, this one gets a permalink of its own`, entry.originalId);
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
    .filter((category) => attribute(category, 'scheme') !== KIND_SCHEME && !(attribute(category, 'term') ?? '').startsWith(KIND_PREFIX))
    .map((category) => (attribute(category, 'term') ?? '').trim())
    .filter(Boolean);
  const absolute = item.url && /^https?:\/\//i.test(item.url) ? item.url : undefined;
  return {
    kind,
    originalId: item.id,
    title: titleOf(node),
    body: bodyOf(node),
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

function bodyOf(node: XmlNode): Body {
  const content = child(node, 'content');
  const value = text(content);
  return attribute(content, 'type') === 'text' ? { type: 'text', value } : { type: 'html', value };
}

/** Comments go to their post; a reply to a comment keeps the id of the comment it answers. */
function attachComments(comments: RawEntry[], documents: Map<string, { entry: Entry }>, raw: RawEntry[], context: ImportContext): void {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  // By the number after `.post-`: a find over every comment for each reply was quadratic.
  const byNumber = new Map<string, string>();
  for (const comment of comments) {
    const number = /\.post-(\d+)$/.exec(comment.id)?.[1];
    if (number !== undefined && !byNumber.has(number)) byNumber.set(number, comment.id);
  }
  const skippedPosts = new Map(raw.filter((item) => item.kind === 'post' || item.kind === 'page').map((item) => [item.id, item]));
  const postOf = (comment: RawEntry, depth = 0): { post?: string; answers?: string } => {
    let parent = comment.parent ?? '';
    let answers: string | undefined;
    const related = /^#comment-number:(\d+)\|(.*)$/.exec(parent);
    if (related) {
      answers = byNumber.get(related[1]);
      parent = related[2];
    }
    const parentComment = byId.get(parent);
    if (parentComment && depth < 100) return { post: postOf(parentComment, depth + 1).post, answers: answers ?? parent };
    return { post: parent || undefined, answers };
  };
  for (const comment of comments) {
    if (comment.removed) {
      context.skip(comment.id, `comment ${comment.removed}: not imported`);
      continue;
    }
    const { post, answers } = postOf(comment);
    const target = post ? documents.get(post) : undefined;
    if (!target) {
      const reason = post && skippedPosts.has(post) ? `comment on ${post}, which is not published` : `comment on ${post ?? 'no post'}, which is not in the input`;
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
      body: bodyOf(comment.node),
      url: comment.url && /^https?:/.test(comment.url) ? comment.url : undefined,
    };
    target.entry.comments.push(entry);
  }
  for (const { entry } of documents.values()) entry.comments.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id));
}
