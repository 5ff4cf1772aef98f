/**
 * Issue 6: a cold build's Markdown rendered ahead on a worker thread (src/site/markdownPrerender.ts):
 * the same HTML as rendering on Eleventy's thread, mail folded as mail, comments included,
 * drafts and cached bodies skipped, and nothing rendered twice once Eleventy's thread took it.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { MarkdownCache, renderMarkdown } from '../src/site/markdown.ts';
import { markdownFiles, Prerender, renderOrder } from '../src/site/markdownPrerender.ts';
import { parseDocument } from '../src/write/frontmatter.ts';
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
  const post = (n: number) => `Post ${n} with \`code\` and a [link](https://example.org/${n}).\n\n\`\`\`c\nint x = ${n};\n\`\`\`\n`;
  for (let n = 0; n < 20; n++) await writeFile(path.join(content, 'blog', `post-${n}.md`), `---\ntitle: Post ${n}\ncomments:\n  - body: "Comment *${n}*"\n---\n\n${post(n)}`);
  const mail = `Hello.\n\n${Array.from({ length: 12 }, (_, line) => `> quoted line ${line}`).join('\n')}\n\nThanks.\n`;
  await writeFile(path.join(content, 'blog', 'message.md'), `---\nkind: message\n---\n\n${mail}`);
  await writeFile(path.join(content, 'blog', 'draft.md'), '---\ndraft: true\n---\n\nNot yet.\n');
  await writeFile(path.join(content, '.hidden', 'secret.md'), 'Never built.\n');
  const files = await markdownFiles(content);
  assert.equal(files.length, 22);

  const cache = new MarkdownCache(path.join(dir, 'cache'));
  // Post 0 is cached from an earlier build; post 1 is taken by this thread before the worker sends it.
  cache.set(post(0), {}, renderMarkdown(post(0)));
  cache.save();
  const fresh = new MarkdownCache(path.join(dir, 'cache'));
  const prerender = new Prerender(files, fresh);
  try {
    const taken = prerender.take(MarkdownCache.key(post(1)));
    await until(() => prerender.finished);
    for (let n = 2; n < 20; n++) {
      assert.equal(prerender.take(MarkdownCache.key(post(n))), renderMarkdown(post(n)), `post ${n}`);
      assert.equal(prerender.take(MarkdownCache.key(`Comment *${n}*`)), renderMarkdown(`Comment *${n}*`), `comment ${n}`);
    }
    const folded = prerender.take(MarkdownCache.key(mail, { foldQuotes: true }));
    assert.equal(folded, renderMarkdown(mail, { foldQuotes: true }));
    assert.match(folded!, /<details/);
    assert.equal(prerender.take(MarkdownCache.key(post(0))), undefined, 'a cached body is not rendered again');
    if (taken === undefined) assert.equal(prerender.take(MarkdownCache.key(post(1))), undefined, 'a body this thread took is skipped');
    assert.equal(prerender.take(MarkdownCache.key('Not yet.\n')), undefined, 'drafts are never built');
    assert.equal(prerender.take(MarkdownCache.key('Never built.\n')), undefined, 'dot folders are not content');
    // What the worker sent is in the cache for the next build.
    assert.equal(fresh.render(post(5)), renderMarkdown(post(5)));
    assert.equal(fresh.misses, 2 * 18 + 1);
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
  assert.deepEqual([...renderOrder(documents)], [
    ['first body\n', { foldQuotes: false }, false],
    ['a message\n', { foldQuotes: true }, false],
    ['last body\n', { foldQuotes: false }, false],
    ['first comment', {}, true],
    ['second comment', {}, true],
    ['third comment', {}, true],
  ]);
});
