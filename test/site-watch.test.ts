/**
 * Issue 9: `almanac serve`'s watching build (src/site/build.ts watchSite), with the content folder
 * outside the project: Eleventy watches from a common parent there, and once rebuilt every page
 * from stale text instead of the changed post from its new text.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { watchSite } from '../src/site/build.ts';
import { temporaryDirectory } from './helpers/cli.ts';

test('a post saved while watching is rebuilt from its new text, alone', async () => {
  const dir = await temporaryDirectory('almanac-watch-');
  const content = path.join(dir, 'content');
  const out = path.join(dir, 'site');
  process.env.ALMANAC_CACHE_DIR = path.join(dir, 'cache');
  await mkdir(path.join(content, 'blog'), { recursive: true });
  const post = path.join(content, 'blog', 'first.md');
  await writeFile(post, '---\ntitle: First\nsource: blog\ndate: 2020-01-02\npermalink: /blog/first/\n---\n\nThe first text.\n');
  await writeFile(path.join(content, 'blog', 'second.md'), '---\ntitle: Second\nsource: blog\ndate: 2020-01-03\npermalink: /blog/second/\n---\n\nThe second text.\n');

  let rebuilt: (results: { outputPath?: string }[]) => void;
  const written = new Promise<{ outputPath?: string }[]>((resolve) => (rebuilt = resolve));
  let builds = 0;
  const eleventy = await watchSite({
    content,
    out,
    configure: (eleventyConfig) => eleventyConfig.on('eleventy.after', ({ results }: { results: { outputPath?: string }[] }) => void (builds++ > 0 && rebuilt(results))),
  });
  try {
    assert.match(await readFile(path.join(out, 'blog/first/index.html'), 'utf8'), /The first text\./);
    // chokidar reports `ready` before it has reached every folder Eleventy asked for: wait until it watches the post.
    const watcher = (eleventy as unknown as { watcher: { getWatched(): Record<string, string[]>; options: { cwd?: string } } }).watcher;
    for (let tries = 0; !Object.entries(watcher.getWatched()).some(([folder, names]) => path.resolve(watcher.options.cwd ?? '', folder) === path.dirname(post) && names.includes('first.md')); tries++) {
      assert.ok(tries < 500, 'the watcher never reached the post');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await writeFile(post, (await readFile(post, 'utf8')).replace('The first text.', 'The edited text.'));
    const results = await written;
    assert.match(await readFile(path.join(out, 'blog/first/index.html'), 'utf8'), /The edited text\./);
    assert.ok(!results.some((result) => result.outputPath?.endsWith(path.join('blog', 'second', 'index.html'))), 'the other post is not written again');
  } finally {
    await eleventy.stopWatch?.();
    delete process.env.ALMANAC_CACHE_DIR;
    await rm(dir, { recursive: true, force: true });
  }
});
