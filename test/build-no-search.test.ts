import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

test('build --no-search leaves the Pagefind index out and says so; the next build adds it, rendering nothing again', async () => {
  const dir = await temporaryDirectory('almanac-no-search-');
  const content = path.join(dir, 'content');
  const site = path.join(dir, '_site');
  await cp(path.join(ROOT, 'test/fixtures/site/content'), content, { recursive: true });
  const config = path.join(dir, 'almanac.config.json');
  await writeFile(config, JSON.stringify({ sources: [], site: { title: 'Test KB', url: 'https://kb.example.org/' } }));
  const env = { ALMANAC_CACHE_DIR: path.join(dir, 'cache') };
  const args = ['build', '--config', config, '--content', content, '--out', site];

  const preview = await almanac([...args, '--no-search'], { cwd: dir, env });
  assert.equal(preview.code, 0, preview.stderr);
  assert.match(preview.stdout, /^Built \d+ pages into _site\/ in [\d.]+ s; no search index \(--no-search\)\.\n$/);
  assert.ok(existsSync(path.join(site, 'index.html')));
  assert.ok(!existsSync(path.join(site, 'pagefind')), 'no search index written');

  const rendered = (await stat(path.join(site, 'index.html'))).mtimeMs;
  const full = await almanac(args, { cwd: dir, env });
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stdout, /; search index of \d+ pages\.\n$/);
  assert.equal((await stat(path.join(site, 'index.html'))).mtimeMs, rendered, 'the pages are not rendered again');
  assert.ok(existsSync(path.join(site, 'pagefind/pagefind-ui.js')), 'the search index is added');
});
