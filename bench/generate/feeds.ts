/**
 * A deterministic Apache Roller entries feed (the blogs.sun.com shape, see
 * ../shared/corpus/roller/README.md) of any size, for benchmarks: `type="html"` bodies in the
 * Sun-era style (no opening `<p>`, paragraphs split by `</p><p>`), every tenth body `type="xhtml"`,
 * a category and tags, links to earlier entries, `<pre>` listings, and comment entries
 * (`<permalink>#comment-<timestamp>`) mixed in. The same options give the same bytes.
 */
import { writeFile } from 'node:fs/promises';
import { seededRandom } from './random.ts';

export interface RollerFeedOptions {
  entries: number;
  comments: number;
  seed?: number;
}

const BLOG = 'http://blogs.sun.com/bench';
const WORDS = (
  'zone kernel solaris boot driver memory process thread dtrace probe network packet storage pool dataset ' +
  'snapshot package release build compiler linker library module service manifest milestone fault zpool ' +
  'the a of to and in is it that for on with as was at by this from be are have not or but one all'
).split(' ');
const CATEGORIES = ['Solaris', 'DTrace', 'ZFS', 'Networking', 'Java', 'General'];
const TAGS = ['opensolaris', 'kernel', 'performance', 'zones', 'smf', 'mdb', 'sparc', 'x86'];

export function rollerFeed({ entries, comments, seed = 1 }: RollerFeedOptions): string {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const text = words(8 + Math.floor(next() * 14));
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const posts = Array.from({ length: entries }, (_, index) => {
    const time = Date.UTC(2004, 5, 1) + index * 11 * 3600 * 1000;
    const local = new Date(time - 7 * 3600 * 1000).toISOString().slice(0, 19);
    const title = `${sentence().slice(0, -1)} ${index}`;
    return {
      anchor: title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .slice(0, 40)
        .replace(/_+$/, ''),
      title,
      iso: `${local}-07:00`,
      time,
    };
  });
  const body = (index: number): { type: string; value: string } => {
    const paragraphs: string[] = [];
    for (let count = 2 + Math.floor(next() * 5); count > 0; count--) {
      let text = Array.from({ length: 2 + Math.floor(next() * 4) }, sentence).join(' ');
      if (index > 0 && next() < 0.5)
        text += ` See <a href="${BLOG}/entry/${posts[Math.floor(next() * index)].anchor}">an earlier entry</a>.`;
      if (next() < 0.3) text += ` Try <code>${pick(WORDS)}adm -v</code> first.`;
      paragraphs.push(text);
      if (next() < 0.2)
        paragraphs.push(
          `<pre># dtrace -n 'syscall:::entry { @[execname] = count(); }'\n  ${pick(WORDS)}  ${Math.floor(next() * 9999)}</pre>`,
        );
    }
    if (index % 10 === 9)
      return {
        type: 'xhtml',
        value: `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs.map((text) => (text.startsWith('<pre>') ? text.replace(/'/g, '&apos;') : `<p>${text}</p>`)).join('')}</div>`,
      };
    // Sun-era: the template opened the first <p>; the body only closes and reopens them.
    return { type: 'html', value: escape(paragraphs.join('</p><p>')) };
  };
  const out: string[] = [
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">` +
      `<title type="html">Bench weblog</title><id>${BLOG}/feed/entries/atom</id><link rel="self" type="application/atom+xml" href="${BLOG}/feed/entries/atom"/>` +
      `<link rel="alternate" type="text/html" href="${BLOG}/"/><updated>2010-01-01T00:00:00-08:00</updated><generator uri="http://roller.apache.org" version="4.0">Apache Roller</generator>`,
  ];
  posts.forEach((post, index) => {
    const content = body(index);
    const tags = [...new Set([pick(TAGS), pick(TAGS)])]
      .map((tag) => `<category term="${tag}" scheme="http://roller.apache.org/ns/tags/"/>`)
      .join('');
    const category = pick(CATEGORIES);
    out.push(
      `<entry><id>${BLOG}/entry/${post.anchor}</id><title type="html">${escape(escape(post.title))}</title><author><name>bench</name></author>` +
        `<link rel="alternate" type="text/html" href="${BLOG}/entry/${post.anchor}"/><published>${post.iso}</published><updated>${post.iso}</updated>` +
        `<category term="/${category}" label="${category}"/>${tags}<content type="${content.type}">${content.value}</content></entry>`,
    );
  });
  for (let index = 0; index < comments; index++) {
    const post = posts[Math.floor(next() * posts.length)];
    const stamp = post.time + (index + 1) * 60_000;
    out.push(
      `<entry><id>${BLOG}/entry/${post.anchor}#comment-${stamp}</id><title type="html">Re: ${escape(escape(post.title))}</title><author><name>Reader ${index % 97}</name></author>` +
        `<link rel="alternate" type="text/html" href="${BLOG}/entry/${post.anchor}#comment-${stamp}"/><published>${post.iso}</published><updated>${post.iso}</updated>` +
        `<content type="html">${escape(`${sentence()}</p><p>${sentence()}`)}</content></entry>`,
    );
  }
  out.push('</feed>\n');
  return out.join('\n');
}

export async function writeRollerFeed(file: string, options: RollerFeedOptions): Promise<void> {
  await writeFile(file, rollerFeed(options));
}
