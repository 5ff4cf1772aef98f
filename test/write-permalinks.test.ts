import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from '../src/model.ts';
import { fileForPermalink, planPermalink } from '../src/write/permalinks.ts';

const entry = (fields: Partial<Entry>): Entry => ({
  kind: 'post',
  originalId: 'id',
  title: '',
  body: { type: 'html', value: '' },
  tags: [],
  draft: false,
  oldUrls: [],
  comments: [],
  ...fields,
});
const nothingTaken = () => false;

test("permalinks: posts by the old URL's year and month, in the blog's own time zone", () => {
  // 23:30 on 31 March in California is already April in UTC: the old URL (and the permalink) say March.
  const post = entry({
    title: 'Build',
    date: '2009-03-31T23:30:00.000-07:00',
    originalUrl: 'http://b.blogspot.com/2009/03/build.html',
    slug: 'build',
  });
  assert.equal(planPermalink(post, 'notes', nothingTaken), '/notes/2009/03/build/');
  assert.equal(
    planPermalink(entry({ title: 'No URL', date: '2009-03-31T23:30:00.000-07:00' }), 'notes', nothingTaken),
    '/notes/2009/03/no-url/',
  );
});

test('permalinks: pages at the top of the source, never over its own index pages', () => {
  assert.equal(
    planPermalink(entry({ kind: 'page', title: 'About me', slug: 'about' }), 'notes', nothingTaken),
    '/notes/about/',
  );
  assert.equal(
    planPermalink(entry({ kind: 'page', title: 'Tags', slug: 'tags' }), 'notes', nothingTaken),
    '/notes/tags-page/',
  );
  assert.equal(planPermalink(entry({ kind: 'page', title: '2020' }), 'notes', nothingTaken), '/notes/2020-page/');
});

test('permalinks: undated drafts live under drafts/, undated published posts under undated/ (never among the drafts)', () => {
  assert.equal(
    planPermalink(entry({ title: 'Someday', draft: true }), 'notes', nothingTaken),
    '/notes/drafts/someday/',
  );
  assert.equal(
    planPermalink(entry({ title: 'Lost its date', draft: false }), 'notes', nothingTaken),
    '/notes/undated/lost-its-date/',
  );
});

test('permalinks: a taken path gets -2, -3 in arrival order', () => {
  const taken = new Set<string>();
  const plan = (fields: Partial<Entry>) => {
    const permalink = planPermalink(entry({ date: '2012-04-01T00:00:00Z', ...fields }), 'notes', (candidate) =>
      taken.has(candidate),
    );
    taken.add(permalink);
    return permalink;
  };
  assert.equal(plan({ title: 'Same title' }), '/notes/2012/04/same-title/');
  assert.equal(plan({ title: 'Same title' }), '/notes/2012/04/same-title-2/');
  assert.equal(plan({ title: 'Same Title!' }), '/notes/2012/04/same-title-3/');
});

test('permalinks: an untitled post is named after its first words', () => {
  const post = entry({
    date: '2011-07-04T09:00:00Z',
    body: { type: 'html', value: '<p>Blogger made this from <b>body</b> text when the post had no title.</p>' },
  });
  assert.equal(planPermalink(post, 'notes', nothingTaken), '/notes/2011/07/blogger-made-this-from-body-text/');
});

test('fileForPermalink: the path below the source folder', () => {
  assert.equal(fileForPermalink('/notes/2009/03/build/', 'notes'), '2009/03/build.md');
  assert.equal(fileForPermalink('/notes/about/', 'notes'), 'about.md');
  assert.equal(fileForPermalink('/notes/', 'notes'), 'index.md');
});
