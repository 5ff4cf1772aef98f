/**
 * XML Base (and RFC 3986 §5) in feeds: `xml:base` on any element, nested and relative, each level
 * resolved against its parent's, applied to entry links (original_url, redirect_from), enclosures
 * and every relative href/src of the content, which the rehype step resolves before conversion.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { toMarkdown } from 'mdast-util-to-markdown';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { ROOT } from './helpers/cli.ts';
import { importFixture } from './helpers/importFixture.ts';

const fixture = (name: string) => path.join(ROOT, 'test/fixtures/feeds', name);

test("Atom: a relative xml:base on each entry, under the feed's, gives every entry its address and old path", async () => {
  const { read, files } = await importFixture([fixture('xml-base.atom')], 'ongoing');
  assert.deepEqual(await files(), ['2020/01/nested.md', '2020/01/x.md', '2020/01/zones.md']);
  const zones = await read('2020/01/zones.md');
  assert.equal(zones.data.original_url, 'https://www.example.net/ongoing/When/202x/2020/01/15/Zones');
  assert.deepEqual(zones.data.redirect_from, ['/ongoing/When/202x/2020/01/15/Zones']);
  assert.deepEqual(zones.data.enclosures, [
    { url: 'https://www.example.net/ongoing/media/zones.mp3', type: 'audio/mpeg', length: '1024' },
  ]);
  assert.match(
    zones.body,
    /\[the older piece\]\(https:\/\/www\.example\.net\/ongoing\/When\/202x\/2020\/01\/15\/Older\)/,
  );
  assert.match(
    zones.body,
    /\[the diagram\]\(https:\/\/www\.example\.net\/misc\/zones\.png\)/,
    "root-relative against the base's host",
  );
  assert.match(zones.body, /!\[a zone\]\(https:\/\/www\.example\.net\/ongoing\/When\/202x\/2020\/01\/15\/zones\.png\)/);
  assert.match(zones.body, /\[footnote\]\(#fn1\)/, 'an in-page anchor stays in the page');
});

test('Atom: xml:base nested four deep (feed, entry, link or content, an XHTML element) resolves level by level', async () => {
  const { read } = await importFixture([fixture('xml-base.atom')], 'ongoing');
  const nested = await read('2020/01/nested.md');
  assert.equal(nested.data.original_url, 'https://www.example.net/ongoing/When/202x/2020/01/20/Nested');
  assert.match(
    nested.body,
    /!\[a cat\]\(https:\/\/www\.example\.net\/ongoing\/When\/202x\/2020\/01\/20\/pictures\/cat\.jpg\)/,
  );
  assert.match(
    nested.body,
    /\[ftp\]\(ftp:\/\/ftp\.example\.net\/pub\/\)/,
    'an absolute URI of another scheme is left alone',
  );
  assert.match(
    nested.body,
    /!\[a dog\]\(https:\/\/www\.example\.net\/ongoing\/When\/202x\/2020\/01\/20\/pictures\/deeper\/dog\.jpg\)/,
    'an xml:base inside the XHTML',
  );
  assert.match(
    nested.body,
    /\[cdn\]\(https:\/\/cdn\.example\.com\/x\.js\)/,
    "a network-path reference takes the base's scheme",
  );
});

test('issue 23: root-relative links under <content xml:base="https://daringfireball.net/…"> become absolute', async () => {
  const { read } = await importFixture([fixture('xml-base.atom')], 'ongoing');
  const linked = await read('2020/01/x.md');
  assert.match(linked.body, /!\[x\]\(https:\/\/daringfireball\.net\/misc\/x\.png\)/);
  assert.match(linked.body, /\[y\]\(https:\/\/daringfireball\.net\/2020\/01\/y\)/);
});

test("RSS: xml:base on rss, channel and item resolves the link, the enclosure and the content's URLs", async () => {
  const { read, files } = await importFixture([fixture('xml-base.rss')], 'notes');
  assert.deepEqual(await files(), ['2021/03/relative-item.md']);
  const item = await read('2021/03/relative-item.md');
  assert.equal(item.data.original_url, 'http://notes.example.org/blog/2021/03/relative-item.html');
  assert.deepEqual(item.data.redirect_from, ['/blog/2021/03/relative-item.html']);
  assert.deepEqual(item.data.enclosures, [
    { url: 'http://notes.example.org/blog/media/talk.ogg', type: 'audio/ogg', length: '42' },
  ]);
  assert.match(item.body, /\[sibling\]\(http:\/\/notes\.example\.org\/blog\/2021\/03\/other\.html\)/);
  assert.match(item.body, /!\[a\]\(http:\/\/notes\.example\.org\/img\/a\.png\)/);
  assert.match(item.body, /\[anchor\]\(#top\)/);
});

test('rehypeResolveUrls: href, src and poster against an absolute base or a path; fragments, other schemes and no base left alone', () => {
  const markdown = (html: string, base?: string) => toMarkdown(htmlToMdast(html, base)).trim();
  assert.equal(markdown('<a href="b/c">x</a>', 'https://example.org/a/'), '[x](https://example.org/a/b/c)');
  assert.equal(
    markdown('<a href="../c?q=1#f">x</a>', 'https://example.org/a/b/'),
    '[x](https://example.org/a/c?q=1#f)',
  );
  assert.equal(markdown('<a href="#f">x</a>', 'https://example.org/a/'), '[x](#f)');
  assert.equal(markdown('<a href="mailto:a@b.c">x</a>', 'https://example.org/'), '[x](mailto:a@b.c)');
  assert.equal(
    markdown('<video src="v.mp4" poster="v.jpg"></video>', 'https://example.org/v/'),
    '[![](https://example.org/v/v.jpg)](https://example.org/v/v.mp4)',
  );
  assert.equal(
    markdown('<img src="p.png" alt="p">', '/blog/2020/'),
    '![p](/blog/2020/p.png)',
    'a base that is only a path gives root-relative paths',
  );
  assert.equal(markdown('<img src="p.png" alt="p">'), '![p](p.png)', 'no base: nothing to resolve against');
});
