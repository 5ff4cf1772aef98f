/**
 * The Atom and RSS importers on hand-written feeds (test/fixtures/feeds/): which element wins,
 * dates with their offsets, derived ids/titles/dates with warnings, planets, encodings, sniffing.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { sniffFormat } from '../importers/index.ts';
import { rfc822ToIso } from '../importers/rss.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { corpusFile, corpusMissing } from './helpers/corpus.ts';
import { importFixture } from './helpers/importFixture.ts';

const fixture = (name: string) => path.join(ROOT, 'test/fixtures/feeds', name);

test('RFC 822 dates keep their offset, named zones included', () => {
  assert.equal(rfc822ToIso('Tue, 21 Jun 2005 14:30:00 EST'), '2005-06-21T14:30:00-05:00');
  assert.equal(rfc822ToIso('Wed, 22 Jun 2005 08:15:00 PDT'), '2005-06-22T08:15:00-07:00');
  assert.equal(rfc822ToIso('Thu, 23 Jun 2005 23:59:59 +0530'), '2005-06-23T23:59:59+05:30');
  assert.equal(rfc822ToIso('Mon, 26 Jun 2017 12:20:05 GMT'), '2017-06-26T12:20:05Z');
  assert.equal(rfc822ToIso('1 Jul 05 00:00 UT'), '2005-07-01T00:00:00Z');
  assert.equal(rfc822ToIso('Fri, 07 Jul 2017 11:06:10 +0000'), '2017-07-07T11:06:10+00:00');
  assert.equal(rfc822ToIso('Sat, 31 Feb 2005 00:00:00 GMT'), undefined, 'not a day');
  assert.equal(rfc822ToIso('yesterday'), undefined);
});

test('RSS 2.0: content:encoded over description, guid over link, origLink as permalink, dc:creator, categories, zones', async () => {
  const { read, report, files } = await importFixture([fixture('tribblix.rss')], 'tribblix');
  assert.equal(report.format, 'rss');
  assert.equal(report.entries, 5);
  const zones = await read('2005/06/zones-on-tribblix.md');
  assert.equal(zones.data.date, '2005-06-21T14:30:00-05:00');
  assert.equal(zones.data.author, 'Peter');
  assert.deepEqual(zones.data.tags, ['Zones', 'illumos']);
  assert.doesNotMatch(zones.body, /teaser/i);
  assert.match(zones.body, /^Sparse-root zones/);
  assert.match(
    zones.body,
    /\[package management\]\(\/tribblix\/2005\/06\/package-management\/\)/,
    'a relative link to a post of the same feed',
  );
  const packages = await read('2005/06/package-management.md');
  assert.equal(packages.data.original_id, 'tribblix-post-42', 'guid is the id');
  assert.equal(
    packages.data.original_url,
    'http://tribblix.example.net/2005/06/package-management/',
    'feedburner:origLink, not the redirector',
  );
  assert.equal(packages.data.title, 'Package management & you');
  assert.equal(packages.data.author, 'Peter Tribble', 'the name of an RSS author e-mail');
  assert.equal(packages.data.date, '2005-06-22T08:15:00-07:00');
  assert.equal(packages.body, 'Packages are **SVR4** here.\n');
  assert.deepEqual(await files(), [
    '2005/06/a-quick-untitled-note-with-no.md',
    '2005/06/package-management.md',
    '2005/06/zones-on-tribblix.md',
    '2005/07/undated.md',
    '2005/07/ut.md',
  ]);
});

test('an item without id, title or date gets stable derived values and a warning each', async () => {
  const first = await importFixture([fixture('tribblix.rss')], 'tribblix');
  const untitled = await first.read('2005/06/a-quick-untitled-note-with-no.md');
  assert.equal(untitled.data.title, '');
  assert.match(String(untitled.data.original_id), /^urn:almanac:[0-9a-f]{16}$/);
  const undated = await first.read('2005/07/undated.md');
  assert.equal(undated.data.date, '2005-07-02T10:00:00Z', "the feed's lastBuildDate");
  const messages = first.report.warnings.map((warning) => warning.message).join('\n');
  assert.match(messages, /tribblix\.rss#3: the entry has no id; using urn:almanac:/);
  assert.match(messages, /tribblix\.rss#3: the entry has no title/);
  assert.match(messages, /tribblix\.rss#4: the entry has no date; using the feed's date 2005-07-02T10:00:00Z/);
  const second = await importFixture([fixture('tribblix.rss')], 'tribblix');
  assert.equal(
    (await second.read('2005/06/a-quick-untitled-note-with-no.md')).data.original_id,
    untitled.data.original_id,
    'the derived id is stable',
  );
});

test('Atom: content over summary, xhtml with a prefix in order, xml:base, published over updated, feed author, in-reply-to comments', async () => {
  const { read, report } = await importFixture([fixture('notes.atom')], 'notes');
  assert.equal(report.format, 'atom');
  assert.equal(report.comments, 1);
  const post = await read('2010/03/content-beats-summary.md');
  assert.equal(post.body, 'One **two** three [four](/notes/2010/02/older/) five.\n\nSix \\<seven> eight.\n');
  assert.equal(post.data.original_url, 'http://notes.example.com/2010/03/content-beats-summary');
  assert.equal(post.data.date, '2010-03-01T10:00:00+09:00');
  assert.equal(post.data.updated, '2010-03-02T10:00:00+09:00');
  assert.equal(post.data.author, 'Ana');
  assert.deepEqual(post.data.tags, ['Go', 'perf']);
  assert.deepEqual(post.data.comments, [
    {
      id: 'tag:notes.example.com,2010:1.c1',
      author: 'Reader',
      date: '2010-03-03T10:00:00+09:00',
      url: 'http://notes.example.com/2010/03/content-beats-summary#c1',
      body: 'Nice one.',
    },
  ]);
  const older = await read('2010/02/older.md');
  assert.equal(older.data.title, 'An older post', 'an xhtml title');
  assert.equal(older.data.date, '2010-02-01T10:00:00-05:00', 'updated when there is no published');
  assert.equal(older.data.author, 'Feed Author');
});

test('RSS 1.0 (RDF): items beside the channel, dc:date, dc:subject, content:encoded', async () => {
  const { read, report } = await importFixture([fixture('rdf.rdf')], 'rdf');
  assert.equal(report.format, 'rss');
  const { data, body } = await read('2003/01/first.md');
  assert.equal(data.date, '2003-01-15T08:00:00-06:00');
  assert.equal(data.author, 'Old Timer');
  assert.deepEqual(data.tags, ['history']);
  assert.equal(body, 'The whole post.\n');
});

test('an ISO-8859-1 feed is decoded by its declaration', async () => {
  const { read } = await importFixture([fixture('latin1.rss')], 'latin1');
  const { data, body } = await read('2018/01/a.md');
  assert.equal(data.title, 'Informação é poder');
  assert.equal(body, 'Direção-geral agirá.\n');
});

test('a planet feed: each entry keeps its blog; one source by default, one blog with --planet-blog', async () => {
  const planet = await importFixture([fixture('planet.atom')], 'planet');
  const dan = await planet.read('2005/06/crossbow-first-look.md');
  assert.deepEqual(dan.data.blog, { title: "Dan's Networking Notes", url: 'http://planet.example.org/dan/' });
  assert.equal(dan.data.author, "Dan (Dan's Networking Notes)");
  const brendan = await planet.read('2005/06/dtrace-desktop.md');
  assert.deepEqual(brendan.data.blog, { title: "Brendan's blog", url: 'http://brendan.example.com/' });
  assert.equal(
    brendan.body,
    'Why is my _desktop_ slow? Ask `dtrace`, then read [Tribblix on packages](http://tribblix.example.net/2005/06/package-management/).\n',
  );
  assert.ok(
    planet.report.warnings.some((warning) =>
      /a planet feed of 2 blogs: Dan's Networking Notes \(1\), Brendan's blog \(1\)/.test(warning.message),
    ),
  );

  const one = await importFixture([fixture('planet.atom')], 'brendan', [
    '--planet-blog',
    'http://brendan.example.com/',
  ]);
  assert.deepEqual(await one.files(), ['2005/06/dtrace-desktop.md']);
  assert.equal(one.report.entries, 2);
  assert.match(
    one.report.skipped[0].reason,
    /from Dan's Networking Notes in the planet feed, not http:\/\/brendan\.example\.com\/ \(--planet-blog\)/,
  );

  const rss = await importFixture([fixture('planet.rss')], 'planet-rss');
  const omnios = await rss.read('2023/05/r151046.md');
  assert.deepEqual(omnios.data.blog, { title: 'OmniOS blog', url: 'http://omnios.example.org/feed.xml' });
  assert.equal(omnios.data.author, 'OmniOS blog');
  assert.equal((await rss.read('2023/05/1.md')).data.date, '2023-05-02T10:00:00-05:00');
});

test('sniffing reads the content, not the extension', { skip: corpusMissing() }, async () => {
  assert.equal(await sniffFormat(corpusFile('feeds', 'rsparser-allthis.atom')), 'rss');
  assert.equal(
    await sniffFormat(corpusFile('feeds', 'rsparser-4fsodonline.atom')),
    'atom',
    'a Blogger public feed is not a backup',
  );
  assert.equal(await sniffFormat(corpusFile('blogger', 'hakyll-convert-blogger-000-pretty.xml')), 'blogger');
  assert.equal(await sniffFormat(fixture('rdf.rdf')), 'rss');
  const dir = await temporaryDirectory();
  const commented = path.join(dir, 'feed.txt');
  await writeFile(
    commented,
    '\n<?xml version="1.0"?>\n<!-- <rss> in a comment -->\n<!DOCTYPE feed>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
  );
  assert.equal(await sniffFormat(commented), 'atom');
});

test('paged feeds: an entry on two pages is one document, the newer version wins', async () => {
  const dir = await temporaryDirectory();
  const page = (updated: string, text: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>p</title><entry><id>tag:x,2020:1</id><title>Moved</title><link href="http://x.example/2020/01/moved"/><published>2020-01-01T00:00:00+01:00</published><updated>${updated}</updated><content type="html">${text}</content></entry></feed>`;
  await writeFile(path.join(dir, 'p1.xml'), page('2020-01-03T00:00:00+01:00', 'newer text'));
  await writeFile(path.join(dir, 'p2.xml'), page('2020-01-02T00:00:00+01:00', 'older text'));
  const { read, report, files } = await importFixture([path.join(dir, 'p1.xml'), path.join(dir, 'p2.xml')], 'paged');
  assert.deepEqual(await files(), ['2020/01/moved.md']);
  assert.equal((await read('2020/01/moved.md')).body, 'newer text\n');
  assert.equal(report.entries, 2);
  assert.match(report.skipped[0].reason, /the same entry appears again .*p2\.xml#1\); imported once, from .*p1\.xml#1/);
});

test('a feed that is not well-formed is one line with line:column and exit 1', async () => {
  const dir = await temporaryDirectory();
  const broken = path.join(dir, 'broken.atom');
  await writeFile(
    broken,
    '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>a</title>\n<content type="xhtml"><div><p>open</div></content></entry></feed>',
  );
  const result = await almanac(['import', broken, '--out', path.join(dir, 'content')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^almanac import: .*broken\.atom:3:\d+: broken XML: .+\n$/);
});

test('a relative permalink with nothing to resolve it against is kept as the old path', async () => {
  const dir = await temporaryDirectory();
  const feed = path.join(dir, 'relative.atom');
  await writeFile(
    feed,
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>tag:a,2020:1</id><title>Rel</title><link href="/2020/01/rel.html"/><updated>2020-01-02T00:00:00Z</updated><content type="html">x</content></entry></feed>',
  );
  const { read } = await importFixture([feed], 'relative');
  const { data } = await read('2020/01/rel.md');
  assert.deepEqual(data.redirect_from, ['/2020/01/rel.html']);
  assert.equal(data.original_url, undefined);
});

test('Atom text constructs: raw XML decoded as a parser would, xhtml unwrapped in order', async () => {
  const { decodeXmlText, xhtmlToHtml, closeSelfClosedElements } = await import('../importers/atomEntry.ts');
  assert.equal(
    decodeXmlText('a &amp;lt;b&amp;gt; <![CDATA[<i>&amp;</i>]]><!-- gone --> &#233;&#x263A; &bogus;'),
    'a &lt;b&gt; <i>&amp;</i> é☺ &bogus;',
  );
  assert.equal(
    xhtmlToHtml('<div xmlns="http://www.w3.org/1999/xhtml"><p>a <b>b</b> c</p><p/><br/></div>'),
    '<p>a <b>b</b> c</p><p></p><br/>',
  );
  assert.equal(
    xhtmlToHtml('<h:div xmlns:h="http://www.w3.org/1999/xhtml"><h:p>x <![CDATA[<y>]]></h:p></h:div>'),
    '<p>x &lt;y&gt;</p>',
  );
  assert.equal(
    closeSelfClosedElements('<iframe src="v" allowfullscreen /><p>after</p><img src="i"/>'),
    '<iframe src="v" allowfullscreen></iframe><p>after</p><img src="i"/>',
  );
});
