/**
 * Issue 9: `almanac serve`'s watching build (src/site/build.ts watchSite), with the content folder
 * outside the project: Eleventy watches from a common parent there, and once rebuilt every page
 * from stale text instead of the changed post from its new text. Issue 6: the pages that list a
 * changed post (home, source index, archives, tags, feeds) were left as they were.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildPages, untilWatched, watchSite } from '../src/site/build.ts';
import { ROOT, temporaryDirectory } from './helpers/cli.ts';

/** A content folder in a fresh temporary folder, with its own Markdown cache; `remove` undoes both. */
async function watchedSite(
  posts: Record<string, string>,
): Promise<{ dir: string; content: string; out: string; remove: () => Promise<void> }> {
  const dir = await temporaryDirectory('almanac-watch-');
  const content = path.join(dir, 'content');
  process.env.ALMANAC_CACHE_DIR = path.join(dir, 'cache');
  await mkdir(path.join(content, 'blog'), { recursive: true });
  for (const [name, text] of Object.entries(posts)) await writeFile(path.join(content, 'blog', name), text);
  const remove = async () => {
    delete process.env.ALMANAC_CACHE_DIR;
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, content, out: path.join(dir, 'site'), remove };
}

/** A dated post of blog/ at /blog/<name>/, by Ann, tagged ZFS and boot. */
const post = (name: string, title: string, day: string) =>
  `---\ntitle: ${title}\nsource: blog\nkind: post\nauthor: Ann\ndate: '2020-01-${day}T10:00:00+00:00'\ntags:\n  - ZFS\n  - boot\npermalink: /blog/${name}/\n---\n\nThe ${name} text, long enough to be summarised.\n`;

test('a post saved while watching is rebuilt from its new text, alone', async () => {
  const { content, out, remove } = await watchedSite({
    'first.md': '---\ntitle: First\nsource: blog\ndate: 2020-01-02\npermalink: /blog/first/\n---\n\nThe first text.\n',
    'second.md':
      '---\ntitle: Second\nsource: blog\ndate: 2020-01-03\npermalink: /blog/second/\n---\n\nThe second text.\n',
  });
  const first = path.join(content, 'blog', 'first.md');

  let rebuilt: (results: { outputPath?: string }[]) => void;
  const written = new Promise<{ outputPath?: string }[]>((resolve) => (rebuilt = resolve));
  let builds = 0;
  const eleventy = await watchSite({
    content,
    out,
    configure: (eleventyConfig) =>
      eleventyConfig.on(
        'eleventy.after',
        ({ results }: { results: { outputPath?: string }[] }) => void (builds++ > 0 && rebuilt(results)),
      ),
  });
  try {
    assert.match(await readFile(path.join(out, 'blog/first/index.html'), 'utf8'), /The first text\./);
    await untilWatched(eleventy, first);
    await writeFile(first, (await readFile(first, 'utf8')).replace('The first text.', 'The edited text.'));
    const results = await written;
    assert.match(await readFile(path.join(out, 'blog/first/index.html'), 'utf8'), /The edited text\./);
    assert.ok(
      !results.some((result) => result.outputPath?.endsWith(path.join('blog', 'second', 'index.html'))),
      'the other post is not written again',
    );
  } finally {
    await eleventy.stopWatch?.();
    await remove();
  }
});

test('a retitled post is retitled on every page that lists it: home, source index, archives, tags, feeds', async () => {
  const { content, out, remove } = await watchedSite({
    'older.md': post('older', 'Older', '02'),
    'middle.md': post('middle', 'Middle', '03'),
    'newer.md': post('newer', 'Newer', '04'),
  });
  const middle = path.join(content, 'blog', 'middle.md');

  let rebuilt: () => void;
  const written = new Promise<void>((resolve) => (rebuilt = resolve));
  const eleventy = await watchSite({ content, out, onRebuilt: () => rebuilt() });
  try {
    await untilWatched(eleventy, middle);
    // Not yet its neighbours' pages (blog/older/, blog/newer/): Eleventy keeps their old rendering.
    const pages = ['', 'blog/', 'blog/2020/', 'blog/2020/01/', 'tags/zfs/', 'blog/tags/zfs/'];
    for (const page of pages)
      assert.match(await readFile(path.join(out, page, 'index.html'), 'utf8'), /\bMiddle</, page);
    await writeFile(middle, (await readFile(middle, 'utf8')).replace('title: Middle', 'title: Retitled'));
    await written;
    for (const page of pages)
      assert.match(
        await readFile(path.join(out, page, 'index.html'), 'utf8'),
        /Retitled/,
        `${page || 'the home page'} shows the new title`,
      );
    for (const feed of ['feed.xml', 'blog/feed.xml', 'tags/zfs/feed.xml'])
      assert.match(await readFile(path.join(out, feed), 'utf8'), /Retitled/, feed);
  } finally {
    await eleventy.stopWatch?.();
    await remove();
  }
});

test('serving a built site: after one edit, the list pages are what a whole build makes of the same content', async () => {
  const { dir, content, out, remove } = await watchedSite({
    'older.md': post('older', 'Older', '02'),
    'middle.md': post('middle', 'Middle', '03'),
    'newer.md': post('newer', 'Newer', '04'),
  });
  const middle = path.join(content, 'blog', 'middle.md');
  await buildPages({ content, out });
  const neighbours = ['blog/older/index.html', 'blog/newer/index.html'];

  let rebuilt: () => void;
  const written = new Promise<void>((resolve) => (rebuilt = resolve));
  // As `almanac serve` runs it: the site is built, nothing is rendered until a change.
  const eleventy = await watchSite({ content, out, skipFirstBuild: true, onRebuilt: () => rebuilt() });
  try {
    await untilWatched(eleventy, middle);
    await writeFile(
      middle,
      (await readFile(middle, 'utf8'))
        .replace('title: Middle', 'title: Retitled')
        .replace('The middle text', 'The edited text'),
    );
    await written;
  } finally {
    await eleventy.stopWatch?.();
  }
  try {
    const whole = path.join(dir, 'whole');
    await buildPages({ content, out: whole, force: true });
    for (const page of [
      'index.html',
      'blog/index.html',
      'blog/2020/index.html',
      'blog/2020/01/index.html',
      'tags/zfs/index.html',
      'blog/tags/boot/index.html',
      'blog/middle/index.html',
      'feed.xml',
      'blog/feed.xml',
      'tags/zfs/feed.xml',
      'sitemap.xml',
    ]) {
      assert.equal(await readFile(path.join(out, page), 'utf8'), await readFile(path.join(whole, page), 'utf8'), page);
    }
    // The neighbours' pages too, whose Older/Newer links print the retitled post (src/site/neighbours.ts), each with its own article.
    for (const page of neighbours) {
      const after = await readFile(path.join(out, page), 'utf8');
      assert.equal(after, await readFile(path.join(whole, page), 'utf8'), page);
      assert.match(after, /Retitled/, page);
      assert.match(after, /The (older|newer) text/, `${page} keeps its article`);
    }
  } finally {
    await remove();
  }
});

/** Every file below `dir`, relative to it. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

test('serving a built site: after each one-document edit (title, tags, date, a message, a thread subject, a page), every page is what a whole build makes', async () => {
  const { dir, content, out, remove } = await watchedSite({});
  await cp(path.join(ROOT, 'test/fixtures/site/content'), content, { recursive: true });
  const post = path.join(content, 'zfsblog/2019/03/listing-pools.md');
  const reply = path.join(content, 'illumos-discuss/2021/02/re-bhyve-passthrough-1.md');
  const root = path.join(content, 'illumos-discuss/2021/02/bhyve-passthrough-question.md');
  const page = path.join(content, 'zfsblog/about.md');
  const edits: [string, string, (text: string) => string][] = [
    ['retitled', post, (text) => text.replace(/^title: .*$/m, 'title: Pools, listed')],
    ['given a new tag', post, (text) => text.replace('tags:\n', 'tags:\n  - Fresh tag\n')],
    ['moved to another year', post, (text) => text.replace("date: '2019-03-14", "date: '2018-07-14")],
    ['a reply rewritten', reply, (text) => text.replace(/\n---\n[\s\S]*$/, '\n---\n\nA rewritten reply.\n')],
    ['a thread retitled', root, (text) => text.replace(/^title: .*$/m, 'title: PCI passthrough, again')],
    ['a page retitled', page, (text) => text.replace(/^title: .*$/m, 'title: About these notes')],
  ];
  await buildPages({ content, out });

  let rebuilt = () => {};
  const eleventy = await watchSite({ content, out, skipFirstBuild: true, onRebuilt: () => rebuilt() });
  try {
    for (const [number, [what, file, edit]] of edits.entries()) {
      await untilWatched(eleventy, file);
      const written = new Promise<void>((resolve) => (rebuilt = resolve));
      await writeFile(file, edit(await readFile(file, 'utf8')));
      await written;
      const whole = path.join(dir, `whole-${number}`);
      await buildPages({ content, out: whole, force: true });
      // Every page, the other documents' too: their Older/Newer links print the edited one (src/site/neighbours.ts).
      for (const output of await filesOf(whole)) {
        assert.equal(
          await readFile(path.join(out, output), 'utf8'),
          await readFile(path.join(whole, output), 'utf8'),
          `${output}, after ${what}`,
        );
      }
    }
  } finally {
    await eleventy.stopWatch?.();
    await remove();
  }
});
