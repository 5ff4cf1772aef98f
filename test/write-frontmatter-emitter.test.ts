/**
 * The frontmatter fast path (simpleYaml in src/content/frontmatter.ts) against js-yaml's dump: wherever the fast
 * path answers, its bytes must be js-yaml's, on random keys, strings (heavy in YAML's indicators, keywords,
 * numbers, dates and odd white space) and lists.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { simpleYaml, stringifyDocument, type FrontmatterData } from '../src/content/frontmatter.ts';

const jsYaml = (data: FrontmatterData) => dump(data, { lineWidth: -1, noRefs: true });

const pieces = [
  'a',
  'Re',
  'x y',
  ' ',
  '  ',
  ':',
  ': ',
  '#',
  ' #',
  '-',
  '- ',
  '--- ',
  '---',
  '...',
  '?',
  '? ',
  ',',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '=',
  '<<',
  '~',
  'yes',
  'no',
  'on',
  'Off',
  'true',
  'False',
  'null',
  'NULL',
  'y',
  'n',
  '0',
  '1',
  '012',
  '0x1F',
  '0o7',
  '1_000',
  '1e3',
  '+1',
  '-2',
  '.5',
  '.inf',
  '.NaN',
  '2020-05-06',
  '2015-03-05T20:20:00+00:00',
  '12:30',
  '1:2:3',
  'é',
  'ß',
  '日本',
  '😀',
  '\u00A0',
  '\u00AD',
  '\u3000',
  '\u2003',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\uFFFE',
  '\u0085',
  '\x7F',
  '\t',
  '\n',
  '\r',
  '\\',
  '/',
  'https://x.org/a?b=c#d',
  '<x@y.org>',
  '\uD800',
  '\uDC00',
  '\u{1F600}\u200D',
  '\u{10FFFF}',
];
const tricky = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ maxLength: 12 }),
);
const key = fc.oneof(
  fc.constantFrom('title', 'date', 'tags', 'kind', 'redirect_from', 'x1', '_y', 'true', 'null', 'yes', 'on', 'n', 'y'),
  tricky,
);
const value = fc.oneof(
  { weight: 4, arbitrary: tricky },
  { weight: 2, arbitrary: fc.array(tricky, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.constantFrom(false, 0, 3, null, -1.5) },
);
const data = fc.dictionary(key, value, { maxKeys: 4 });

test('wherever the fast path answers, it writes js-yaml’s bytes', () => {
  let answered = 0;
  fc.assert(
    fc.property(data, (frontmatter) => {
      const fast = simpleYaml(frontmatter);
      if (fast === undefined) return;
      answered += 1;
      assert.equal(fast, jsYaml(frontmatter));
    }),
    { numRuns: 20000 },
  );
  assert.ok(answered > 500, `the fast path answered only ${answered} of 20,000`);
});

test('single strings: every scalar the fast path writes is js-yaml’s', () => {
  fc.assert(
    fc.property(tricky, (text) => {
      const fast = simpleYaml({ k: text, list: [text] });
      if (fast !== undefined) assert.equal(fast, jsYaml({ k: text, list: [text] }));
    }),
    { numRuns: 50000 },
  );
});

test('a mail message’s frontmatter takes the fast path, quotes where YAML needs them', () => {
  const frontmatter = {
    title: 'Re: [bench] Omnios: the #1 "question" 🎉',
    date: '2015-03-05T20:20:00+00:00',
    author: "José O'Brien",
    source: 'bench',
    kind: 'message',
    original_id: '9194.176@bench.example.org',
    references: ['9094.96@bench.example.org', 'yes'],
    draft: true,
    list: '- bench',
  };
  const fast = simpleYaml(frontmatter);
  assert.equal(
    fast,
    "title: 'Re: [bench] Omnios: the #1 \"question\" 🎉'\ndate: '2015-03-05T20:20:00+00:00'\nauthor: José O'Brien\nsource: bench\nkind: message\n" +
      "original_id: 9194.176@bench.example.org\nreferences:\n  - 9094.96@bench.example.org\n  - 'yes'\ndraft: true\nlist: '- bench'\n",
  );
  assert.equal(fast, jsYaml(frontmatter));
  assert.equal(stringifyDocument(frontmatter, 'Body'), `---\n${fast}---\nBody\n`);
});

test('other shapes are left to js-yaml', () => {
  assert.equal(simpleYaml({ comments: [{ id: '1' }] }), undefined);
  assert.equal(simpleYaml({ title: 'two\nlines' }), undefined);
  assert.equal(simpleYaml({ tags: [] }), undefined);
  assert.equal(stringifyDocument({ tags: [], count: 3 }, 'x'), '---\ntags: []\ncount: 3\n---\nx\n');
});
