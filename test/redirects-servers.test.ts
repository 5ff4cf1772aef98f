/**
 * The generated configs on real servers: Debian's nginx and apache2 serve a fixture site with the
 * redirects of test/fixtures/redirects/content, and every old URL (as written, with ?m=1, spelled
 * with every byte percent-encoded) must answer 301 with its page; the pages themselves must not redirect.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { redirectMap } from '../src/redirects/output.ts';
import type { Redirect } from '../src/redirects/map.ts';
import { encodePath } from '../src/redirects/paths.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { fullyEncoded, locationPath, oldUrlOf, rawGet } from './helpers/redirectRequests.ts';
import {
  serverMissing,
  startApache,
  startCaddy,
  startNginx,
  writeSite,
  type RunningServer,
} from './helpers/servers.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { writers } from '../src/redirects/writers/index.ts';

const CONTENT = path.join(ROOT, 'test/fixtures/redirects/content');

let tmp: string;
let site: string;
let redirects: Redirect[];

before(async () => {
  tmp = await temporaryDirectory('almanac-redirects-');
  site = path.join(tmp, 'site');
  const map = await redirectMap(CONTENT);
  redirects = map.redirects;
  await writeSite(site, new Set(redirects.map((redirect) => redirect.to)));
});
after(() => rm(tmp, { recursive: true, force: true }));

/** Every way a visitor may ask for each old URL, and the pages, which must answer 200. */
async function assertServerRedirects(server: RunningServer): Promise<void> {
  const wrong: string[] = [];
  const expect = async (target: string, to: string) => {
    const answer = await rawGet(server.base, target);
    const landed = locationPath(server.base, answer.location);
    if (answer.status !== 301 || landed !== to) wrong.push(`${target}: ${answer.status} ${landed}, expected 301 ${to}`);
  };
  for (const redirect of redirects) {
    await expect(oldUrlOf(redirect), redirect.to);
    if (redirect.query === undefined) {
      await expect(`${encodePath(redirect.from)}?m=1`, redirect.to);
      await expect(`${fullyEncoded(redirect.from)}?m=1&utm_source=x`, redirect.to);
    }
  }
  for (const page of new Set(redirects.map((redirect) => redirect.to))) {
    const answer = await rawGet(server.base, encodePath(page));
    if (answer.status !== 200) wrong.push(`page ${page}: ${answer.status}, expected 200`);
  }
  const missing = await rawGet(server.base, '/2020/05/no-such-post.html');
  if (missing.status !== 404) wrong.push(`an unknown old URL: ${missing.status}, expected 404`);
  assert.deepEqual(wrong, [], `${wrong.length} wrong answers:\n${wrong.join('\n')}\n${await server.errorLog()}`);
}

describe('nginx serves every old URL as a 301', { skip: serverMissing('nginx') }, () => {
  let server: RunningServer;
  let out: string;
  before(async () => {
    out = path.join(tmp, 'nginx');
    const result = await almanac(['redirects', '--format', 'nginx', '--content', CONTENT, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    server = await startNginx({
      root: site,
      httpInclude: path.join(out, 'almanac-redirects.http.conf'),
      serverInclude: path.join(out, 'almanac-redirects.server.conf'),
    });
  });
  after(() => server?.stop());

  test('old URLs, their ?m=1 variants and other spellings answer 301 with the page; pages answer 200', () =>
    assertServerRedirects(server));

  test('almanac verify-redirects finds nothing wrong on a correct server', async () => {
    const result = await almanac(['verify-redirects', '--base', server.base, '--content', CONTENT]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`${redirects.length} old URLs asked of ${server.base}: ${redirects.length} right, 0 wrong`),
    );
  });

  test('almanac verify-redirects names each old URL a server gets wrong', async () => {
    // A server whose config lacks one rule and sends another old URL to the wrong page.
    const edited = redirects
      .filter((redirect) => redirect.from !== '/p/about.html')
      .map((redirect) => (redirect.from === '/levon/entry/kmdb' ? { ...redirect, to: '/jlevon/' } : redirect));
    const { default: nginx } = await import('../src/redirects/writers/nginx.ts');
    const files = nginx.write(edited, { serverDir: tmp }).files;
    const dir = path.join(tmp, 'nginx-wrong');
    await mkdir(dir, { recursive: true });
    for (const file of files) await writeFile(path.join(dir, file.path), file.content);
    const wrongServer = await startNginx({
      root: site,
      httpInclude: path.join(dir, files[0].path),
      serverInclude: path.join(dir, files[1].path),
    });
    try {
      const result = await almanac(['verify-redirects', '--base', wrongServer.base, '--content', CONTENT]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^\/p\/about\.html: expected 301 → \/tribblix\/about\/, got 404$/m);
      assert.match(
        result.stdout,
        /^\/levon\/entry\/kmdb: redirects to \/jlevon\/, expected \/jlevon\/2005\/03\/kmdb\/$/m,
      );
      assert.match(result.stdout, /^\/p\/about\.html\?m=1: expected 301 → \/tribblix\/about\/, got 404$/m);
      assert.match(result.stderr, / 3 wrong$/m);
    } finally {
      await wrongServer.stop();
    }
  });
});

describe('apache2 serves every old URL as a 301 from a RewriteMap', { skip: serverMissing('apache2') }, () => {
  let server: RunningServer;
  before(async () => {
    const out = path.join(tmp, 'apache');
    const result = await almanac(['redirects', '--format', 'apache', '--content', CONTENT, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /almanac-redirects\.dbm/, 'httxt2dbm compiles the map');
    server = await startApache({ root: site, vhostInclude: path.join(out, 'almanac-redirects.conf') });
  });
  after(() => server?.stop());

  test('old URLs, their ?m=1 variants and other spellings answer 301 with the page; pages answer 200', () =>
    assertServerRedirects(server));
});

describe('apache2 serves every old URL as a 301 from .htaccess', { skip: serverMissing('apache2') }, () => {
  let server: RunningServer;
  before(async () => {
    const result = await almanac([
      'redirects',
      '--format',
      'htaccess',
      '--content',
      CONTENT,
      '--out',
      path.join(site, '.htaccess'),
    ]);
    assert.equal(result.code, 0, result.stderr);
    server = await startApache({ root: site, htaccess: true });
  });
  after(async () => {
    await server?.stop();
    await rm(path.join(site, '.htaccess'), { force: true });
  });

  test('old URLs, their ?m=1 variants and other spellings answer 301 with the page; pages answer 200', () =>
    assertServerRedirects(server));
});

describe('caddy serves every old URL as a 301', { skip: serverMissing('caddy') }, () => {
  let server: RunningServer;
  before(async () => {
    const out = path.join(tmp, 'almanac-redirects.caddy');
    const result = await almanac(['redirects', '--format', 'caddy', '--content', CONTENT, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    server = await startCaddy({ root: site, siteImport: out });
  });
  after(() => server?.stop());

  test('old URLs, their ?m=1 variants and other spellings answer 301 with the page; pages answer 200', () =>
    assertServerRedirects(server));
});

describe('an old URL told apart by its query goes to its own target; the path alone to its own', () => {
  const map: Redirect[] = [
    { from: '/feeds/posts/default', to: '/blog/feed.xml', origin: 'feed' },
    { from: '/feeds/posts/default', query: 'alt=rss', to: '/blog/rss/', origin: 'feed' },
    { from: '/feeds/posts/default', query: 'm=1', to: '/blog/feed.xml', origin: 'feed' },
    { from: '/search', query: 'q=zfs', to: '/tags/zfs/', origin: 'search' },
  ];
  const expectations: Array<[string, number, string?]> = [
    ['/feeds/posts/default', 301, '/blog/feed.xml'],
    ['/feeds/posts/default?alt=rss', 301, '/blog/rss/'],
    ['/feeds/posts/default?m=1', 301, '/blog/feed.xml'],
    ['/feeds/posts/default?alt=atom', 301, '/blog/feed.xml'],
    ['/search?q=zfs', 301, '/tags/zfs/'],
    ['/search?q=dtrace', 404],
  ];
  const check = async (server: RunningServer) => {
    try {
      for (const [target, status, to] of expectations) {
        const answer = await rawGet(server.base, target);
        assert.equal(answer.status, status, `${target}: ${answer.status} ${answer.location ?? ''}`);
        if (to) assert.equal(locationPath(server.base, answer.location), to, target);
      }
    } finally {
      await server.stop();
    }
  };
  const write = async (format: string) => {
    const dir = path.join(tmp, `query-${format}`);
    await mkdir(dir, { recursive: true });
    const files = writers[format].write(map, { serverDir: dir, apacheMapType: 'txt' }).files;
    for (const file of files) await writeFile(path.join(dir, file.path), file.content);
    return files.map((file) => path.join(dir, file.path));
  };

  test('nginx', { skip: serverMissing('nginx') }, async () => {
    const [http, server] = await write('nginx');
    await check(await startNginx({ root: site, httpInclude: http, serverInclude: server }));
  });
  test('apache2', { skip: serverMissing('apache2') }, async () => {
    const [conf] = await write('apache');
    await check(await startApache({ root: site, vhostInclude: conf }));
  });
  test('apache2 .htaccess', { skip: serverMissing('apache2') }, async () => {
    const [file] = await write('htaccess');
    await check(await startApache({ root: path.dirname(file), htaccess: true }));
  });
  test('caddy', { skip: serverMissing('caddy') }, async () => {
    const [file] = await write('caddy');
    await check(await startCaddy({ root: site, siteImport: file }));
  });
});
