/**
 * Issue 6: the site index (src/site/siteIndex.ts) that every list page loops over: sources,
 * pages of posts, archives, tags, threads nested by reply, neighbours; and the config reader.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { outOfTagCollections } from '../src/site/collections.ts';
import { parseConfig } from '../src/site/config.ts';
import { buildSiteIndex, MAX_NESTING, PAGE_SIZE, threadKey, type Item } from '../src/site/siteIndex.ts';
import { commentTree, humanDate, summary } from '../src/site/filters.ts';
import { InputError } from '../src/errors.ts';

const post = (source: string, n: number, data: Record<string, unknown> = {}): Item => {
  const date = `2020-${String((n % 12) + 1).padStart(2, '0')}-10T10:00:00+02:00`;
  return {
    url: `/${source}/p${n}/`,
    date: new Date(date),
    data: { title: `Post ${n}`, date, source, kind: 'post', ...data },
  };
};
const message = (n: number, id: string, inReplyTo?: string, thread = '<root@x>'): Item => {
  const date = new Date(Date.UTC(2021, 1, 1, 0, n));
  return {
    url: `/list/m${n}/`,
    date,
    data: {
      title: n === 0 ? 'Question' : 'Re: Question',
      date: date.toISOString(),
      source: 'list',
      kind: 'message',
      message_id: id,
      in_reply_to: inReplyTo,
      thread,
      author: `Person ${n % 3}`,
    },
  };
};

describe('buildSiteIndex', () => {
  test('a blog: pages of PAGE_SIZE posts newest first, archives by the month written, tags per source and site-wide', () => {
    const items = Array.from({ length: PAGE_SIZE + 5 }, (_, n) =>
      post('blog', n, { tags: n % 2 ? ['ZFS'] : ['DTrace', 'ZFS'] }),
    );
    items.push(post('other', 99, { tags: ['ZFS'] }), {
      url: '/blog/draft/',
      date: new Date(),
      data: { source: 'blog', kind: 'post', draft: true, title: 'Draft' },
    });
    const index = buildSiteIndex(items, [{ id: 'blog', title: 'The Blog' }]);
    assert.deepEqual(
      index.sources.map((source) => [source.id, source.title, source.kind]),
      [
        ['blog', 'The Blog', 'blog'],
        ['other', 'other', 'blog'],
      ],
    );
    const pages = index.sourcePages.filter((page) => page.source.id === 'blog');
    assert.deepEqual(
      pages.map((page) => [page.url, page.items.length]),
      [
        ['/blog/', PAGE_SIZE],
        ['/blog/page/2/', 5],
      ],
    );
    assert.ok(pages[0].items[0].date >= pages[0].items[1].date);
    assert.equal(
      index.posts.some((item) => item.data.title === 'Draft'),
      false,
    );
    assert.deepEqual(
      index.sources[0].years.map((year) => year.url),
      ['/blog/2020/'],
    );
    assert.equal(index.sources[0].years[0].months[0].url, '/blog/2020/12/');
    assert.equal(index.sources[0].years[0].months[0].label, 'December 2020');
    const zfs = index.tags.find((tag) => tag.slug === 'zfs')!;
    assert.equal(zfs.url, '/tags/zfs/');
    assert.equal(zfs.items.length, PAGE_SIZE + 6);
    assert.deepEqual(index.sourceTags.map((tag) => tag.url).sort(), [
      '/blog/tags/dtrace/',
      '/blog/tags/zfs/',
      '/other/tags/zfs/',
    ]);
    // Neighbours within the source: previous is older, next is newer.
    const middle = pages[0].items[1];
    assert.equal(index.neighbours[middle.url as string].next, pages[0].items[0]);
    assert.equal(index.neighbours[middle.url as string].previous, pages[0].items[2]);
  });

  test('a mailing list: threads nested by reply, by the thread key; replies whose parent is missing stay in the thread', () => {
    const items = [
      message(0, '<root@x>'),
      message(1, '<a@x>', '<root@x>'),
      message(2, '<b@x>', '<a@x>'),
      message(3, '<c@x>', '<root@x>'),
      message(4, '<d@x>', '<gone@x>'),
      message(5, '<other@x>', undefined, '<other@x>'),
    ];
    const index = buildSiteIndex(items);
    assert.equal(index.sources[0].kind, 'list');
    assert.equal(index.threads.length, 2);
    const thread = index.threads.find((candidate) => candidate.key === threadKey('<root@x>'))!;
    assert.equal(thread.url, `/list/threads/${threadKey('<root@x>')}/`);
    assert.equal(thread.subject, 'Question');
    assert.equal(thread.count, 5);
    assert.deepEqual(
      thread.tree.map((node) => node.item.data.message_id),
      ['<root@x>', '<d@x>'],
    );
    assert.deepEqual(
      thread.tree[0].replies.map((node) => node.item.data.message_id),
      ['<a@x>', '<c@x>'],
    );
    assert.deepEqual(
      thread.tree[0].replies[0].replies.map((node) => node.item.data.message_id),
      ['<b@x>'],
    );
    assert.deepEqual(
      thread.messages.map((node) => node.depth),
      [0, 1, 2, 1, 0],
    );
    assert.equal(index.neighbours['/list/m1/'].thread, thread);
    assert.equal(index.neighbours['/list/m1/'].previous, items[0]);
    assert.equal(index.sources[0].years[0].months[0].threads.length, 2);
  });

  test('a reply loop and a chain of 5,000 replies: every message shown once, nesting capped, done quickly', () => {
    const loop = [message(0, '<a@x>', '<b@x>', '<t@x>'), message(1, '<b@x>', '<a@x>', '<t@x>')];
    const looped = buildSiteIndex(loop).threads[0];
    assert.equal(looped.messages.length, 2);
    const chain = Array.from({ length: 5000 }, (_, n) =>
      message(n, `<m${n}@x>`, n === 0 ? undefined : `<m${n - 1}@x>`, '<m0@x>'),
    );
    const started = performance.now();
    const thread = buildSiteIndex(chain).threads[0];
    assert.ok(performance.now() - started < 2000);
    assert.equal(thread.messages.length, 5000);
    assert.equal(Math.max(...thread.messages.map((node) => node.depth)), MAX_NESTING - 1);
    assert.deepEqual(thread.messages.map((node) => node.item.data.message_id).slice(0, 3), [
      '<m0@x>',
      '<m1@x>',
      '<m2@x>',
    ]);
  });
});

describe('filters', () => {
  test('dates as the document wrote them, not in the build machine’s zone', () => {
    assert.equal(humanDate('2020-05-06T23:30:00-07:00'), '6 May 2020');
    assert.equal(humanDate(new Date(Date.UTC(2019, 2, 14))), '14 March 2019');
  });

  test('comments nested by in_reply_to; a reply to an unknown or to itself stays at the top', () => {
    const tree = commentTree([
      { id: 'a' },
      { id: 'b', in_reply_to: 'a' },
      { id: 'c', in_reply_to: 'zz' },
      { id: 'd', in_reply_to: 'd' },
    ]);
    assert.deepEqual(
      tree.map((comment) => comment.id),
      ['a', 'c', 'd'],
    );
    assert.deepEqual(
      tree[0].replies.map((comment) => comment.id),
      ['b'],
    );
  });

  test('summaries come from paragraphs, cut at a word', () => {
    assert.equal(
      summary('<h2>Head</h2><p>One &amp; two.</p><pre>code</pre><p>Three<sup>1</sup>.</p>'),
      'One & two. Three.',
    );
    assert.match(summary(`<p>${'word '.repeat(100)}</p>`, 20), /^word word word word…$/);
  });
});

describe('almanac.config.json', () => {
  test('paths resolve against the file; the site URL gets its slash', () => {
    const config = parseConfig(
      JSON.stringify({
        sources: [{ id: 'b', format: 'blogger', inputs: ['in/b.xml'], title: 'B' }],
        site: { title: 'KB', url: 'https://kb.example.org' },
      }),
      '/srv/kb/almanac.config.json',
    );
    assert.deepEqual(config.sources[0].inputs, ['/srv/kb/in/b.xml']);
    assert.equal(config.sources[0].title, 'B');
    assert.equal(config.site.url, 'https://kb.example.org/');
  });

  test('mistakes are one line naming the file (and the line for broken JSON)', () => {
    assert.throws(
      () => parseConfig('{ "sources": [ }', '/x/almanac.config.json'),
      (error: unknown) =>
        error instanceof InputError && /^\/x\/almanac\.config\.json(:\d+:\d+)?: not valid JSON/.test(error.toLine()),
    );
    assert.throws(
      () => parseConfig('{"sources": [{"id": "a", "inputs": []}]}', '/x/c.json'),
      /sources\[0\]\.inputs must be a non-empty list/,
    );
    assert.throws(
      () => parseConfig('{"sources": [{"id": "a", "inputs": ["x"]}, {"id": "a", "inputs": ["y"]}]}', '/x/c.json'),
      /sources\[1\]\.id "a" is used twice/,
    );
    assert.throws(
      () => parseConfig('{"site": {"url": "kb.example.org"}}', '/x/c.json'),
      /site\.url must be an absolute http\(s\) URL/,
    );
  });
});

test("documents stay out of Eleventy's per-tag collections, never out of `all`", () => {
  assert.deepEqual(outOfTagCollections({ title: 'A', tags: ['ZFS', 'all', 'ZFS', 2009] }), {
    title: 'A',
    tags: ['ZFS', 'all', 'ZFS', 2009],
    eleventyExcludeFromCollections: ['ZFS', '2009'],
  });
  assert.deepEqual(outOfTagCollections({ tags: 'ZFS,DTrace' }), {
    tags: 'ZFS,DTrace',
    eleventyExcludeFromCollections: ['ZFS', 'DTrace'],
  });
  assert.deepEqual(
    outOfTagCollections({ tags: ['x'], eleventyExcludeFromCollections: true }),
    { tags: ['x'], eleventyExcludeFromCollections: true },
    'what the document says is kept',
  );
  assert.deepEqual(outOfTagCollections({ title: 'untagged' }), { title: 'untagged' });
  assert.equal(outOfTagCollections(undefined), undefined);
});
