/**
 * Namespace prefixes resolved by URI, never by their text: Blogger backups written by Python's
 * ElementTree (`ns0:feed`), RSS modules under prefixes of their own, and an element of another
 * namespace under a module's usual prefix, which must not be read as that module.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { sniffFormat } from '../importers/index.ts';
import { writeFile } from 'node:fs/promises';
import { ROOT, temporaryDirectory } from './helpers/cli.ts';
import { importFixture } from './helpers/importFixture.ts';

const fixture = (folder: string, name: string) => path.join(ROOT, 'test/fixtures', folder, name);

test('a Blogger backup written by ElementTree (ns0:feed, ns1:control, ns2:in-reply-to) is sniffed and read as Blogger', async () => {
  const input = fixture('blogger', 'elementtree-ns0.xml');
  assert.equal(await sniffFormat(input), 'blogger');
  const { report, read, files } = await importFixture([input], 'zones');
  assert.equal(report.format, 'blogger');
  assert.equal(report.entries, 5);
  assert.deepEqual(await files(), ['2021/05/a-draft.md', '2021/05/sparse-zones.md']);
  const post = await read('2021/05/sparse-zones.md');
  assert.deepEqual(post.data.tags, ['zones'], 'the kind category is never a tag');
  assert.equal(post.data.original_url, 'http://zone-notes.blogspot.com/2021/05/sparse-zones.html');
  assert.equal((post.data.comments as { author: string }[])[0].author, 'Zoë');
  assert.equal((await read('2021/05/a-draft.md')).data.draft, true, 'ns1:draft is app:draft');
  assert.deepEqual(
    report.skipped.map((skip) => skip.reason).sort(),
    ['Blogger settings entry: not a document', 'post deleted in Blogger: not published'],
    'ns3:extendedProperty is gd:extendedProperty',
  );
});

test('a Blogger public feed, read as the plain Atom feed it is, keeps the kind category out of the tags', async () => {
  // Blogger's /feeds/posts/default marks each entry with the kind category too; here under ElementTree's prefixes.
  const input = path.join(await temporaryDirectory(), 'posts-default.atom');
  await writeFile(
    input,
    '<ns0:feed xmlns:ns0="http://www.w3.org/2005/Atom"><ns0:id>tag:blogger.com,1999:blog-7000000000000000002</ns0:id>' +
      '<ns0:updated>2021-06-01T10:00:00.000-07:00</ns0:updated><ns0:title>zone notes</ns0:title>' +
      '<ns0:link href="http://zone-notes.blogspot.com/" rel="alternate" type="text/html" /><ns0:entry>' +
      '<ns0:id>tag:blogger.com,1999:blog-7000000000000000002.post-11</ns0:id><ns0:published>2021-05-01T10:00:00.000-07:00</ns0:published>' +
      '<ns0:category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#post" />' +
      '<ns0:category scheme="http://www.blogger.com/atom/ns#" term="zones" /><ns0:title>Sparse zones</ns0:title>' +
      '<ns0:content type="html">&lt;p&gt;Sparse zones share /usr.&lt;/p&gt;</ns0:content>' +
      '<ns0:link href="http://zone-notes.blogspot.com/2021/05/sparse-zones.html" rel="alternate" type="text/html" />' +
      '<ns0:author><ns0:name>Peter</ns0:name></ns0:author></ns0:entry></ns0:feed>\n',
  );
  assert.equal(await sniffFormat(input), 'atom');
  const { read } = await importFixture([input], 'zones');
  assert.deepEqual((await read('2021/05/sparse-zones.md')).data.tags, ['zones']);
});

test('RSS modules by namespace URI: c:encoded is content:encoded, d:creator is dc:creator; media: and a foreign content: are not read as RSS', async () => {
  const { read, files } = await importFixture([fixture('feeds', 'modules-by-uri.rss')], 'modules');
  assert.deepEqual(await files(), ['2021/04/real.md', '2021/05/episode-1.md']);
  assert.equal(
    (await read('2021/05/episode-1.md')).data.author,
    'The Podcast People',
    'itunes:author, under a prefix of its own, when nothing else names one',
  );
  const item = await read('2021/04/real.md');
  assert.equal(item.data.title, 'The real title', 'not media:title');
  assert.equal(item.data.original_url, 'http://modules.example.org/2021/04/real', 'not the atom:link');
  assert.equal(item.data.author, 'Dana');
  assert.equal(item.body, 'The full text, under a prefix of its own.\n');
});

test('an RSS feed with a UTF-8 byte-order mark and Atom under the prefix a10: (.NET) is sniffed and read as RSS', async () => {
  const input = fixture('feeds', 'bom-a10.rss');
  assert.equal(await sniffFormat(input), 'rss');
  const { read } = await importFixture([input], 'bom');
  const item = await read('2019/05/mark.md');
  assert.equal(item.data.original_url, 'http://bom.example.org/2019/05/mark');
  assert.equal(item.body, 'A byte-order mark before the declaration.\n');
});
