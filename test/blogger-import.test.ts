/**
 * The Blogger importer end to end, through the real CLI, on fixtures written for Almanac:
 * test/fixtures/blogger/blog-11-23-2026.xml (a classic backup, raw on one line with single quotes)
 * and test/fixtures/blogger/takeout/feed.atom (Google Takeout).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { markdownFiles } from '../src/content/contentIndex.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { textFidelity } from './helpers/textFidelity.ts';

const CLASSIC = path.join(ROOT, 'test/fixtures/blogger/blog-11-23-2026.xml');
const TAKEOUT = path.join(ROOT, 'test/fixtures/blogger/takeout/feed.atom');
const BLOG = 'tag:blogger.com,1999:blog-7000000000000000001';
const TAKEOUT_BLOG = 'tag:blogger.com,1999:blog-8000000000000000002';

interface Imported {
  out: string;
  stdout: string;
  stderr: string;
  report: {
    entries: number;
    written: number;
    unchanged: number;
    comments: number;
    kept: unknown[];
    skipped: { id: string; reason: string }[];
    warnings: { id?: string; message: string }[];
  };
  /** Documents by original_id. */
  documents: Map<string, { file: string; data: Record<string, unknown>; body: string; text: string }>;
}

async function importFixture(input: string, source: string, extra: string[] = []): Promise<Imported> {
  const out = await temporaryDirectory();
  const reportFile = path.join(out, 'report.json');
  const result = await almanac(['import', input, '--source', source, '--out', out, '--report', reportFile, ...extra]);
  assert.equal(result.code, 0, result.stderr);
  const documents: Imported['documents'] = new Map();
  for (const file of await markdownFiles(path.join(out, source))) {
    const text = await readFile(path.join(out, source, file), 'utf8');
    const { data, body } = parseDocument(text);
    documents.set(String(data.original_id), { file, data, body, text });
  }
  return {
    out,
    stdout: result.stdout,
    stderr: result.stderr,
    report: JSON.parse(await readFile(reportFile, 'utf8')),
    documents,
  };
}

/** The original HTML of an entry, read from the fixture's XML text. */
async function originalHtml(input: string, id: string): Promise<string> {
  const xml = await readFile(input, 'utf8');
  const entry = xml.split('<entry>').find((part) => part.includes(`<id>${id}`))!;
  const content = /<content type='html'>([\s\S]*?)<\/content>/.exec(entry)![1];
  return content.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const classic = importFixture(CLASSIC, 'notes');
const doc = async (id: string) => {
  const found = (await classic).documents.get(`${BLOG}.${id}`);
  assert.ok(found, `${id} was imported`);
  return found;
};

test('classic backup: every entry written or skipped with a reason; settings and template are not documents', async () => {
  const { report, stdout, documents } = await classic;
  assert.equal(report.entries, 27); // 1 template, 2 settings, 18 posts (6 drafts), 2 pages, 4 comments
  assert.equal(documents.size, 20);
  assert.equal(report.written, 20);
  assert.equal(report.comments, 2);
  assert.equal(
    report.entries,
    report.written + report.unchanged + report.kept.length + report.comments + report.skipped.length,
  );
  const reasons = Object.fromEntries(report.skipped.map((skip) => [skip.id.replace(`${BLOG}.`, ''), skip.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), [
    'layout',
    'post-3003',
    'post-3004',
    'settings.BLOG_DESCRIPTION',
    'settings.BLOG_TIME_ZONE',
  ]);
  assert.match(reasons.layout, /template entry: not a document/);
  assert.match(reasons['settings.BLOG_TIME_ZONE'], /settings entry: not a document/);
  assert.equal(reasons['post-3003'], 'comment deleted in Blogger: not imported');
  assert.match(reasons['post-3004'], /comment on .*post-9999, which is not in the input/);
  assert.match(stdout, /^notes: 27 entries \(blogger\) → .*notes\/: 20 written, 0 unchanged, 5 skipped, 2 comments\n$/);
});

test('classic backup: frontmatter per DESIGN.md — dates with their offsets, labels, the old URL and its path', async () => {
  const guide = await doc('post-1001');
  assert.equal(guide.file, '2009/03/building-illumos-quick-guide.md');
  assert.deepEqual(guide.data, {
    title: 'Building illumos: a "quick" guide',
    date: '2009-03-31T23:30:00.000-07:00',
    updated: '2009-04-01T08:15:00.000-07:00',
    author: 'Peter Tribble',
    tags: ['illumos', 'Build'],
    source: 'notes',
    kind: 'post',
    original_id: `${BLOG}.post-1001`,
    original_url: 'http://illumos-notes.blogspot.com/2009/03/building-illumos-quick-guide.html',
    redirect_from: ['/2009/03/building-illumos-quick-guide.html'],
    permalink: '/notes/2009/03/building-illumos-quick-guide/',
    comments: guide.data.comments,
  });
  // The YAML itself keeps the dates as strings, exactly as Blogger wrote them.
  assert.match(guide.text, /^date: '2009-03-31T23:30:00.000-07:00'$/m);
  const page = await doc('page-2001');
  assert.equal(page.data.kind, 'page');
  assert.equal(page.data.permalink, '/notes/about/');
  assert.deepEqual(page.data.redirect_from, ['/p/about.html']);
  assert.equal(
    (await doc('page-2002')).data.permalink,
    '/notes/tags-page/',
    "a page never takes the source's tag index",
  );
});

test('classic backup: comments stay with their post, replies say which comment they answer, deleted ones are gone', async () => {
  const comments = (await doc('post-1001')).data.comments as Record<string, unknown>[];
  assert.equal(comments.length, 2);
  assert.deepEqual(comments[0], {
    id: `${BLOG}.post-3001`,
    author: 'Zoë',
    author_url: 'https://www.blogger.com/profile/9',
    date: '2009-04-02T10:00:00.000-07:00',
    url: 'http://illumos-notes.blogspot.com/2009/03/building-illumos-quick-guide.html?showComment=1#c3001',
    body: 'Great guide!\n\nWorked on **OmniOS** too.',
  });
  assert.equal(comments[1].in_reply_to, `${BLOG}.post-3001`);
  assert.equal(comments[1].author, 'Peter Tribble');
  assert.doesNotMatch(JSON.stringify(comments), /removed by the author/);
});

test("classic backup: Blogger's editor HTML becomes clean Markdown, nothing lost", async () => {
  const guide = await doc('post-1001');
  const html = await originalHtml(CLASSIC, `${BLOG}.post-1001`);
  assert.equal(textFidelity(html, guide.body).ratio, 1);
  const body = guide.body;
  assert.doesNotMatch(body, /trbidi|<div|<br|&nbsp;|\u00a0/);
  assert.match(
    body,
    /^Building illumos on a fresh machine takes three steps\. First install the tools with `pkg install build-essential`\.\n\nThen read/,
  );
  // The <pre> block, byte for byte (entities decoded once, as a browser shows it).
  const pre = /<pre>([\s\S]*?)<\/pre>/.exec(html)![1].replace(/&lt;/g, '<').replace(/&amp;/g, '&');
  assert.ok(body.includes(`\`\`\`\n${pre}\n\`\`\`\n`), 'the listing is a fenced block with its exact text');
  assert.ok(body.includes("printf '\\x1B]8;;&\\x1B\\\\'"));
  assert.ok(body.includes('    indented\ttab\tand trailing spaces   \n'));
  assert.match(body, /\| Machine +\| Cores \| Minutes \|\n\| -+ \| -+ \| -+ \|\n\| Müller's box \| 8 +\| 42 +\|/);
  assert.ok(
    body.includes(
      '[![The build finishing](https://blogger.googleusercontent.com/img/b/R29v/s320/build.png)](https://blogger.googleusercontent.com/img/b/R29v/s1600/build.png)',
    ),
  );
  assert.ok(body.includes('> Never run the build as root. — Ωmega, naïve café owner'));
  assert.ok(body.includes('- clone the gate\n- edit `illumos.sh`\n- run _nightly_\n\n1. first\n2. second'));
  assert.ok(body.includes("Done! 🎉\n\nThat's all, folks."));
});

test('classic backup: links to other posts of the blog point at their new permalinks, whatever the spelling', async () => {
  const guide = (await doc('post-1001')).body;
  assert.ok(guide.includes('[snapshot notes](/notes/2010/01/zfs-snapshots/#usage)'), 'https + www. + ?m=1 + fragment');
  assert.ok(guide.includes('[yes post](/notes/2010/02/yes/)'), 'http');
  assert.ok(guide.includes('[the official docs](https://illumos.org/docs/)'), 'other sites untouched');
  assert.ok(
    (await doc('post-1002')).body.includes('[the build guide](/notes/2009/03/building-illumos-quick-guide/)'),
    'https without www.',
  );
});

test('classic backup: titles that break YAML elsewhere read back exactly', async () => {
  assert.equal((await doc('post-1003')).data.title, 'yes');
  assert.equal((await doc('post-1004')).data.title, '2020-05-06');
  assert.equal((await doc('post-1005')).data.title, '#x');
  assert.equal((await doc('post-1006')).data.title, "Tom & Jerry: 'live' — a: b <3");
  assert.equal((await doc('post-1007')).data.title, 'Café & crème', 'a title of type html is decoded once more');
  assert.equal((await doc('post-1013')).data.title, '日本語のタイトル');
  // The date-like title is a YAML string, not a date.
  assert.match((await doc('post-1004')).text, /^title: '2020-05-06'$/m);
});

test('classic backup: untitled posts, same titles, drafts, huge and odd titles get distinct, short, portable files', async () => {
  const untitled = await doc('post-1008');
  assert.equal(untitled.data.title, '');
  assert.equal(untitled.data.permalink, '/notes/2011/07/blogger-made-this-from-body/');
  const same = await Promise.all(['post-1009', 'post-1010', 'post-1011', 'post-1012'].map(doc));
  assert.deepEqual(
    same.map((document) => document.data.permalink),
    [
      '/notes/2012/04/same-title/',
      '/notes/2012/04/same-title-12/',
      '/notes/2012/04/same-title-2/',
      '/notes/2012/04/same-title-3/',
    ],
  );
  assert.deepEqual(
    same.map((document) => document.data.draft),
    [undefined, undefined, true, true],
  );
  assert.equal(same[2].data.redirect_from, undefined, 'a draft was never published: no old path');
  assert.equal((await doc('post-1013')).data.permalink, '/notes/2013/01/blog-post/');
  assert.equal((await doc('post-1014')).data.permalink, '/notes/2013/01/blog-post-6/');
  const long = await doc('post-1015');
  assert.equal((long.data.title as string).length, 4999);
  assert.match((await doc('post-1016')).data.permalink as string, /^\/notes\/2014\/02\/post-[0-9a-f]{8}\/$/);
  assert.equal((await doc('post-1017')).data.permalink, '/notes/2014/02/etc-passwd-and-a-b-c/');
  assert.equal((await doc('post-1018')).data.permalink, '/notes/2014/02/con-post/');
  for (const { file } of (await classic).documents.values()) {
    for (const part of file.split('/'))
      assert.ok(Buffer.byteLength(part) <= 200, `${file}: a file name of at most 200 bytes`);
    assert.match(file, /^[a-z0-9/-]+\.md$/, `${file}: portable characters only`);
  }
});

test('classic backup: the same input gives the same bytes, whatever the order of its entries', async () => {
  const xml = await readFile(CLASSIC, 'utf8');
  const [head, ...entries] = xml.split('<entry>');
  const last = entries.pop()!;
  const [lastEntry, tail] = last.split('</feed>');
  const reversed = `${head}${[lastEntry, ...entries.reverse()].map((entry) => `<entry>${entry}`).join('')}</feed>${tail}`;
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog-reversed.xml');
  await import('node:fs/promises').then(({ writeFile }) => writeFile(input, reversed));
  const again = await importFixture(input, 'notes');
  const first = await classic;
  assert.deepEqual([...again.documents.keys()].sort(), [...first.documents.keys()].sort());
  for (const [id, document] of first.documents) assert.equal(again.documents.get(id)!.text, document.text, id);
});

test('Takeout feed.atom: statuses, filenames, parents; --old-base gives the old address', async () => {
  const { report, documents } = await importFixture(TAKEOUT, 'tribblix', [
    '--old-base',
    'https://tribblix-notes.blogspot.com/',
  ]);
  assert.equal(report.entries, 10);
  assert.deepEqual(
    [...documents.keys()].sort(),
    ['page-1', 'post-1', 'post-2', 'post-3'].map((id) => `${TAKEOUT_BLOG}.${id}`),
  );
  const reasons = Object.fromEntries(
    report.skipped.map((skip) => [skip.id.replace(`${TAKEOUT_BLOG}.`, ''), skip.reason]),
  );
  assert.deepEqual(reasons, {
    'post-4': 'post deleted in Blogger: not published',
    'post-5': "post in Blogger's trash: not published",
    'comment-3': 'comment deleted in Blogger: not imported',
    'comment-4': `comment on ${TAKEOUT_BLOG}.post-4, which is not published`,
  });
  const first = documents.get(`${TAKEOUT_BLOG}.post-1`)!;
  assert.equal(first.data.title, 'First: the "install"');
  assert.equal(first.data.original_url, 'https://tribblix-notes.blogspot.com/2015/06/first-install.html');
  assert.deepEqual(first.data.redirect_from, ['/2015/06/first-install.html']);
  assert.equal(first.data.date, '2015-06-01T10:00:00.000+02:00');
  assert.ok(
    first.body.includes(
      'Install with `zap install`.\n\nNext: [the second post](/tribblix/2015/07/second/), also as [mobile](/tribblix/2015/07/second/).',
    ),
  );
  assert.ok(first.body.includes('```\n  $ zap list-overlays | head -2\n  develop\n  kernel-dev\n```'));
  const comments = first.data.comments as Record<string, unknown>[];
  assert.deepEqual(
    comments.map((comment) => [comment.body, comment.in_reply_to]),
    [
      ['Nice!', undefined],
      ['Thank you.', `${TAKEOUT_BLOG}.comment-1`],
    ],
  );
  assert.ok(
    documents.get(`${TAKEOUT_BLOG}.post-2`)!.body.includes('[back](/tribblix/2015/06/first-install/)'),
    'a relative link to another post',
  );
  const draft = documents.get(`${TAKEOUT_BLOG}.post-3`)!;
  assert.equal(draft.data.draft, true);
  assert.equal(draft.data.redirect_from, undefined);
  assert.equal(documents.get(`${TAKEOUT_BLOG}.page-1`)!.data.permalink, '/tribblix/about/');
});

test('Takeout feed.atom without --old-base: imported, old paths kept, and a warning says what to pass', async () => {
  const { documents, stderr, report } = await importFixture(TAKEOUT, 'tribblix');
  assert.equal(documents.size, 4);
  const first = documents.get(`${TAKEOUT_BLOG}.post-1`)!;
  assert.equal(first.data.original_url, undefined);
  assert.deepEqual(first.data.redirect_from, ['/2015/06/first-install.html']);
  assert.match(
    stderr,
    /warning: this Takeout export does not name the blog's address: pass --old-base https:\/\/yourblog\.blogspot\.com\//,
  );
  assert.equal(report.warnings.length, 1);
});

test('--old-base that is not an address: a usage error saying what to give, exit 2', async () => {
  const result = await almanac([
    'import',
    TAKEOUT,
    '--source',
    'tribblix',
    '--out',
    await temporaryDirectory(),
    '--old-base',
    'tribblix-notes.blogspot.com',
  ]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^almanac import: --old-base "tribblix-notes\.blogspot\.com" is not an address; give the old site's, like https:\/\/yourblog\.blogspot\.com\/\nTry almanac import --help\.\n$/,
  );
});
