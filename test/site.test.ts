/**
 * Issue 6: the knowledge base built by the real CLI (`almanac build`) from hand-written content
 * (test/fixtures/site/content), then read back as files: pages, archives, tags, threads, feeds,
 * sitemap, the Markdown engine's safety and cache, and `almanac check` over the whole site.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkSite } from '../src/site/linkCheck.ts';
import { threadKey } from '../src/site/siteIndex.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const FIXTURE = path.join(ROOT, 'test/fixtures/site/content');
const SITE_URL = 'https://kb.example.org/';
const THREAD = `/illumos-discuss/threads/${threadKey('<root-1@example.org>')}/`;

let dir = '';
let content = '';
let site = '';
let config = '';
let firstBuild = { code: 0, stdout: '', stderr: '' };

const html = (url: string) => readFile(path.join(site, url, url.endsWith('/') ? 'index.html' : ''), 'utf8');

/** 23 more posts, so the source index needs two pages. */
async function addBulkPosts(folder: string): Promise<void> {
  for (let n = 1; n <= 23; n++) {
    const day = String(n).padStart(2, '0');
    const file = path.join(folder, 'bulkblog/2022/03', `note-${n}.md`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      `---\ntitle: 'Note ${n}'\ndate: '2022-03-${day}T09:00:00+00:00'\nauthor: Bo\ntags:\n  - ZFS\nsource: bulkblog\nkind: post\noriginal_id: 'bulk-${n}'\npermalink: /bulkblog/2022/03/note-${n}/\n---\n\nShort note number ${n}.\n`,
    );
  }
}

async function allFiles(root: string, relative = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...(await allFiles(root, child)));
    else found.push(child);
  }
  return found;
}

/** The text of every page Pagefind indexed (its fragments are gzipped JSON). */
async function searchIndexText(): Promise<string> {
  const folder = path.join(site, 'pagefind/fragment');
  const fragments = await readdir(folder);
  return (
    await Promise.all(fragments.map(async (name) => gunzipSync(await readFile(path.join(folder, name))).toString()))
  ).join('\n');
}

describe('the built knowledge base', () => {
  before(async () => {
    dir = await temporaryDirectory('almanac-site-');
    content = path.join(dir, 'content');
    site = path.join(dir, '_site');
    await cp(FIXTURE, content, { recursive: true });
    await addBulkPosts(content);
    config = path.join(dir, 'almanac.config.json');
    await writeFile(
      config,
      JSON.stringify({
        sources: [
          {
            id: 'zfsblog',
            format: 'blogger',
            inputs: ['unused.xml'],
            title: 'ZFS Notes',
            description: 'Running ZFS on illumos.',
          },
        ],
        site: { title: 'Test KB', url: SITE_URL },
      }),
    );
    firstBuild = await almanac(['build', '--config', config, '--content', content, '--out', site], {
      cwd: dir,
      env: { ALMANAC_DEBUG: '1', ALMANAC_CACHE_DIR: path.join(dir, 'cache') },
    });
    assert.equal(firstBuild.code, 0, firstBuild.stderr);
  });

  test('build prints where the site went and how many pages it has', () => {
    assert.match(firstBuild.stdout, /^Built \d+ pages into _site\/ in [\d.]+ s; search index of \d+ pages\.\n$/);
  });

  test('the whole site has no broken internal link, asset or anchor, and every redirect target exists', async () => {
    const { problems, pages, links } = await checkSite({ site, content });
    assert.deepEqual(problems, []);
    assert.ok(pages > 30 && links > 300, `${pages} pages, ${links} links`);
    const checked = await almanac(['check', '--site', site, '--content', content], { cwd: dir });
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    assert.match(checked.stdout, /^OK: \d+ pages, \d+ internal links checked/);
  });

  test('drafts are never built, not even their text in search or feeds', async () => {
    assert.equal(existsSync(path.join(site, 'zfsblog/drafts')), false);
    for (const file of await allFiles(site)) {
      if (/\.(html|xml|txt|json)$/.test(file))
        assert.doesNotMatch(await readFile(path.join(site, file), 'utf8'), /quokkasecret|Unfinished thoughts/, file);
    }
  });

  test('a post: title, date, author, tags, original URL, highlighted code, comments nested as they were, older and newer', async () => {
    const page = await html('/zfsblog/2020/05/boot-environments-with-beadm/');
    assert.match(page, /<h1 id="document-title"[^>]*>Boot environments with beadm<\/h1>/);
    assert.match(page, /<time datetime="2020-05-06T10:15:00\+02:00">6 May 2020<\/time>/);
    assert.match(page, /Ada Moreau/);
    assert.match(page, /<a href="\/zfsblog\/tags\/zfs\/" rel="tag">ZFS<\/a>/);
    assert.match(
      page,
      /Originally published at <a href="https:\/\/zfsnotes\.blogspot\.com\/2020\/05\/boot-environments-with-beadm\.html"/,
    );
    assert.match(page, /<pre class="language-c"><code class="language-c"><span class="token keyword">static<\/span>/);
    assert.match(page, /<pre class="language-shell-session">/);
    // c2 answers c1: it is inside c1's list item; c3 is a sibling of c1.
    const c1 = page.indexOf('id="comment-c1"');
    const c2 = page.indexOf('id="comment-c2"');
    const c3 = page.indexOf('id="comment-c3"');
    assert.ok(c1 < c2 && c2 < c3);
    assert.match(page.slice(c1, c3), /<ol class="comment-list">[\s\S]*id="comment-c2"/);
    assert.match(page, /<strong>encrypted<\/strong>/);
    // The comment's link to the post's heading points at the heading's (sanitized) id.
    assert.match(page, /<a href="#user-content-snapshots-first">the ZFS notes<\/a>/);
    assert.match(page, /<h2 id="user-content-snapshots-first">/);
    assert.match(page, /rel="prev"><span>Older<\/span> Listing pools/);
    assert.match(page, /rel="next"><span>Newer<\/span> What an old comment system let through/);
    assert.match(page, /data-pagefind-body/);
  });

  test('imported text is data: nothing runs, templates stay text', async () => {
    const page = await html('/zfsblog/2020/05/untrusted-html/');
    const body = page.slice(page.indexOf('data-pagefind-body'), page.indexOf('</article>'));
    assert.doesNotMatch(body, /<script|onerror|javascript:|data:text/i);
    assert.match(body, /\{\{ 7 \* 7 \}\} and \{% raw %\}\{\{ x \}\}\{% endraw %\}/);
    const other = await html('/zfsblog/2020/05/boot-environments-with-beadm/');
    assert.match(other, /\{\{ page\.url \}\} and \{% raw %\}this\{% endraw %\}/);
  });

  test('a Markdown permalink is never rendered as a template', async () => {
    const own = await temporaryDirectory('almanac-site-permalink-');
    await mkdir(path.join(own, 'content'));
    await writeFile(
      path.join(own, 'content/a.md'),
      "---\ntitle: hi\npermalink: '/x/{{ title }}/'\n---\n\n{{ title }} {{ 6 * 7 }}\n",
    );
    await writeFile(
      path.join(own, 'almanac.config.json'),
      JSON.stringify({ sources: [], site: { title: 'T', url: SITE_URL } }),
    );
    const result = await almanac(['build', '--config', 'almanac.config.json', '--content', 'content', '--out', 'out'], {
      cwd: own,
    });
    assert.equal(result.code, 0, result.stderr);
    const page = await readFile(path.join(own, 'out/x/{{ title }}/index.html'), 'utf8');
    assert.match(page, /\{\{ title \}\} \{\{ 6 \* 7 \}\}/);
    assert.doesNotMatch(page, /\b42\b/);
  });

  test('JavaScript front matter is refused with one line naming the file', async () => {
    const own = await temporaryDirectory('almanac-site-js-');
    await mkdir(path.join(own, 'content'));
    await writeFile(
      path.join(own, 'content/evil.md'),
      '---js\n{ title: require("fs").writeFileSync("/tmp/almanac-pwned", "x") }\n---\n\ntext\n',
    );
    const result = await almanac(['build', '--content', path.join(own, 'content'), '--out', path.join(own, 'out')], {
      cwd: own,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^almanac build: .*evil\.md.*front matter in JavaScript is not run/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('a mail thread: messages nested by reply, long quotes folded, patches highlighted', async () => {
    const page = await html(THREAD);
    assert.match(page, /<h1 id="thread-title">bhyve PCI passthrough on OmniOS<\/h1>/);
    assert.equal(page.match(/class="thread__message"/g)?.length, 3);
    // Depth: the root's list holds reply 1, whose list holds reply 2.
    const lists = page.match(/<ol class="thread__replies">/g)?.length;
    assert.equal(lists, 3);
    assert.match(page, /<details class="quote"><summary>Quoted text \(4 lines\)<\/summary><blockquote>/);
    assert.match(
      page,
      /<pre class="language-diff"><code class="language-diff">.*<span class="token deleted-sign deleted">/s,
    );
    // The short quote in the last reply stays open.
    assert.match(page, /<blockquote>\s*<p>You need to add it to the zone config as well\.<\/p>\s*<\/blockquote>/);
    const message = await html('/illumos-discuss/2021/02/re-bhyve-passthrough-1/');
    assert.match(message, new RegExp(`<a href="${THREAD}">thread of 3 messages</a>`));
    assert.match(message, /rel="prev"><span>Earlier<\/span> Dan Keller/);
  });

  test('a list index by month, a blog index by pages, archives by year and month', async () => {
    const list = await html('/illumos-discuss/');
    assert.match(list, /<a href="\/illumos-discuss\/2021\/02\/">February 2021<\/a>/);
    assert.match(list, new RegExp(`<a href="${THREAD}">bhyve PCI passthrough on OmniOS</a>`));
    const first = await html('/bulkblog/');
    assert.equal(first.match(/class="post-list__item"/g)?.length, 20);
    assert.match(first, /<a class="pager__previous" href="\/bulkblog\/page\/2\/" rel="next">/);
    const second = await html('/bulkblog/page/2/');
    assert.equal(second.match(/class="post-list__item"/g)?.length, 3);
    assert.match(second, /Note 1</);
    const blog = await html('/zfsblog/');
    assert.match(blog, /<h1>ZFS Notes/);
    assert.match(blog, /Running ZFS on illumos\./);
    const year = await html('/zfsblog/2020/');
    assert.match(year, /<a href="\/zfsblog\/2020\/05\/">May 2020<\/a>/);
    const month = await html('/zfsblog/2020/05/');
    assert.match(month, /Boot environments with beadm/);
    assert.doesNotMatch(month, /Listing pools/);
  });

  test('tags per source and across sources', async () => {
    const global = await html('/tags/zfs/');
    assert.match(global, /Boot environments with beadm/);
    assert.match(global, /Note 23/);
    const local = await html('/zfsblog/tags/zfs/');
    assert.match(local, /Listing pools/);
    assert.doesNotMatch(local, /Note 23/);
    assert.match(await html('/tags/'), /<a href="\/tags\/security\/">security<\/a>/);
  });

  test('the home page: latest posts, sources, recent threads', async () => {
    const home = await html('/');
    assert.match(home, /Latest posts/);
    assert.match(home, /<a href="\/zfsblog\/">ZFS Notes<\/a>/);
    assert.match(home, new RegExp(`<a href="${THREAD}">bhyve PCI passthrough on OmniOS</a>`));
    assert.match(home, /<a class="skip-link" href="#main">/);
    assert.match(home, /<main id="main"/);
    assert.match(home, /<link rel="stylesheet" href="\/pagefind\/pagefind-ui\.css">/);
    // No external requests: every src and stylesheet is on the site.
    for (const match of home.matchAll(/(?:src|href)="([^"]+)"/g)) {
      if (/^https?:/.test(match[1]))
        assert.doesNotMatch(
          home.slice(Math.max(0, match.index! - 40), match.index),
          /<(script|link rel="stylesheet"|img)/,
        );
    }
  });

  test('docs have a navigation sidebar from eleventyNavigation', async () => {
    const page = await html('/docs/migrating-blogger/');
    assert.match(page, /<nav class="docs__nav" aria-label="Guides">/);
    assert.match(page, /<a href="\/docs\/migrating-blogger\/" aria-current="page">Migrating a Blogger blog<\/a>/);
    assert.match(page, /<a href="\/docs\/">Guides<\/a>/);
  });

  test('Atom feeds (site, source, tag) are valid XML with absolute links', async () => {
    const parser = new XMLParser({ ignoreAttributes: false });
    for (const feed of ['/feed.xml', '/zfsblog/feed.xml', '/illumos-discuss/feed.xml', '/tags/zfs/feed.xml']) {
      const xml = await readFile(path.join(site, feed), 'utf8');
      assert.equal(XMLValidator.validate(xml), true, feed);
      const parsed = parser.parse(xml).feed;
      const entries = [parsed.entry].flat().filter(Boolean);
      assert.ok(entries.length > 0, feed);
      for (const entry of entries) assert.match(entry.link['@_href'], /^https:\/\/kb\.example\.org\//);
    }
    const everything = await readFile(path.join(site, 'zfsblog/feed.xml'), 'utf8');
    assert.match(everything, /<link href="https:\/\/kb\.example\.org\/zfsblog\/2019\/03\/listing-pools\/"\/>/);
    // Relative links inside content become absolute for feed readers.
    assert.match(
      everything,
      /href=&quot;https:\/\/kb\.example\.org\/zfsblog\/2019\/03\/listing-pools\/&quot;&gt;listing pools/,
    );
  });

  test('sitemap.xml, robots.txt and 404.html', async () => {
    const sitemap = await readFile(path.join(site, 'sitemap.xml'), 'utf8');
    assert.equal(XMLValidator.validate(sitemap), true);
    assert.match(sitemap, /<loc>https:\/\/kb\.example\.org\/zfsblog\/2020\/05\/boot-environments-with-beadm\/<\/loc>/);
    assert.match(sitemap, new RegExp(`<loc>https://kb\\.example\\.org${THREAD}</loc>`));
    assert.match(
      await readFile(path.join(site, 'robots.txt'), 'utf8'),
      /^Sitemap: https:\/\/kb\.example\.org\/sitemap\.xml$/m,
    );
    assert.match(await readFile(path.join(site, '404.html'), 'utf8'), /Page not found/);
  });

  test('a warm build of an unchanged site does nothing; --force renders again with no Markdown work; one edit rebuilds', async () => {
    assert.match(firstBuild.stderr, /markdown cache: 0 hits, \d+ rendered/);
    const env = { ALMANAC_DEBUG: '1', ALMANAC_CACHE_DIR: path.join(dir, 'cache') };
    const warm = await almanac(['build', '--config', config, '--content', content, '--out', site], { cwd: dir, env });
    assert.equal(warm.code, 0, warm.stderr);
    assert.match(warm.stdout, /^Up to date: \d+ pages in _site\/, nothing changed since the last build/);
    const forced = await almanac(['build', '--config', config, '--content', content, '--out', site, '--force'], {
      cwd: dir,
      env,
    });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /markdown cache: \d+ hits, 0 rendered/);
    // An output file removed by hand makes the site out of date.
    await rm(path.join(site, '404.html'));
    const repaired = await almanac(['build', '--config', config, '--content', content, '--out', site], {
      cwd: dir,
      env,
    });
    assert.match(repaired.stdout, /^Built \d+ pages/);
    assert.ok(existsSync(path.join(site, '404.html')));
    // One edited post: rebuilt, and only its Markdown is rendered again.
    const post = path.join(content, 'zfsblog/2019/03/listing-pools.md');
    await writeFile(post, `${await readFile(post, 'utf8')}\nOne more line about zpool iostat.\n`);
    const edited = await almanac(['build', '--config', config, '--content', content, '--out', site], { cwd: dir, env });
    assert.match(edited.stderr, /markdown cache: \d+ hits, 1 rendered/);
    assert.match(await html('/zfsblog/2019/03/listing-pools/'), /One more line about zpool iostat\./);
    // And the build after that has nothing to do again: the search index and redirects it wrote are as recorded.
    for (let again = 0; again < 2; again++) {
      const settled = await almanac(['build', '--config', config, '--content', content, '--out', site], {
        cwd: dir,
        env,
      });
      assert.match(settled.stdout, /^Up to date: /, `build ${again + 1} after the edit: ${settled.stdout}`);
    }
  });

  test("a post made a draft is taken off the site: its page, its tag's pages and its search entry; other files stay", async () => {
    const env = { ALMANAC_CACHE_DIR: path.join(dir, 'cache') };
    const post = path.join(content, 'zfsblog/2023/05/short-lived.md');
    await mkdir(path.dirname(post), { recursive: true });
    await writeFile(
      post,
      `---\ntitle: Short-lived\ndate: '2023-05-02T09:00:00+00:00'\ntags:\n  - Ephemeral\nsource: zfsblog\nkind: post\npermalink: /zfsblog/2023/05/short-lived/\n---\n\nA word only this post has: zanzibarite.\n`,
    );
    const published = await almanac(['build', '--config', config, '--content', content, '--out', site], {
      cwd: dir,
      env,
    });
    assert.equal(published.code, 0, published.stderr);
    const pages = [
      'zfsblog/2023/05/short-lived/index.html',
      'tags/ephemeral/index.html',
      'tags/ephemeral/feed.xml',
      'zfsblog/tags/ephemeral/index.html',
      'zfsblog/2023/index.html',
    ];
    for (const page of pages) assert.ok(existsSync(path.join(site, page)), page);
    assert.match(await searchIndexText(), /zanzibarite/);
    // The user's own file, and a built file the user changed since: neither is the build's to remove.
    await writeFile(path.join(site, 'zfsblog/2023/05/notes.txt'), 'mine\n');
    await writeFile(path.join(site, 'zfsblog/tags/ephemeral/index.html'), 'edited by hand\n');

    await writeFile(post, (await readFile(post, 'utf8')).replace('kind: post', 'kind: post\ndraft: true'));
    const drafted = await almanac(['build', '--config', config, '--content', content, '--out', site], {
      cwd: dir,
      env,
    });
    assert.equal(drafted.code, 0, drafted.stderr);
    assert.match(drafted.stderr, /^Removed 5 files the last build wrote and this one did not/m);
    for (const page of pages.filter((page) => !page.startsWith('zfsblog/tags/')))
      assert.ok(!existsSync(path.join(site, page)), `${page} is gone`);
    assert.ok(!existsSync(path.join(site, 'zfsblog/2023/05/short-lived')), 'and its emptied folder');
    assert.ok(!existsSync(path.join(site, 'tags/ephemeral')));
    assert.equal(await readFile(path.join(site, 'zfsblog/2023/05/notes.txt'), 'utf8'), 'mine\n');
    assert.equal(await readFile(path.join(site, 'zfsblog/tags/ephemeral/index.html'), 'utf8'), 'edited by hand\n');
    for (const file of await allFiles(site)) {
      if (/\.(html|xml|txt|json)$/.test(file) && !file.startsWith(path.join('zfsblog', 'tags', 'ephemeral')))
        assert.doesNotMatch(await readFile(path.join(site, file), 'utf8'), /zanzibarite|Short-lived/, file);
    }
    assert.doesNotMatch(await searchIndexText(), /zanzibarite/, 'search no longer finds it');
  });
});

describe('almanac check finds what is wrong', () => {
  test('a broken link, a redirect whose page is missing, and a page on an old URL: one line each, exit 1', async () => {
    const own = await temporaryDirectory('almanac-check-');
    const content = path.join(own, 'content');
    await mkdir(path.join(content, 'b'), { recursive: true });
    await writeFile(
      path.join(content, 'b/one.md'),
      "---\ntitle: One\ndate: '2020-01-01T00:00:00Z'\nsource: b\nkind: post\npermalink: /b/one/\nredirect_from:\n  - /b/two/\n---\n\nSee [missing](/b/nowhere/) and [anchor](/b/one/#nope).\n",
    );
    await writeFile(
      path.join(content, 'b/two.md'),
      "---\ntitle: Two\ndate: '2020-01-02T00:00:00Z'\nsource: b\nkind: post\npermalink: /b/two/\n---\n\nText.\n",
    );
    const built = await almanac(['build', '--content', content, '--out', path.join(own, '_site')], { cwd: own });
    assert.equal(built.code, 0, built.stderr);
    // A document added after the build: its page is not in the site.
    await writeFile(
      path.join(content, 'b/three.md'),
      '---\ntitle: Three\nsource: b\nkind: post\npermalink: /b/three/\nredirect_from:\n  - /old/three.html\n---\n\nText.\n',
    );
    const checked = await almanac(['check'], { cwd: own });
    assert.equal(checked.code, 1);
    const lines = checked.stdout.trim().split('\n');
    assert.ok(lines.includes('/b/one/: broken link to /b/nowhere/'), checked.stdout);
    assert.ok(lines.includes('/b/one/: broken anchor /b/one/#nope (no id "nope" on that page)'), checked.stdout);
    assert.ok(
      lines.some((line) => /b\/three\.md: redirect_from target \/b\/three\/ is not in the site$/.test(line)),
      checked.stdout,
    );
    assert.ok(
      lines.some((line) =>
        /b\/one\.md: the old URL \/b\/two\/ is shadowed by a page of the site \(b\/two\.md\)/.test(line),
      ),
      checked.stdout,
    );
    assert.match(checked.stderr, /^almanac check: 4 problems \(/);
  });

  test('serve: a bad port is a usage error before anything is built', async () => {
    const own = await temporaryDirectory('almanac-serve-');
    const served = await almanac(['serve', '--port', 'eighty'], { cwd: own });
    assert.equal(served.code, 2);
    assert.match(
      served.stderr,
      /^almanac serve: --port must be a port number, not "eighty"\nTry almanac serve --help\.\n$/,
    );
    assert.equal(existsSync(path.join(own, '_site')), false);
  });

  test('no site yet: a usage error that says what to run', async () => {
    const own = await temporaryDirectory('almanac-check-');
    const checked = await almanac(['check'], { cwd: own });
    assert.equal(checked.code, 2);
    assert.match(checked.stderr, /no built site at _site; run almanac build first/);
  });
});
