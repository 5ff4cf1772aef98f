/**
 * Issue 10: the release pages and feeds, built by Eleventy with the project's own site (src/site/eleventySite.ts)
 * over a small content folder: hand-written notes, a Blogger release, and mail announcements
 * with replies imported by the mbox importer.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { runEleventy } from '../src/site/build.ts';
import { loadConfig } from '../src/site/config.ts';
import { threadKey } from '../src/site/siteIndex.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/releases');
const OMNIOS = 'OmniOS Community Edition (r\\d+\\w*(?:(?:,\\s*|\\s+and\\s+)r\\d+\\w*)*)';
const SITE = 'https://kb.example.org/';

let site = '';
const page = async (url: string): Promise<Root> =>
  unified()
    .use(rehypeParse)
    .parse(await readFile(path.join(site, url, url.endsWith('.xml') ? '' : 'index.html'), 'utf8'));
const elements = (tree: Root | Element, tagName: string): Element[] => {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === tagName) found.push(node);
  });
  return found;
};
const hrefs = (node: Root | Element) => elements(node, 'a').map((a) => String(a.properties.href));
/** The table's body rows as the text of their cells. */
const rows = (tree: Root) =>
  elements(elements(tree, 'tbody')[0], 'tr').map((row) =>
    row.children
      .filter((cell): cell is Element => cell.type === 'element')
      .map((cell) => toText(cell).replace(/\s+/g, ' ').trim()),
  );

describe('release pages and feeds', () => {
  before(async () => {
    const dir = await temporaryDirectory();
    const content = path.join(dir, 'content');
    await mkdir(content);
    await cp(path.join(FIXTURES, 'hand/releases'), path.join(content, 'releases'), { recursive: true });
    const imported = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-blog.xml'),
      '--source',
      'omnios-blog',
      '--out',
      content,
      '--release-pattern',
      OMNIOS,
      '--product',
      'omnios',
    ]);
    assert.equal(imported.code, 0, imported.stderr);
    const mail = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-announce.mbox'),
      '--format',
      'mbox',
      '--source',
      'omnios-discuss',
      '--out',
      content,
      '--release-pattern',
      OMNIOS,
      '--product',
      'omnios',
    ]);
    assert.equal(mail.code, 0, mail.stderr);
    const config = path.join(dir, 'almanac.config.json');
    await writeFile(config, JSON.stringify({ sources: [], site: { title: 'Test KB', url: SITE } }));
    process.env.ALMANAC_CACHE_DIR = path.join(dir, 'cache');
    site = path.join(dir, '_site');
    await runEleventy({ content, out: site, config: await loadConfig(config) });
  });

  test('/releases/: every product with its latest release, newest product first', async () => {
    const tree = await page('/releases/');
    const table = rows(tree);
    assert.deepEqual(
      table.map((row) => row[0]),
      ['omnios', 'openindiana'],
    );
    assert.match(table[0][1], /^r151048 OmniOS Community Edition r151048$/);
    assert.equal(table[0][2], '6 November 2023');
    assert.match(table[0][3], /Security CVE-2023-4863, CVE-2023-38545/);
    assert.equal(table[0][4], 'Reboot required');
    assert.match(table[1][1], /^2023\.10 /);
    assert.equal(table[1][3], '', 'no CVEs, no security marker');
    assert.equal(table[1][4], '', 'no reboot marker');
    const links = hrefs(tree);
    for (const url of [
      '/releases/omnios/',
      '/releases/omnios/r151048/',
      '/releases/openindiana/',
      '/releases/feed.xml',
      '/releases/omnios/feed.xml',
    ])
      assert.ok(links.includes(url), url);
    assert.ok(links.includes('https://www.cve.org/CVERecord?id=CVE-2023-4863'));
    const html = await readFile(path.join(site, 'releases/index.html'), 'utf8');
    assert.match(
      html,
      /<link rel="alternate" type="application\/atom\+xml" title="All releases" href="\/releases\/feed.xml">/,
    );
    assert.match(html, /<link rel="stylesheet" href="\/assets\/releases.css">/);
    assert.ok(existsSync(path.join(site, 'assets/releases.css')));
  });

  test('/releases/omnios/: one row per version, newest first (date, then version), with markers and discussions', async () => {
    const tree = await page('/releases/omnios/');
    const table = rows(tree);
    assert.deepEqual(
      table.map((row) => row[0]),
      [
        'r151048',
        'r151046c',
        'r151044q',
        'r151046b',
        'r151046',
        'r151044',
        'r151034',
        'r151034e',
        'r151032ae',
        'r151030be',
      ],
    );
    const row = (version: string) => table.find((cells) => cells[0] === version)!;
    assert.equal(row('r151046b')[1], '9 May 2023');
    assert.equal(row('r151046b')[2], 'Security CVE-2023-28486, CVE-2023-28487');
    assert.equal(row('r151046b')[3], '', '"does not require a reboot"');
    assert.equal(row('r151046b')[4], '1 reply');
    assert.equal(row('r151034e')[3], 'Reboot required');
    assert.equal(row('r151034e')[4], '1 reply');
    assert.equal(row('r151046')[4], 'thread', 'an announcement nobody answered still has its thread');
    assert.equal(
      row('r151046c')[4],
      '2 replies',
      'a hand-written note names its thread by Message-ID (angle brackets or not)',
    );
    assert.equal(row('r151034')[2], 'Security CVE-2020-8597', 'the Blogger release is there too');

    const links = hrefs(tree);
    const discussion = `/omnios-discuss/threads/${threadKey('r151046b@omnios.example')}/`;
    assert.ok(links.includes(discussion), 'the discussion links the thread page');
    assert.ok(existsSync(path.join(site, discussion, 'index.html')), 'and that page exists');
    for (const cve of ['CVE-2023-28486', 'CVE-2023-28487', 'CVE-2020-8597'])
      assert.ok(links.includes(`https://www.cve.org/CVERecord?id=${cve}`), cve);
    // Every internal link of the page resolves to a built file.
    for (const url of links.filter((href) => href.startsWith('/'))) {
      assert.ok(existsSync(path.join(site, url, url.endsWith('/') ? 'index.html' : '')), `${url} exists`);
    }
  });

  test('a release page shows its facts and links its discussion; its replies stay messages in the thread', async () => {
    const table = await page('/releases/omnios/');
    const update = elements(table, 'a').find((a) => toText(a) === 'r151046b')!;
    const release = await page(String(update.properties.href));
    const text = toText(release).replace(/\s+/g, ' ');
    assert.match(text, /Version: r151046b of omnios/);
    assert.match(text, /Security fixes: CVE-2023-28486, CVE-2023-28487/);
    assert.doesNotMatch(text, /Requires a reboot/);
    const thread = `/omnios-discuss/threads/${threadKey('r151046b@omnios.example')}/`;
    assert.ok(hrefs(release).includes(thread));
    assert.ok(hrefs(release).includes('/releases/omnios/'));

    const handWithThread = await page('/releases/omnios/r151046c/');
    assert.ok(hrefs(handWithThread).includes(thread), 'a hand-written note links the thread its Message-ID names');
    assert.ok(!hrefs(handWithThread).some((href) => href.includes('-discussion')), 'no stand-in link is left');
    const missing = toText(await page('/releases/openindiana/2023-10/')).replace(/\s+/g, ' ');
    assert.match(
      missing,
      /Discussion: a thread that is not in this knowledge base/,
      'a thread that is not here is said, not linked',
    );
    const hand = toText(await page('/releases/omnios/r151048/')).replace(/\s+/g, ' ');
    assert.match(hand, /Requires a reboot\./);
    assert.match(hand, /OmniOS r151048 is the new stable release/, 'the body as written');

    // The reply: a message on the thread page, whose own page links back to the release note.
    const threadPage = await page(thread);
    assert.match(toText(threadPage), /Thanks, applied on three hosts/);
    const replyUrl = hrefs(threadPage).find(
      (href) =>
        href.startsWith('/omnios-discuss/2023/05/') &&
        href !== update.properties.href &&
        existsSync(path.join(site, href, 'index.html')) &&
        /Thanks, applied/.test(readFileSync(path.join(site, href, 'index.html'), 'utf8')),
    )!;
    assert.ok(replyUrl, 'the reply has its own page');
    const reply = await page(replyUrl);
    assert.doesNotMatch(toText(reply), /Security fixes/, 'a reply is no release');
    assert.match(toText(reply), /In the discussion of a release: the release note\./);
    assert.ok(hrefs(reply).includes(String(update.properties.href)));
  });

  test('Atom feeds: all releases and one per product, valid, absolute, newest first', async () => {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'entry' || name === 'link',
    });
    const feed = async (url: string) => {
      const xml = await readFile(path.join(site, url), 'utf8');
      assert.equal(XMLValidator.validate(xml), true, `${url} is well-formed XML`);
      assert.ok(!xml.includes('/releases/-discussion/'), `${url}: discussion links resolved`);
      return parser.parse(xml).feed;
    };
    const all = await feed('releases/feed.xml');
    assert.equal(all.xmlns, 'http://www.w3.org/2005/Atom');
    assert.equal(all.id, `${SITE}releases/feed.xml`);
    assert.equal(all.entry.length, 7, 'three hand-written, one blog post, three announcements');
    const dates = all.entry.map((entry: { updated: string }) => Date.parse(entry.updated));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
      'newest first',
    );
    assert.equal(all.updated, all.entry[0].updated);
    for (const entry of all.entry) {
      assert.match(entry.id, /^https:\/\/kb\.example\.org\//);
      assert.equal(entry.link[0].href, entry.id);
      assert.ok(entry.content['#text'].length > 0 || entry.content.length > 0, 'the note is in the feed');
    }
    const omnios = await feed('releases/omnios/feed.xml');
    assert.equal(omnios.entry.length, 6);
    assert.ok(omnios.entry.every((entry: { category: { term: string } }) => entry.category.term === 'omnios'));
    assert.equal(
      omnios.link.find((link: { rel: string }) => link.rel === 'self').href,
      `${SITE}releases/omnios/feed.xml`,
    );
    const weekly = omnios.entry.find((entry: { title: string }) => entry.title.includes('r151030be'));
    assert.equal(
      weekly.summary,
      'omnios r151030be, r151032ae, r151034e. Security fixes: CVE-2020-1967, CVE-2020-5260. Requires a reboot.',
    );
    const openindiana = await feed('releases/openindiana/feed.xml');
    assert.equal(openindiana.entry.length, 1);
    assert.equal(openindiana.entry[0].title, 'OpenIndiana Hipster 2023.10');
  });
});

test('a site without releases: /releases/ says how to add one, the feed is valid, empty and the same every build', async () => {
  const dir = await temporaryDirectory();
  const content = path.join(dir, 'content');
  await mkdir(path.join(content, 'blog'), { recursive: true });
  await writeFile(
    path.join(content, 'blog/hello.md'),
    '---\ntitle: Hello\ndate: 2020-01-01T00:00:00Z\nsource: blog\nkind: post\npermalink: /blog/2020/01/hello/\n---\nHi.\n',
  );
  const config = path.join(dir, 'almanac.config.json');
  await writeFile(config, JSON.stringify({ sources: [], site: { title: 'Test KB', url: SITE } }));
  process.env.ALMANAC_CACHE_DIR = path.join(dir, 'cache');
  const out = path.join(dir, '_site');
  await runEleventy({ content, out, config: await loadConfig(config) });
  assert.match(
    await readFile(path.join(out, 'releases/index.html'), 'utf8'),
    /No releases yet\. Write one as <code>content\/releases\/&lt;product&gt;\/&lt;version&gt;\.md<\/code>/,
  );
  const xml = await readFile(path.join(out, 'releases/feed.xml'), 'utf8');
  assert.equal(XMLValidator.validate(xml), true);
  assert.doesNotMatch(xml, /<entry>/);
  assert.match(xml, /<updated>1970-01-01T00:00:00Z<\/updated>/);
});
