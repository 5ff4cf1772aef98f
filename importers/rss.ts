/**
 * RSS 2.0 (and 0.9x), and RSS 1.0 (RDF): `content:encoded` over `description`, `guid` over
 * `link` for the id, `feedburner:origLink` over `link` for the permalink, `pubDate` in RFC 822
 * with named zones (dates keep their offset), `dc:creator` over `author` over `itunes:author`, `category` as tags,
 * and an item's `<source>` (a planet's) as its blog. Several files are the pages of one feed.
 */
import { htmlToText } from '../src/convert/bodyText.ts';
import { InputError } from '../src/errors.ts';
import type { Importer } from './importer.ts';
import { absoluteUrl } from './atomEntry.ts';
import { feedEntries, type FeedBody, type FeedItem } from './feedEntries.ts';
import { encodingOption } from './textEncoding.ts';
import { refuseWordPress, isWordPressDocument } from './wordpress.ts';
import { attribute, child, childText, children, readXmlFile, rootElement, text, xmlBase, type XmlNode } from './xml.ts';

const rss: Importer = {
  name: 'rss',

  sniff(head) {
    const root = rootElement(head)?.name;
    return root === 'rss' || root === 'rdf:RDF';
  },

  async *entries(inputs, context) {
    const items: FeedItem[] = [];
    let feedDate: string | undefined;
    const encoding = encodingOption(context.options);
    for (const input of inputs) {
      const { root } = await readXmlFile(input, encoding);
      const top = child(root, 'rss') ?? child(root, 'rdf:RDF');
      const channel = child(top, 'channel');
      // A WordPress export is RSS on the outside; read as a feed it would lose pages, drafts, comments and attachments.
      if (isWordPressDocument(top, channel)) refuseWordPress(input);
      if (!top || !channel)
        throw new InputError(
          input,
          `no <rss><channel> or <rdf:RDF><channel>: this is not an RSS feed${child(root, 'feed') ? '; it is Atom, try --format atom' : ''}`,
        );
      // The channel's link is the feed's own address as far as a file can tell: a relative xml:base resolves against it.
      const document = absoluteUrl(childText(channel, 'link'), undefined);
      feedDate ??=
        rfc822ToIso(childText(channel, 'lastBuildDate') ?? childText(channel, 'pubDate')) ??
        childText(channel, 'dc:date');
      // RSS 2.0 puts items in the channel; RSS 1.0 beside it.
      const nodes = [...children(channel, 'item'), ...children(top, 'item')];
      for (const [index, node] of nodes.entries()) items.push(readItem(node, document, `${input}#${index + 1}`));
    }
    yield* feedEntries(items, context, { date: feedDate });
  },
};

export default rss;

function readItem(node: XmlNode, document: string | undefined, position: string): FeedItem {
  const guid = child(node, 'guid');
  const guidText = text(guid).trim() || undefined;
  const linkElement = childText(node, 'feedburner:origLink') ? child(node, 'feedburner:origLink') : child(node, 'link');
  const link = absoluteUrl(text(linkElement).trim(), xmlBase(linkElement, document, node));
  const guidIsLink =
    guidText && attribute(guid, 'isPermaLink') !== 'false' ? absoluteUrl(guidText, undefined) : undefined;
  const encoded = childText(node, 'content:encoded');
  const description = childText(node, 'description');
  const html = (value: string, element: XmlNode | undefined): FeedBody => {
    const contentBase = xmlBase(element, document, node);
    return contentBase === undefined ? { type: 'html', value } : { type: 'html', value, base: contentBase };
  };
  const rawTitle = childText(node, 'title');
  const source = child(node, 'source');
  const pubDate = childText(node, 'pubDate');
  return {
    position,
    id: guidText ?? attribute(node, 'rdf:about')?.trim() ?? link,
    // Titles are plain text by the spec, yet feeds put escaped markup and entities in them.
    title:
      rawTitle === undefined
        ? undefined
        : /[<&]/.test(rawTitle)
          ? htmlToText(rawTitle).replace(/\s+/g, ' ').trim()
          : rawTitle.replace(/\s+/g, ' '),
    body:
      encoded !== undefined
        ? html(encoded, child(node, 'content:encoded'))
        : description !== undefined
          ? html(description, child(node, 'description'))
          : undefined,
    excerpt: false,
    date: (pubDate ? (rfc822ToIso(pubDate) ?? pubDate) : undefined) ?? childText(node, 'dc:date'),
    // A podcast's episodes name theirs in iTunes' module only (feedparser reads it as the author too).
    author: childText(node, 'dc:creator') ?? authorName(childText(node, 'author')) ?? childText(node, 'itunes:author'),
    // RSS 1.0 has no category; Dublin Core's subject stands in for it.
    categories: [...children(node, 'category'), ...children(node, 'dc:subject')].flatMap((category) => {
      const term = text(category).trim();
      return term ? [{ term }] : [];
    }),
    url: link ?? guidIsLink,
    blog: source
      ? { title: text(source).trim() || undefined, url: absoluteUrl(attribute(source, 'url'), undefined) }
      : undefined,
    enclosures: children(node, 'enclosure').flatMap((enclosure) => {
      const url = absoluteUrl(attribute(enclosure, 'url'), xmlBase(enclosure, document, node));
      return url ? [{ url, type: attribute(enclosure, 'type'), length: attribute(enclosure, 'length') }] : [];
    }),
  };
}

/** RSS's `author` is an e-mail address, often `jo@example.com (Jo Bloggs)`: the name is what a reader knows. */
function authorName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /\(([^)]+)\)\s*$/.exec(value)?.[1].trim() ?? value;
}

/** Offsets of the named zones RFC 822 §5.1 allows (and UTC, which feeds use too). */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -5,
  EDT: -4,
  CST: -6,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An RFC 822 date (`Tue, 10 Jun 2003 04:00:00 GMT`, `10 Jun 03 04:00 EST`) as ISO 8601 with the
 * same offset. Written by hand because Date.parse throws the offset away, and the frontmatter keeps it.
 */
export function rfc822ToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match =
    /^\s*(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,3})?\s*$/.exec(
      value,
    );
  if (!match) return undefined;
  const [, day, monthName, yearText, hour, minute, second = '00', zone = 'GMT'] = match;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month === -1) return undefined;
  let year = Number(yearText);
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  let offset: string;
  if (/^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    offset = `${digits.slice(0, 3)}:${digits.slice(3)}`;
  } else {
    const hours = ZONES[zone.toUpperCase()];
    // Military zones other than Z are ambiguous (RFC 1123 §5.2.14): taken as UTC.
    offset =
      hours === undefined || hours === 0
        ? 'Z'
        : `${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
  }
  const iso = `${year}-${String(month + 1).padStart(2, '0')}-${day.padStart(2, '0')}T${hour.padStart(2, '0')}:${minute}:${second}${offset}`;
  const check = new Date(Date.UTC(year, month, Number(day), Number(hour), Number(minute), Number(second)));
  // Date.parse takes 31 Feb for 3 March; a date that is not on the calendar is left to the writer's warning.
  return check.getUTCDate() === Number(day) && check.getUTCHours() === Number(hour) && !Number.isNaN(Date.parse(iso))
    ? iso
    : undefined;
}
