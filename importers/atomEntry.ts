/**
 * Reading Atom feeds (RFC 4287, and Atom 0.3's element names where they differ), shared by the
 * Atom and Roller importers: text constructs of type text, html and xhtml, links, categories,
 * authors, the planet `<source>` of an entry and the thread extension's `in-reply-to`.
 */
import { XMLParser } from 'fast-xml-parser';
import { htmlToText } from '../src/convert/bodyText.ts';
import { InputError } from '../src/errors.ts';
import type { FeedBody, FeedItem } from './feedEntries.ts';
import {
  attribute,
  child,
  childText,
  children,
  decodeXml,
  localName,
  parseXmlText,
  readXmlBytes,
  resolveReference,
  text,
  xmlBase,
  XML_PARSER_OPTIONS,
  type XmlNode,
} from './xml.ts';

/**
 * Text constructs come back as the raw XML between their tags: fast-xml-parser groups an
 * element's children by name, which loses the order of xhtml content (`a <b>b</b> c`).
 */
const TEXT_CONSTRUCTS = ['title', 'subtitle', 'summary', 'content', 'rights', 'tagline', 'info'];

// The options of importers/xml.ts (entities bounded, numbers left as text), plus the raw text constructs (parserFor).

export interface AtomFeed {
  file: string;
  feed: XmlNode;
  entries: XmlNode[];
}

/** Reads one Atom file; a file that is not well-formed gets xml.ts's one-line error with line:column. */
export async function readAtomFile(file: string, encoding?: string): Promise<AtomFeed> {
  const xml = decodeXml(file, await readXmlBytes(file), encoding);
  const { root } = parseXmlText(file, xml, parserFor(xml));
  const feed = child(root, 'feed');
  if (!feed)
    throw new InputError(
      file,
      `the root element is <${Object.keys(root)[0] ?? '?'}>, not an Atom <feed>; try --format rss`,
    );
  return { file, feed, entries: children(feed, 'entry') };
}

const parsers = new Map<string, XMLParser>();

/** A parser whose raw text constructs are the Atom ones under every prefix this document binds to Atom (`ns0:content` too). */
function parserFor(xml: string): XMLParser {
  const prefixes = new Set(['', 'atom']);
  for (const match of xml.matchAll(
    /\bxmlns:([A-Za-z_][\w.-]*)\s*=\s*["'](?:http:\/\/www\.w3\.org\/2005\/Atom|http:\/\/purl\.org\/atom\/ns#)["']/g,
  ))
    prefixes.add(match[1]);
  const key = [...prefixes].sort().join(' ');
  let parser = parsers.get(key);
  if (!parser) {
    parser = new XMLParser({
      ...XML_PARSER_OPTIONS,
      stopNodes: TEXT_CONSTRUCTS.flatMap((name) =>
        [...prefixes].map((prefix) => `*.${prefix ? `${prefix}:` : ''}${name}`),
      ),
      isArray: (name) => ['entry', 'link', 'category', 'author', 'contributor'].includes(localName(name)),
    });
    parsers.set(key, parser);
  }
  return parser;
}

/** The XML text of a raw stop node decoded as a parser would: CDATA kept, comments dropped, the five entities and character references. */
export function decodeXmlText(raw: string): string {
  return raw.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi,
    (match, cdata: string | undefined, entity: string | undefined) => {
      if (cdata !== undefined) return cdata;
      if (entity === undefined) return '';
      if (entity[0] === '#') {
        const code =
          entity[1] === 'x' || entity[1] === 'X'
            ? Number.parseInt(entity.slice(2), 16)
            : Number.parseInt(entity.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
      }
      return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity.toLowerCase()] ?? match;
    },
  );
}

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/**
 * Atom xhtml content as HTML: the wrapping `<div xmlns="http://www.w3.org/1999/xhtml">` unwrapped,
 * a namespace prefix on its elements dropped, `<p/>` opened and closed (an HTML parser would leave
 * it open) and CDATA escaped. The rest of XHTML already reads as HTML.
 */
export function xhtmlToHtml(raw: string): string {
  let html = raw.trim();
  const wrapper = /^<(?:([A-Za-z_][\w.-]*):)?div\b[^>]*>([\s\S]*)<\/(?:[A-Za-z_][\w.-]*:)?div>$/.exec(html);
  let prefix: string | undefined;
  if (wrapper) {
    prefix = wrapper[1];
    html = wrapper[2];
  }
  if (prefix) html = html.replace(new RegExp(`<(/?)${prefix}:`, 'g'), '<$1');
  html = html.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, cdata: string) =>
    cdata.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
  return closeSelfClosedElements(html);
}

/**
 * `<iframe … />`, `<div/>`, `<a name="x"/>` as XHTML meant them: opened and closed. An HTML parser
 * leaves them open, and an open `<iframe>` swallows the rest of the post as raw text.
 */
export function closeSelfClosedElements(html: string): string {
  if (!html.includes('/>')) return html;
  return html.replace(
    /<([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/>/g,
    (match, name: string, attributes: string) =>
      VOID_ELEMENTS.has(name.toLowerCase()) ? match : `<${name}${attributes}></${name}>`,
  );
}

/** An Atom text construct (`type` text, html or xhtml; Atom 0.3's MIME types and `mode` too) as a body; `base` is what its relative URLs resolve against. */
export function textConstruct(node: XmlNode | undefined, base?: string): FeedBody | undefined {
  if (!node) return undefined;
  const raw = text(node);
  const type = (attribute(node, 'type') ?? 'text').toLowerCase();
  const html = (value: string): FeedBody =>
    base === undefined ? { type: 'html', value } : { type: 'html', value, base };
  if (type === 'xhtml' || type === 'application/xhtml+xml') return html(xhtmlToHtml(raw));
  // Atom 0.3: mode="xml" is inline markup, mode="escaped" (the default for text/html) escaped markup.
  if (attribute(node, 'mode') === 'xml') return html(xhtmlToHtml(raw));
  const value = decodeXmlText(raw);
  if (type === 'html' || type === 'text/html') return html(value);
  return { type: 'text', value };
}

/** A text construct as one line of plain text (titles, names). */
export function plainText(node: XmlNode | undefined): string {
  const body = textConstruct(node);
  if (!body) return '';
  return (body.type === 'html' ? htmlToText(body.value) : body.value).replace(/\s+/g, ' ').trim();
}

/**
 * The feed document's own address, which relative references and a relative `xml:base` resolve
 * against: a file has no retrieval URL, so the address the feed gives for itself stands in.
 */
export function documentUrl(feed: XmlNode): string | undefined {
  const links = children(feed, 'link');
  const self = links.find((link) => attribute(link, 'rel') === 'self');
  const alternate = links.find((link) => (attribute(link, 'rel') ?? 'alternate') === 'alternate');
  for (const candidate of [attribute(alternate, 'href'), attribute(self, 'href'), childText(feed, 'id')]) {
    const absolute = absoluteUrl(candidate, undefined);
    if (absolute) return absolute;
  }
  return undefined;
}

/** A reference as an absolute http(s) URL, resolved against `base` (absolute, or a path: then only absolute references qualify). */
export function absoluteUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href?.trim()) return undefined;
  const resolved = resolveReference(href.trim(), base);
  return resolved && /^https?:\/\//i.test(resolved) ? resolved : undefined;
}

/** A page's address: absolute (http or https), or the old path when nothing absolute says where it was (it still redirects, like Blogger Takeout's). */
export function pageUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href?.trim()) return undefined;
  const resolved = resolveReference(href.trim(), base);
  if (resolved?.startsWith('/')) return resolved.startsWith('//') ? undefined : resolved;
  return absoluteUrl(resolved, undefined);
}

/** The HTML page of an element: FeedBurner's `origLink` (its alternate link is a redirector), else `rel="alternate"` (or no rel) of type HTML, each against its own `xml:base`. */
export function alternateLink(node: XmlNode, document: string | undefined): string | undefined {
  const original = childText(node, 'feedburner:origLink');
  if (original) return pageUrl(original, xmlBase(child(node, 'feedburner:origLink'), document, node));
  const candidates = children(node, 'link').filter((link) => (attribute(link, 'rel') ?? 'alternate') === 'alternate');
  const html = candidates.find((link) => /html/i.test(attribute(link, 'type') ?? 'text/html')) ?? candidates[0];
  return pageUrl(attribute(html, 'href'), xmlBase(html, document, node));
}

export interface AtomCategory {
  term: string;
  label?: string;
  scheme?: string;
}

export function categories(node: XmlNode): AtomCategory[] {
  return children(node, 'category').flatMap((category) => {
    const term = (attribute(category, 'term') ?? text(category)).trim();
    const label = attribute(category, 'label')?.trim() || undefined;
    return term || label ? [{ term, label, scheme: attribute(category, 'scheme') }] : [];
  });
}

/**
 * One Atom `<entry>` as the facts every feed importer shares. `content` wins over `summary`;
 * an entry with a summary only is an excerpt of a post the feed did not carry in full.
 */
export function readAtomEntry(
  node: XmlNode,
  document: string | undefined,
  feedAuthor: string | undefined,
  position: string,
): FeedItem {
  const entryBase = xmlBase(node, document);
  const content = textConstruct(child(node, 'content'), xmlBase(child(node, 'content'), document, node));
  const summary = textConstruct(child(node, 'summary'), xmlBase(child(node, 'summary'), document, node));
  const hasContent = content !== undefined && content.value.trim() !== '';
  const author = child(node, 'author');
  const replyTo = child(node, 'thr:in-reply-to');
  const source = child(node, 'source');
  const enclosures = children(node, 'link')
    .filter((link) => attribute(link, 'rel') === 'enclosure' && attribute(link, 'href'))
    .map((link) => ({
      url: absoluteUrl(attribute(link, 'href'), xmlBase(link, document)) ?? attribute(link, 'href')!,
      type: attribute(link, 'type'),
      length: attribute(link, 'length'),
    }));
  return {
    position,
    id: childText(node, 'id'),
    title: child(node, 'title') ? plainText(child(node, 'title')) : undefined,
    body: hasContent ? content : summary,
    excerpt: !hasContent && summary !== undefined && summary.value.trim() !== '',
    date:
      childText(node, 'published') ??
      childText(node, 'issued') ??
      childText(node, 'created') ??
      childText(node, 'updated') ??
      childText(node, 'modified'),
    updated: childText(node, 'updated') ?? childText(node, 'modified'),
    author: childText(author, 'name') ?? feedAuthor,
    authorUrl: absoluteUrl(childText(author, 'uri') ?? childText(author, 'url'), entryBase),
    categories: categories(node),
    url: alternateLink(node, document),
    inReplyTo: replyTo ? (attribute(replyTo, 'ref') ?? attribute(replyTo, 'href'))?.trim() : undefined,
    inReplyToUrl: replyTo ? pageUrl(attribute(replyTo, 'href'), xmlBase(replyTo, document, node)) : undefined,
    blog: source
      ? {
          title: plainText(child(source, 'title')) || undefined,
          url: alternateLink(source, document) ?? absoluteUrl(childText(source, 'id'), undefined),
        }
      : undefined,
    enclosures,
  };
}

/** The feed's own author, for entries that name none (RFC 4287 §4.2.1). */
export function feedAuthor(feed: XmlNode): string | undefined {
  return childText(child(feed, 'author'), 'name');
}

/** Every entry of the pages of one Atom feed, in order, with the feed's own date; `isComment` says which entries answer a post. */
export async function readAtomItems(
  inputs: readonly string[],
  isComment: (item: FeedItem) => boolean,
  encoding?: string,
): Promise<{ items: FeedItem[]; date?: string }> {
  const items: FeedItem[] = [];
  let date: string | undefined;
  for (const input of inputs) {
    const { feed, entries } = await readAtomFile(input, encoding);
    const base = documentUrl(feed);
    const author = feedAuthor(feed);
    date ??= childText(feed, 'updated') ?? childText(feed, 'modified');
    entries.forEach((node, index) => {
      const item = readAtomEntry(node, base, author, `${input}#${index + 1}`);
      item.comment = isComment(item);
      items.push(item);
    });
  }
  return { items, date };
}
