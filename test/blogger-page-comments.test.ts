/**
 * Issue 23: a comment on a Blogger page names the page `…post-N` in `thr:in-reply-to ref` while the
 * page's own id is `…page-N`, and gives the page's address as `href`. Comments are matched to their
 * page or post by id in either form, and by address.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/cli.ts';
import { importFixture } from './helpers/importFixture.ts';

test('comments on pages stay with their page: by the post- form of its id, or by its address', async () => {
  const { report, read } = await importFixture([path.join(ROOT, 'test/fixtures/blogger/page-comments.xml')], 'pages');
  assert.equal(report.comments, 2);
  const about = await read('about.md');
  assert.deepEqual(
    (about.data.comments as { author: string }[]).map((comment) => comment.author),
    ['Ana'],
  );
  const links = await read('links.md');
  assert.deepEqual(
    (links.data.comments as { author: string }[]).map((comment) => comment.author),
    ['Bo'],
  );
  assert.deepEqual(
    report.skipped.map((skip) => [skip.id, skip.reason]),
    [
      ['tag:blogger.com,1999:blog-7000000000000000003.settings.BLOG_NAME', 'Blogger settings entry: not a document'],
      [
        'tag:blogger.com,1999:blog-7000000000000000003.post-603',
        'comment on tag:blogger.com,1999:blog-7000000000000000003.post-777, which is not in the input',
      ],
    ],
  );
});
