/**
 * A deterministic classic Blogger backup (`blog-MM-DD-YYYY.xml`) of any size, for benchmarks:
 * settings and template entries, posts with labels, drafts, and comments (some answering a
 * comment), with bodies shaped like Blogger's editor writes them — `<div dir="ltr" trbidi="on">`,
 * paragraphs made of `<br /><br />`, `<pre>` listings, links to other posts of the blog,
 * tables, images wrapped in links. The same options give the same bytes.
 */
import { writeFile } from 'node:fs/promises';
import { seededRandom } from './random.ts';

export interface BloggerBackupOptions {
  posts: number;
  comments: number;
  /** Seed of the pseudo-random choices. */
  seed?: number;
}

const BLOG_ID = '4242424242424242424';
const BLOG_URL = 'https://bench-blog.blogspot.com/';
const WORDS = (
  'zone kernel illumos boot driver memory process thread dtrace probe network packet storage pool dataset ' +
  'snapshot package release build compiler linker library module service manifest milestone fault zpool ' +
  'scheduler latency throughput interrupt device firmware virtual machine bhyve zone brand container image ' +
  'the a of to and in is it that for on with as was at by this from be are have not or but one all'
).split(' ');
const LABELS = [
  'illumos',
  'ZFS',
  'DTrace',
  'Networking',
  'Release notes',
  'Zones',
  'bhyve',
  'Tribblix',
  'SMF',
  'Storage',
];

export function bloggerBackup({ posts, comments, seed = 1 }: BloggerBackupOptions): string {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const text = words(8 + Math.floor(next() * 14));
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  const postMeta = Array.from({ length: posts }, (_, index) => {
    const day = new Date(Date.UTC(2006, 0, 1) + index * 13 * 3600 * 1000);
    const year = day.getUTCFullYear();
    const month = String(day.getUTCMonth() + 1).padStart(2, '0');
    const title = `${sentence().slice(0, -1)} ${index}`;
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 39)
      .replace(/-+$/, '');
    return {
      id: `tag:blogger.com,1999:blog-${BLOG_ID}.post-${1000000000 + index}`,
      number: 1000000000 + index,
      title,
      url: `${BLOG_URL}${year}/${month}/${slug}.html`,
      iso: `${day.toISOString().slice(0, 19)}.000-07:00`,
      draft: index % 50 === 49,
    };
  });

  const body = (index: number): string => {
    const parts: string[] = [];
    const paragraphs = 3 + Math.floor(next() * 5);
    for (let paragraph = 0; paragraph < paragraphs; paragraph++) {
      let text = Array.from({ length: 2 + Math.floor(next() * 4) }, sentence).join(' ');
      const other = index > 0 ? postMeta[Math.floor(next() * index)] : undefined;
      // A link to an earlier post (drafts have no address to link to).
      if (next() < 0.5 && other && !other.draft) {
        text += ` See <a href="${other.url.replace('https://', next() < 0.5 ? 'http://' : 'https://')}">${escape(other.title)}</a>.`;
      }
      if (next() < 0.3)
        text += ` Run <span style="font-family: &quot;courier new&quot;, courier, monospace;">${pick(WORDS)}adm list</span> first.`;
      parts.push(text);
      const roll = next();
      if (roll < 0.25) {
        parts.push(
          `<pre>$ pfexec zfs list -o name,used\nNAME            USED\nrpool/${pick(WORDS)}    ${Math.floor(next() * 900)}M\n# dtrace -n 'syscall:::entry { @[execname] = count(); }'\n  ${pick(WORDS)}    ${Math.floor(next() * 9999)}\nprintf '\\x1B]8;;&amp;\\x1B\\\\'</pre>`,
        );
      } else if (roll < 0.35) {
        const rows = Array.from(
          { length: 3 },
          () => `<tr><td>${pick(WORDS)}</td><td>${Math.floor(next() * 100)}</td></tr>`,
        ).join('');
        parts.push(`<table><tbody><tr><th>Name</th><th>Count</th></tr>${rows}</tbody></table>`);
      } else if (roll < 0.45) {
        const image = `https://blogger.googleusercontent.com/img/b/R29v/${index}/s1600/screenshot-${index}.png`;
        parts.push(
          `<div class="separator" style="clear: both; text-align: center;"><a href="${image}" style="margin-left: 1em; margin-right: 1em;"><img alt="${words(3)}" border="0" src="${image.replace('s1600', 's320')}" /></a></div>`,
        );
      } else if (roll < 0.5) {
        parts.push(`<ul><li>${sentence()}</li><li>${sentence()}</li></ul>`);
      }
    }
    return `<div dir="ltr" style="text-align: left;" trbidi="on">${parts.join('<br /><br />')}</div>`;
  };

  const out: string[] = [];
  out.push(
    `<?xml version='1.0' encoding='UTF-8'?><?xml-stylesheet href="https://www.blogger.com/styles/atom.css" type="text/css"?>` +
      `<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0' xmlns:georss='http://www.georss.org/georss'>` +
      `<id>tag:blogger.com,1999:blog-${BLOG_ID}.archive</id><updated>2020-01-01T00:00:00.000-07:00</updated><title type='text'>Bench blog</title>` +
      `<link rel='alternate' type='text/html' href='${BLOG_URL}'/><author><name>Bench Author</name></author><generator version='7.00' uri='https://www.blogger.com'>Blogger</generator>`,
  );
  out.push(
    `<entry><id>tag:blogger.com,1999:blog-${BLOG_ID}.layout</id><published>2006-01-01T00:00:00.000-07:00</published><updated>2006-01-01T00:00:00.000-07:00</updated><category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#template'/><title type='text'>Template: Bench blog</title><content type='text'>${escape('<html><head><b:skin><![CDATA[body { color: black }]]></b:skin></head><body></body></html>')}</content></entry>`,
  );
  for (const [name, value] of [
    ['BLOG_TIME_ZONE', 'America/Los_Angeles'],
    ['BLOG_DESCRIPTION', 'Notes on illumos'],
    ['BLOG_LANGUAGE', 'en'],
  ]) {
    out.push(
      `<entry><id>tag:blogger.com,1999:blog-${BLOG_ID}.settings.${name}</id><published>2006-01-01T00:00:00.000-07:00</published><updated>2006-01-01T00:00:00.000-07:00</updated><category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#settings'/><title type='text'>${name}</title><content type='text'>${value}</content></entry>`,
    );
  }
  postMeta.forEach((post, index) => {
    const labels = Array.from(new Set([pick(LABELS), pick(LABELS)]))
      .map((label) => `<category scheme='http://www.blogger.com/atom/ns#' term='${label}'/>`)
      .join('');
    const draft = post.draft
      ? `<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>`
      : '';
    const alternate = post.draft
      ? ''
      : `<link rel='alternate' type='text/html' href='${post.url}' title='${escape(post.title)}'/>`;
    out.push(
      `<entry><id>${post.id}</id><published>${post.iso}</published><updated>${post.iso}</updated>${draft}` +
        `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>${labels}` +
        `<title type='text'>${escape(post.title)}</title><content type='html'>${escape(body(index))}</content>` +
        `<link rel='replies' type='text/html' href='${post.url}#comment-form' title='0 Comments'/>${alternate}` +
        `<author><name>Bench Author</name><uri>https://www.blogger.com/profile/1</uri><email>noreply@blogger.com</email></author></entry>`,
    );
  });
  const published = postMeta.filter((post) => !post.draft);
  let post = published[0];
  for (let index = 0; index < comments; index++) {
    const number = 2000000000 + index;
    // Every fifth comment answers the comment before it (on the same post), as Blogger's threaded comments do.
    const answers = index % 5 === 4;
    if (!answers) post = published[Math.floor(next() * published.length)];
    const related = answers
      ? `<link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/${BLOG_ID}/${post.number}/comments/default/${number - 1}'/>`
      : '';
    out.push(
      `<entry><id>tag:blogger.com,1999:blog-${BLOG_ID}.post-${number}</id><published>${post.iso}</published><updated>${post.iso}</updated>` +
        `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>` +
        `<title type='text'>${escape(words(4))}</title><content type='html'>${escape(`${sentence()}<br /><br />${sentence()}`)}</content>${related}` +
        `<link rel='alternate' type='text/html' href='${post.url}?showComment=${number}#c${number}' title=''/>` +
        `<author><name>Reader ${index % 97}</name><uri>https://www.blogger.com/profile/${index % 97}</uri><email>noreply@blogger.com</email></author>` +
        `<thr:in-reply-to href='${post.url}' ref='${post.id}' source='https://www.blogger.com/feeds/${BLOG_ID}/posts/default/${post.number}' type='text/html'/></entry>`,
    );
  }
  out.push('</feed>');
  return out.join('');
}

export async function writeBloggerBackup(file: string, options: BloggerBackupOptions): Promise<void> {
  await writeFile(file, bloggerBackup(options));
}
