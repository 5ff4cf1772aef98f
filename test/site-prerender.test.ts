/**
 * Issue 6: a cold build's Markdown rendered ahead on a worker thread (src/site/markdownPrerender.ts):
 * the same HTML as rendering on Eleventy's thread, mail folded as mail, comments included,
 * drafts and cached bodies skipped, and nothing rendered twice once Eleventy's thread took it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildPages } from '../src/site/build.ts';
import { MarkdownCache, renderMarkdown } from '../src/site/markdown.ts';
import { prerenderAhead, stopPrerenderAhead } from '../src/site/markdownEngine.ts';
import { markdownFiles, MIN_FILES, outputFolder, Prerender, renderOrder } from '../src/site/markdownPrerender.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { temporaryDirectory } from './helpers/cli.ts';

async function until(done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 60_000) throw new Error('the worker did not finish within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the worker renders what the cache lacks, exactly as this thread would, and skips what this thread took', async () => {
  const dir = await temporaryDirectory('almanac-prerender-');
  const content = path.join(dir, 'content');
  await mkdir(path.join(content, 'blog'), { recursive: true });
  await mkdir(path.join(content, '.hidden'), { recursive: true });
  const post = (n: number) =>
    `Post ${n} with \`code\` and a [link](https://example.org/${n}).\n\n\`\`\`c\nint x = ${n};\n\`\`\`\n`;
  for (let n = 0; n < 20; n++)
    await writeFile(
      path.join(content, 'blog', `post-${n}.md`),
      `---\ntitle: Post ${n}\npermalink: /blog/post-${n}/\ncomments:\n  - body: "Comment *${n}*"\n---\n\n${post(n)}`,
    );
  const mail = `Hello.\n\n${Array.from({ length: 12 }, (_, line) => `> quoted line ${line}`).join('\n')}\n\nThanks.\n`;
  await writeFile(path.join(content, 'blog', 'message.md'), `---\nkind: message\n---\n\n${mail}`);
  await writeFile(
    path.join(content, 'blog', 'draft.md'),
    '---\ndraft: true\npermalink: /blog/draft/\n---\n\nNot yet.\n',
  );
  await writeFile(path.join(content, '.hidden', 'secret.md'), 'Never built.\n');
  const files = await markdownFiles(content);
  assert.equal(files.length, 22);

  const cache = new MarkdownCache(path.join(dir, 'cache'));
  // Post 0 is cached from an earlier build; post 1 is taken by this thread before the worker sends it.
  cache.set(post(0), {}, renderMarkdown(post(0)));
  cache.save();
  const fresh = new MarkdownCache(path.join(dir, 'cache'));
  const out = path.join(dir, 'site');
  const prerender = new Prerender(files, fresh, out);
  try {
    const taken = prerender.take(MarkdownCache.key(post(1)));
    await until(() => prerender.finished);
    for (let n = 2; n < 20; n++) {
      assert.equal(prerender.take(MarkdownCache.key(post(n))), renderMarkdown(post(n)), `post ${n}`);
      assert.equal(
        prerender.take(MarkdownCache.key(`Comment *${n}*`)),
        renderMarkdown(`Comment *${n}*`),
        `comment ${n}`,
      );
    }
    const folded = prerender.take(MarkdownCache.key(mail, { foldQuotes: true }));
    assert.equal(folded, renderMarkdown(mail, { foldQuotes: true }));
    assert.match(folded!, /<details/);
    assert.equal(prerender.take(MarkdownCache.key(post(0))), undefined, 'a cached body is not rendered again');
    if (taken === undefined)
      assert.equal(prerender.take(MarkdownCache.key(post(1))), undefined, 'a body this thread took is skipped');
    assert.equal(prerender.take(MarkdownCache.key('Not yet.\n')), undefined, 'drafts are never built');
    assert.equal(prerender.take(MarkdownCache.key('Never built.\n')), undefined, 'dot folders are not content');
    // What the worker sent is in the cache for the next build.
    assert.equal(fresh.render(post(5)), renderMarkdown(post(5)));
    assert.equal(fresh.misses, 2 * 18 + 1);
    // Once it has rendered everything, the worker makes each page's folder in the output, as Eleventy would.
    await until(() => existsSync(path.join(out, 'blog/post-0')));
    for (let n = 0; n < 20; n++) assert.ok(existsSync(path.join(out, `blog/post-${n}`)), `post ${n}'s folder`);
    assert.ok(!existsSync(path.join(out, 'blog/draft')), "not a draft's");
  } finally {
    await prerender.stop();
  }
});

test('the worker renders every body before any comment: Eleventy needs the bodies first', () => {
  const documents = [
    '---\ncomments:\n  - body: "first comment"\n  - body: "second comment"\n---\nfirst body\n',
    '---\ndraft: true\ncomments:\n  - body: "a draft\'s comment"\n---\na draft\n',
    '---\nkind: message\ncomments:\n  - body: "third comment"\n  - {}\n---\na message\n',
    '---\ntitle: no comments\n---\nlast body\n',
  ].map(parseDocument);
  assert.deepEqual(
    [...renderOrder(documents)],
    [
      ['first body\n', { foldQuotes: false }, false],
      ['a message\n', { foldQuotes: true }, false],
      ['last body\n', { foldQuotes: false }, false],
      ['first comment', {}, true],
      ['second comment', {}, true],
      ['third comment', {}, true],
    ],
  );
});

test("a page's output folder is its permalink's, inside the output folder, and none for drafts or template permalinks", () => {
  const out = path.resolve('/srv/site');
  assert.equal(outputFolder(out, { permalink: '/blog/2020/01/post/' }), path.join(out, 'blog/2020/01/post'));
  assert.equal(outputFolder(out, { permalink: '/feeds/atom.xml' }), path.join(out, 'feeds'));
  assert.equal(outputFolder(out, { permalink: '/blog/post/', draft: true }), undefined);
  assert.equal(outputFolder(out, { permalink: '/../../etc/' }), undefined, 'nothing outside the output folder');
  assert.equal(outputFolder(out, { permalink: '/blog/../../x/' }), undefined);
  assert.equal(
    outputFolder(out, { permalink: '/..notes/' }),
    path.join(out, '..notes'),
    'a name that starts with two dots is still inside',
  );
  assert.equal(outputFolder(out, { permalink: '/' }), undefined, "the output folder itself is Eleventy's");
  assert.equal(outputFolder(out, { permalink: 'blog/post/' }), undefined, 'relative: Eleventy resolves it');
  assert.equal(outputFolder(out, { permalink: '/{{ title | slugify }}/' }), undefined);
  assert.equal(outputFolder(out, { permalink: false }), undefined);
  assert.equal(outputFolder(out, {}), undefined);
});

test('a cold build starts its worker before Eleventy loads, hands it to Eleventy, and builds the same pages', async (t) => {
  const dir = await temporaryDirectory('almanac-cold-');
  const content = path.join(dir, 'content');
  const out = path.join(dir, 'site');
  const cacheDir = path.join(dir, 'cache');
  await mkdir(path.join(content, 'blog'), { recursive: true });
  const body = (n: number) =>
    `Post ${n} about \`zfs send\`, see [the docs](https://illumos.org/${n}/).\n\n\`\`\`shell-session\n$ zpool list rpool${n}\n\`\`\`\n`;
  const posts = MIN_FILES + 10;
  for (let n = 0; n < posts; n++)
    await writeFile(
      path.join(content, 'blog', `post-${n}.md`),
      `---\ntitle: Post ${n}\nsource: blog\nkind: post\ndate: 2020-01-02\npermalink: /blog/post-${n}/\n---\n\n${body(n)}`,
    );
  process.env.ALMANAC_CACHE_DIR = cacheDir;
  process.env.ALMANAC_DEBUG = '1';
  const printed: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof process.stderr.write;
  t.after(async () => {
    process.stderr.write = write;
    delete process.env.ALMANAC_CACHE_DIR;
    delete process.env.ALMANAC_DEBUG;
    await rm(dir, { recursive: true, force: true });
  });

  // Not below MIN_FILES, and not when there is a cache to consult first.
  await mkdir(path.join(content, 'few'), { recursive: true });
  await writeFile(path.join(content, 'few', 'one.md'), 'One.\n');
  assert.equal(await prerenderAhead(path.join(content, 'few'), out, cacheDir), false);
  await rm(path.join(content, 'few'), { recursive: true });
  await mkdir(cacheDir, { recursive: true });
  await writeFile(path.join(cacheDir, 'markdown.json'), '{}');
  assert.equal(await prerenderAhead(content, out, cacheDir), false);
  await rm(cacheDir, { recursive: true });

  await buildPages({ content, out });
  const debug = printed.join('');
  // One worker, the one started ahead: had Eleventy not taken it over, it would have started a second.
  assert.equal(debug.match(/^prerender: /gm)?.length, 1, debug);
  assert.match(debug, /^prerender: [1-9]\d* from the worker/m);
  for (const n of [0, posts >> 1, posts - 1])
    assert.ok(
      (await readFile(path.join(out, `blog/post-${n}/index.html`), 'utf8')).includes(renderMarkdown(body(n))),
      `post ${n}`,
    );
  // Whatever the worker rendered is in the cache: rendering everything again renders nothing.
  printed.length = 0;
  await buildPages({ content, out, force: true });
  assert.match(printed.join(''), new RegExp(`markdown cache: ${posts} hits, 0 rendered`));
  await stopPrerenderAhead();
});
