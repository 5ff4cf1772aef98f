import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { checkRedirects } from '../src/redirects/checks.ts';
import { buildCandidateMap } from '../src/redirects/map.ts';
import { ROOT } from './helpers/cli.ts';

const pages = new Set(['/', '/a/', '/b/', '/c/', '/blog/2020/05/post/']);
const redirect = (
  from: string,
  to: string,
  origin = `content/${to.replace(/\W+/g, '') || 'index'}.md`,
  query?: string,
) => (query ? { from, to, origin, query } : { from, to, origin });

test('two targets for one old URL is an error naming both documents', async () => {
  const result = await checkRedirects(
    [redirect('/old.html', '/a/', 'content/a.md'), redirect('/old.html', '/b/', 'content/b.md')],
    { pages },
  );
  assert.equal(result.errors.length, 1);
  assert.match(
    result.errors[0],
    /old URL \/old\.html has two targets: \/a\/ \(content\/a\.md\) and \/b\/ \(content\/b\.md\)/,
  );
});

test('paths compare decoded: /caf%C3%A9 and /café are one old URL', async () => {
  const result = await checkRedirects(
    [redirect('/caf%C3%A9', '/a/', 'content/a.md'), redirect('/café', '/b/', 'content/b.md')].map((item) => ({
      ...item,
      from: decodeURIComponent(item.from),
    })),
    { pages },
  );
  assert.equal(result.errors.length, 1);
  const encodedTarget = await checkRedirects([redirect('/x', '/blog/2020/05/%70ost/')], { pages });
  assert.deepEqual(
    encodedTarget.redirects.map((item) => item.to),
    ['/blog/2020/05/post/'],
  );
});

test('the same old URL twice with the same target is one redirect', async () => {
  const result = await checkRedirects(
    [redirect('/old.html', '/a/'), redirect('/old.html', '/a/', 'content/other.md')],
    { pages },
  );
  assert.deepEqual(result.errors, []);
  assert.equal(result.redirects.length, 1);
});

test('chains collapse to one hop', async () => {
  const result = await checkRedirects(
    [redirect('/one', '/two'), redirect('/two', '/three'), redirect('/three', '/a/')],
    { pages },
  );
  assert.deepEqual(result.errors, []);
  assert.deepEqual(
    result.redirects.map((item) => [item.from, item.to]),
    [
      ['/one', '/a/'],
      ['/three', '/a/'],
      ['/two', '/a/'],
    ],
  );
});

test('loops are refused', async () => {
  const result = await checkRedirects(
    [redirect('/one', '/two'), redirect('/two', '/one'), redirect('/self', '/self')],
    { pages },
  );
  assert.equal(result.errors.length, 3);
  assert.match(result.errors.join('\n'), /old URL \/one .* loops: \/one → \/two → \/one/);
  assert.match(result.errors.join('\n'), /old URL \/self .* loops/);
  assert.deepEqual(result.redirects, []);
});

test('targets off this site are refused: other hosts, //host, /\\host, schemes, encoded slashes', async () => {
  for (const target of [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    '/%2F%2Fevil.example/',
    '/%5Cevil.example/',
    'javascript:alert(1)',
    'relative/',
    '/a/\n',
    '/a/?x=1',
  ]) {
    const result = await checkRedirects([redirect('/old.html', target)], { pages: new Set([...pages, target]) });
    assert.equal(result.errors.length, 1, `${JSON.stringify(target)} should be refused`);
    assert.match(result.errors[0], /refused/);
    assert.deepEqual(result.redirects, []);
  }
});

test('an old URL that is also a page of the new site is reported and left out (the page wins)', async () => {
  const result = await checkRedirects([redirect('/a/', '/b/'), redirect('/old', '/b/')], { pages });
  assert.deepEqual(
    result.redirects.map((item) => item.from),
    ['/old'],
  );
  assert.match(result.warnings.join('\n'), /old URL \/a\/ .* is also a page of the new site/);
});

test('an old URL whose target is not a page of the site is left out with a warning', async () => {
  const result = await checkRedirects([redirect('/old', '/missing/')], { pages });
  assert.deepEqual(result.redirects, []);
  assert.match(result.warnings[0], /target \/missing\/ is not a page of the site/);
});

test('trailing slash: /x/ also answers as /x; /x answers only as /x; case counts', async () => {
  const result = await checkRedirects(
    [
      redirect('/2020/', '/a/'),
      redirect('/page', '/b/'),
      redirect('/About.html', '/c/'),
      redirect('/about.html', '/a/'),
    ],
    { pages },
  );
  assert.deepEqual(
    result.redirects.map((item) => item.from),
    ['/2020', '/2020/', '/About.html', '/about.html', '/page'],
  );
});

test('old URLs no request can reach, or with control characters, are left out with the reason', async () => {
  const result = await checkRedirects(
    [
      redirect('/a//b', '/a/'),
      redirect('/a/../b', '/a/'),
      redirect('/new\nline', '/a/'),
      redirect('/x'.repeat(1100), '/a/'),
    ],
    { pages },
  );
  assert.deepEqual(result.redirects, []);
  assert.equal(result.warnings.length, 4);
  assert.match(result.warnings.join('\n'), /control character/);
  assert.match(result.warnings.join('\n'), /longer than 2000 bytes/);
});

test('the fixture content gives Blogger and Roller URLs besides redirect_from, drafts left out', async () => {
  const content = path.join(ROOT, 'test/fixtures/redirects/content');
  const map = await buildCandidateMap(content);
  assert.deepEqual(map.sources, [
    { id: 'jlevon', type: 'roller' },
    { id: 'tribblix', type: 'blogger' },
  ]);
  const result = await checkRedirects(map.candidates, { pages: map.pages });
  const table = new Map(
    result.redirects.map((item) => [item.query === undefined ? item.from : `${item.from}?${item.query}`, item.to]),
  );
  const expected: Record<string, string> = {
    '/2020/05/first-post.html': '/tribblix/2020/05/first-post/',
    '/2020/05/first-post.html?m=1': '/tribblix/2020/05/first-post/',
    '/2021/01/café.html': '/tribblix/2021/01/cafe/',
    '/p/about.html': '/tribblix/about/',
    '/search/label/My Poems': '/tribblix/tags/my-poems/',
    '/search/label/Café & Crème?m=1': '/tribblix/tags/cafe-and-creme/',
    '/2020/05/': '/tribblix/2020/05/',
    '/2021/': '/tribblix/2021/',
    '/feeds/posts/default': '/tribblix/feed.xml',
    '/feeds/posts/default?alt=rss': '/tribblix/feed.xml',
    '/levon/entry/kmdb': '/jlevon/2005/03/kmdb/',
    '/levon/': '/jlevon/',
    '/levon': '/jlevon/',
    '/levon/category/OpenSolaris': '/jlevon/tags/opensolaris/',
    '/levon/tags/opensolaris': '/jlevon/tags/opensolaris/',
    '/levon/feed/entries/atom': '/jlevon/feed.xml',
    '/levon/feed/entries/rss': '/jlevon/feed.xml',
    '/levon/date/20040615': '/jlevon/2004/06/',
    '/levon/date/200503': '/jlevon/2005/03/',
    '/old-docs/migrating.html': '/docs/migrating/',
  };
  for (const [from, to] of Object.entries(expected)) assert.equal(table.get(from), to, from);
  assert.equal(table.has('/2022/02/unfinished.html'), false, 'a draft is not published');
  assert.equal(table.has('/'), false, 'the old home page redirects only in a config for one source');
  assert.match(map.warnings.join('\n'), /unfinished\.md: a draft is not published/);
  const tribblixOnly = await buildCandidateMap(content, { source: 'tribblix' });
  const forOldHost = await checkRedirects(tribblixOnly.candidates, { pages: tribblixOnly.pages, shadowing: false });
  assert.equal(forOldHost.redirects.find((item) => item.from === '/' && item.query === undefined)?.to, '/tribblix/');
  assert.equal(
    forOldHost.redirects.some((item) => item.from.startsWith('/levon')),
    false,
  );
});

test("an old platform's address: a document's redirect_from wins; two sources' same address is left out with a hint", async () => {
  const feedA = {
    from: '/feeds/posts/default',
    to: '/a/',
    origin: 'Blogger source a (feed)',
    kind: 'platform' as const,
  };
  const feedB = {
    from: '/feeds/posts/default',
    to: '/b/',
    origin: 'Blogger source b (feed)',
    kind: 'platform' as const,
  };
  const archive = { from: '/2020/', to: '/a/', origin: 'Blogger source a (year archive)', kind: 'platform' as const };
  const document = { from: '/2020/', to: '/c/', origin: 'content/c.md', kind: 'document' as const };
  const result = await checkRedirects([feedA, feedB, archive, document], { pages });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(
    result.redirects.map((item) => [item.from, item.to]),
    [
      ['/2020', '/c/'],
      ['/2020/', '/c/'],
    ],
  );
  assert.match(
    result.warnings.join('\n'),
    /\/feeds\/posts\/default left out: .* write one config per old host with --source/,
  );
  assert.match(result.warnings.join('\n'), /content\/c\.md lists it in redirect_from, so it goes to \/c\//);
});
