import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { parseDocument, stringifyDocument } from '../src/content/frontmatter.ts';

const TRICKY_TITLES = [
  '#x',
  'yes',
  'no',
  'on',
  'null',
  '~',
  '2020-05-06',
  '2020-05-06T10:00:00Z',
  'a: b',
  '- item',
  '[x]',
  '{x}',
  '"quoted"',
  "it's",
  '007',
  '1e3',
  '0x1F',
  '@handle',
  '`tick`',
  '| pipe',
  '> fold',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  'Tom & Jerry <3',
  '---',
  '...',
  ' leading space',
  'trailing space ',
  'line\nbreak',
  '\ttab',
  'Ωmega 🎉 東京',
];

test('frontmatter: every tricky title reads back as the same string, with gray-matter and plain js-yaml', () => {
  for (const title of TRICKY_TITLES) {
    const text = stringifyDocument({ title, date: '2009-03-31T23:30:00.000-07:00' }, 'Body.');
    assert.equal(parseDocument(text).data.title, title, text);
    const yaml = text.split('\n---\n')[0].replace(/^---\n/, '');
    assert.equal((load(yaml) as { title: unknown }).title, title, `another YAML reader agrees: ${yaml}`);
    assert.equal(
      (load(yaml) as { date: unknown }).date,
      '2009-03-31T23:30:00.000-07:00',
      'dates stay strings, offset kept',
    );
  }
});

test('frontmatter: any string and body round-trip', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme' }),
      fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 4 }),
      fc.string({ unit: 'grapheme' }),
      (title, tags, body) => {
        const parsed = parseDocument(stringifyDocument({ title, tags }, body));
        assert.equal(parsed.data.title, title);
        assert.deepEqual(parsed.data.tags, tags);
        assert.equal(parsed.body, body.endsWith('\n') ? body : `${body}\n`);
      },
    ),
    { numRuns: 300 },
  );
});

test('frontmatter: JavaScript frontmatter is refused, never run', () => {
  assert.throws(() => parseDocument('---js\n{ title: (globalThis.pwned = 1) }\n---\nx'), /not run/);
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
});

test('frontmatter: a body that starts with a YAML-like block stays body, not more frontmatter', () => {
  const body = '---\nfoo: bar\n---\nText after a rule.\n';
  const text = stringifyDocument({ title: 'Rules' }, body);
  assert.equal(text, `---\ntitle: Rules\n---\n${body}`);
  assert.deepEqual(parseDocument(text), { data: { title: 'Rules' }, body });
});

test('frontmatter: a value ending in a Unicode space (U+2006, U+202F, U+1680) keeps it, last in the YAML too', () => {
  for (const title of ['⊝﨑\u2006', 'narrow\u202f', '\u1680']) {
    const { data } = parseDocument(stringifyDocument({ title, tags: [title] }, 'Body.\n'));
    assert.equal(data.title, title);
    assert.deepEqual(data.tags, [title]);
  }
});
