import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { makeSlug, MAX_SLUG_BYTES, slugFromUrl } from '../src/slug.ts';

test('slug: transliterated, lower-case, hyphenated', () => {
  assert.equal(makeSlug('Building illumos: a "quick" guide', 'id'), 'building-illumos-a-quick-guide');
  assert.equal(makeSlug('Café & crème', 'id'), 'cafe-and-creme');
  assert.equal(makeSlug('../../etc/passwd and a/b.c', 'id'), 'etc-passwd-and-a-b-c');
});

test('slug: emoji-only and empty titles get a deterministic fallback from the id', () => {
  assert.equal(makeSlug('🎉🚀✨', 'tag:x.post-1'), makeSlug('🎉🚀✨', 'tag:x.post-1'));
  assert.match(makeSlug('🎉🚀✨', 'tag:x.post-1'), /^post-[0-9a-f]{8}$/);
  assert.notEqual(makeSlug('', 'a'), makeSlug('', 'b'));
});

test('slug: device names Windows refuses are never a file name', () => {
  assert.equal(makeSlug('CON', 'id'), 'con-post');
  assert.equal(makeSlug('lpt1', 'id'), 'lpt1-post');
});

test('slug: any text gives a short portable slug', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 6000 }), fc.string(), (text, seed) => {
      const slug = makeSlug(text, seed);
      assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(Buffer.byteLength(slug) <= MAX_SLUG_BYTES);
    }),
    { numRuns: 300 },
  );
  assert.equal(makeSlug('Long '.repeat(1000), 'id').length <= MAX_SLUG_BYTES, true);
});

test('slugFromUrl: the name Blogger chose, without its extension', () => {
  assert.equal(
    slugFromUrl('http://x.blogspot.com/2017/09/hakyll-convert-provides-library-and.html', 'id'),
    'hakyll-convert-provides-library-and',
  );
  assert.equal(slugFromUrl('https://x.blogspot.com/2012/04/same-title_12.html?m=1', 'id'), 'same-title-12');
  assert.equal(slugFromUrl('/p/about.html', 'id'), 'about');
  assert.equal(slugFromUrl('https://example.blogspot.com/a/%E2%98%83/weird.name.html', 'id'), 'weird-name');
  assert.equal(slugFromUrl('https://example.blogspot.com/', 'id'), undefined);
});
