import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllRedirects } from '@netlify/redirect-parser';
import type { Redirect } from '../src/redirects/map.ts';
import cloudflare, { CLOUDFLARE_STATIC_LIMIT } from '../src/redirects/writers/cloudflare.ts';
import htaccess from '../src/redirects/writers/htaccess.ts';
import netlify from '../src/redirects/writers/netlify.ts';
import { writers } from '../src/redirects/writers/index.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { freePort, nginxTest, serverMissing } from './helpers/servers.ts';

const CONTENT = path.join(ROOT, 'test/fixtures/redirects/content');
const options = { serverDir: '/srv/site' };
const sample: Redirect[] = [
  { from: '/2020/05/a b.html', to: '/blog/2020/05/a-b/', origin: 'content/a.md' },
  { from: '/search/label/C++ & *stars*', to: '/blog/tags/c/', origin: 'label' },
  { from: '/x/:not-a-placeholder', to: '/blog/x/', origin: 'content/x.md' },
  { from: '/feeds/posts/default', to: '/blog/feed.xml', origin: 'feed' },
  { from: '/feeds/posts/default', query: 'alt=rss', to: '/blog/rss-feed.xml', origin: 'feed' },
  { from: '/feeds/posts/default', query: 'm=1', to: '/blog/feed.xml', origin: 'feed' },
];

let tmp: string;
before(async () => {
  tmp = await temporaryDirectory('almanac-redirect-writers-');
});
after(() => rm(tmp, { recursive: true, force: true }));

async function parseNetlify(content: string) {
  const file = path.join(tmp, `_redirects-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, content);
  return parseAllRedirects({ redirectsFiles: [file], configRedirects: [], minimal: false });
}

test('netlify _redirects parse with @netlify/redirect-parser: literal paths, 301 forced, queries matched', async () => {
  const { files } = netlify.write(sample, options);
  const { redirects, errors } = await parseNetlify(files[0].content);
  assert.deepEqual(errors, []);
  const parsed = redirects as Array<{
    from: string;
    to: string;
    status: number;
    force: boolean;
    query: Record<string, string>;
  }>;
  assert.equal(parsed.length, 5, 'the ?m=1 rule is answered by its path');
  for (const rule of parsed) {
    assert.equal(rule.status, 301);
    assert.equal(rule.force, true);
    assert.doesNotMatch(rule.from, /\/:|\*/, 'no placeholder or splat');
  }
  const rss = parsed.find((rule) => rule.to === '/blog/rss-feed.xml')!;
  assert.deepEqual(rss.query, { alt: 'rss' });
  assert.equal(parsed.find((rule) => rule.to === '/blog/2020/05/a-b/')!.from, '/2020/05/a%20b.html');
});

test('cloudflare _redirects: status written out, queries reported, at most 2,000 rules with a warning pointing to csv', async () => {
  const many: Redirect[] = Array.from({ length: CLOUDFLARE_STATIC_LIMIT + 5 }, (_, index) => ({
    from: `/old/${index}.html`,
    to: `/new/${index}/`,
    origin: `content/${index}.md`,
  }));
  const result = cloudflare.write([...sample, ...many], options);
  const lines = result.files[0].content.split('\n').filter((line) => line && !line.startsWith('#'));
  assert.equal(lines.length, CLOUDFLARE_STATIC_LIMIT);
  assert.ok(lines.every((line) => / 301$/.test(line)));
  assert.match(result.warnings.join('\n'), /Cloudflare Pages takes 2000.*--format csv/);
  assert.match(result.warnings.join('\n'), /default\?alt=rss left out: .*does not match queries/);
  const { errors } = await parseNetlify(result.files[0].content);
  assert.deepEqual(errors, []);
});

test('vercel.json uses statusCode 301 (permanent would be 308) and has-conditions for queries', () => {
  const config = JSON.parse(writers.vercel.write(sample, options).files[0].content) as {
    redirects: Array<Record<string, unknown>>;
  };
  assert.ok(config.redirects.every((rule) => rule.statusCode === 301 && !('permanent' in rule)));
  assert.deepEqual(config.redirects.find((rule) => rule.destination === '/blog/rss-feed.xml')?.has, [
    { type: 'query', key: 'alt', value: '^rss$' },
  ]);
  assert.equal(config.redirects.find((rule) => rule.destination === '/blog/x/')?.source, '/x/%3Anot-a-placeholder');
});

test('json and csv list every old URL as a browser sends it', () => {
  const list = JSON.parse(writers.json.write(sample, options).files[0].content);
  assert.deepEqual(list[0], { from: '/2020/05/a%20b.html', to: '/blog/2020/05/a-b/', status: 301 });
  assert.equal(list.length, sample.length);
  const csv = writers.csv.write(sample, options).files[0].content;
  assert.equal(csv.split('\r\n')[0], 'from,to,status');
  assert.equal(csv.split('\r\n')[5], '/feeds/posts/default?alt=rss,/blog/rss-feed.xml,301');
});

test('htaccess warns past 1,000 rules that a RewriteMap is needed', () => {
  const many: Redirect[] = Array.from({ length: 1001 }, (_, index) => ({
    from: `/old/${index}.html`,
    to: `/new/${index}/`,
    origin: 'x',
  }));
  assert.match(htaccess.write(many, options).warnings.join('\n'), /1001 rules.*--format apache/);
  assert.deepEqual(htaccess.write(many.slice(0, 10), options).warnings, []);
});

test('caddy keys are raw tokens; a brace, which Caddy would expand, is reported', () => {
  const result = writers.caddy.write([...sample, { from: '/{$HOME}', to: '/a/', origin: 'x' }], options);
  assert.match(result.files[0].content, /^\t`\/2020\/05\/a b\.html` \/blog\/2020\/05\/a-b\/$/m);
  assert.match(result.warnings.join('\n'), /\{\$HOME\}.*left out/);
});

test('almanac redirects --format html writes refresh pages into the site and never over a real page', async () => {
  const site = path.join(tmp, 'site');
  await mkdir(path.join(site, 'p'), { recursive: true });
  await writeFile(path.join(site, 'p/about.html'), '<p>a real page</p>');
  const result = await almanac(['redirects', '--format', 'html', '--content', CONTENT, '--out', site]);
  assert.equal(result.code, 0, result.stderr);
  const page = await readFile(path.join(site, '2020/05/first-post.html'), 'utf8');
  assert.match(page, /<link rel="canonical" href="\/tribblix\/2020\/05\/first-post\/">/);
  assert.match(page, /<meta http-equiv="refresh" content="0; url=\/tribblix\/2020\/05\/first-post\/">/);
  assert.match(
    await readFile(path.join(site, 'search/label/My Poems/index.html'), 'utf8'),
    /url=\/tribblix\/tags\/my-poems\//,
  );
  assert.match(await readFile(path.join(site, '2021/01/café.html'), 'utf8'), /url=\/tribblix\/2021\/01\/cafe\//);
  assert.equal(await readFile(path.join(site, 'p/about.html'), 'utf8'), '<p>a real page</p>');
  assert.match(result.stderr, /p\/about\.html is a page of the site; no refresh page written over it/);
  // A second run replaces its own pages.
  const again = await almanac(['redirects', '--format', 'html', '--content', CONTENT, '--out', site]);
  assert.equal(again.code, 0, again.stderr);
});

test('almanac redirects refuses a map with a conflict and writes nothing', async () => {
  const content = path.join(tmp, 'conflict');
  await mkdir(path.join(content, 'blog'), { recursive: true });
  for (const name of ['one', 'two']) {
    await writeFile(
      path.join(content, 'blog', `${name}.md`),
      `---\ntitle: ${name}\nsource: blog\nkind: page\npermalink: /blog/${name}/\nredirect_from:\n  - /old.html\n---\nText.\n`,
    );
  }
  const out = path.join(tmp, 'conflict.json');
  const result = await almanac(['redirects', '--format', 'json', '--content', content, '--out', out]);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /old URL \/old\.html has two targets: \/blog\/one\/ \(.*one\.md\) and \/blog\/two\/ \(.*two\.md\)/,
  );
  assert.match(result.stderr, /nothing written/);
  await assert.rejects(readFile(out));
});

test('almanac redirects explains its usage errors', async () => {
  const missing = await almanac(['redirects']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--format is required: one of nginx, apache, htaccess/);
  const folder = await almanac(['redirects', '--format', 'nginx', '--content', CONTENT]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /give --out DIR/);
});

test('nginx: old URLs differing only in case, which its map cannot tell apart, keep one and report the other', {
  skip: serverMissing('nginx'),
}, async () => {
  const redirects: Redirect[] = [
    { from: '/About.html', to: '/a/', origin: 'content/a.md' },
    { from: '/about.html', to: '/b/', origin: 'content/b.md' },
    { from: '/ABOUT.HTML', to: '/a/', origin: 'content/a.md' },
    { from: '/New/', to: '/new/', origin: 'content/new.md' },
  ];
  const { files, warnings } = writers.nginx.write(redirects, options);
  assert.equal(warnings.length, 2);
  assert.match(
    warnings.join('\n'),
    /\/about\.html left out: nginx ignores case in map keys, and \/About\.html \(kept\)/,
  );
  assert.match(warnings.join('\n'), /\/New\/ left out: .*it would redirect that page/);
  const dir = path.join(tmp, 'nginx-case');
  await mkdir(dir, { recursive: true });
  for (const file of files) await writeFile(path.join(dir, file.path), file.content);
  await nginxTest({
    root: dir,
    httpInclude: path.join(dir, files[0].path),
    serverInclude: path.join(dir, files[1].path),
  });
});

test('--site keeps only redirects whose target the built site has', async () => {
  const site = path.join(tmp, 'built');
  await mkdir(path.join(site, 'tribblix/2020/05/first-post'), { recursive: true });
  await writeFile(path.join(site, 'tribblix/2020/05/first-post/index.html'), 'x');
  const result = await almanac(['redirects', '--format', 'json', '--content', CONTENT, '--site', site]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(
    JSON.parse(result.stdout).map((item: { from: string }) => item.from),
    ['/2020/05/first-post.html', '/2020/05/first-post.html?m=1'],
  );
  assert.match(result.stderr, /\/p\/about\.html .* left out: \/tribblix\/about\/ is not in the built site/);
});

test('almanac verify-redirects says in one line when the server cannot be reached', async () => {
  const port = await freePort();
  const result = await almanac(['verify-redirects', '--base', `http://127.0.0.1:${port}`, '--content', CONTENT]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(
    result.stderr,
    new RegExp(
      `^almanac verify-redirects: cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*is the server running`,
    ),
  );
});
