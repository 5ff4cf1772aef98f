import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { mdastToMarkdown } from '../src/convert/markdown.ts';
import autolinkLiterals from '../src/pipeline/autolinkLiterals.ts';
import { findUrls, LONGEST_RUN } from '../src/url/findUrls.ts';

/** [what, input, [link text, URL] for each URL found] — GFM autolink-literal rules. */
const cases: [string, string, [string, string][]][] = [
  ['no URL at all', 'Nothing to see here: just words, 3.14 and a.b', []],
  ['trailing full stop', 'See http://example.com.', [['http://example.com', 'http://example.com']]],
  [
    'trailing , : ! ?',
    'http://a.example/x, http://b.example/y: http://c.example/z! http://d.example/w?',
    [
      ['http://a.example/x', 'http://a.example/x'],
      ['http://b.example/y', 'http://b.example/y'],
      ['http://c.example/z', 'http://c.example/z'],
      ['http://d.example/w', 'http://d.example/w'],
    ],
  ],
  [
    'query and fragment kept, trailing ? dropped',
    'go to https://example.com/search?q=zones&page=2#results?',
    [['https://example.com/search?q=zones&page=2#results', 'https://example.com/search?q=zones&page=2#results']],
  ],
  [
    'balanced parentheses kept',
    'https://en.wikipedia.org/wiki/Bhyve_(hypervisor)',
    [['https://en.wikipedia.org/wiki/Bhyve_(hypervisor)', 'https://en.wikipedia.org/wiki/Bhyve_(hypervisor)']],
  ],
  [
    'URL in parentheses',
    '(see https://illumos.org/docs/)',
    [['https://illumos.org/docs/', 'https://illumos.org/docs/']],
  ],
  [
    'nested parentheses',
    '(https://example.com/a_(b_(c)))',
    [['https://example.com/a_(b_(c))', 'https://example.com/a_(b_(c))']],
  ],
  [
    'unbalanced closing parentheses dropped',
    'https://example.com/a)b))',
    [['https://example.com/a)b', 'https://example.com/a)b']],
  ],
  [
    'angle brackets delimit',
    '<https://example.com/path> and www.commonmark.org/he<lp',
    [
      ['https://example.com/path', 'https://example.com/path'],
      ['www.commonmark.org/he', 'http://www.commonmark.org/he'],
    ],
  ],
  ['double quotes delimit', 'href "https://example.com/q" done', [['https://example.com/q', 'https://example.com/q']]],
  ['single quotes delimit', "'https://example.com/q'", [['https://example.com/q', 'https://example.com/q']]],
  [
    '&amp; inside a query is part of the URL',
    'https://example.com/?a=1&amp;b=2 x',
    [['https://example.com/?a=1&amp;b=2', 'https://example.com/?a=1&amp;b=2']],
  ],
  [
    '; parameters',
    'https://example.com/path;type=a?x=1',
    [['https://example.com/path;type=a?x=1', 'https://example.com/path;type=a?x=1']],
  ],
  [
    'non-ASCII path',
    'https://de.wikipedia.org/wiki/Straße_(Begriffsklärung) ok',
    [
      [
        'https://de.wikipedia.org/wiki/Straße_(Begriffsklärung)',
        'https://de.wikipedia.org/wiki/Straße_(Begriffsklärung)',
      ],
    ],
  ],
  // GFM's domain is [\w-] (ASCII): an internationalized host is linked only when written <https://bücher.example/>.
  ['non-ASCII host is not a bare link', 'https://bücher.example/ x', []],
  [
    'punycode host',
    'https://xn--bcher-kva.example/',
    [['https://xn--bcher-kva.example/', 'https://xn--bcher-kva.example/']],
  ],
  // GFM needs a dot in the domain: bracketed IPv6 literals are links only as <…> autolinks.
  ['IPv6 host is not a bare link', 'http://[2001:db8::1]:8080/ or http://[::1]/', []],
  ['IPv4 host', 'http://192.168.0.1:8080/admin.', [['http://192.168.0.1:8080/admin', 'http://192.168.0.1:8080/admin']]],
  ['www. addresses', 'www.tribblix.org!', [['www.tribblix.org', 'http://www.tribblix.org']]],
  [
    'several URLs per line',
    'a http://a.example/1 b https://b.example/2, c www.c.example',
    [
      ['http://a.example/1', 'http://a.example/1'],
      ['https://b.example/2', 'https://b.example/2'],
      ['www.c.example', 'http://www.c.example'],
    ],
  ],
  ['emails', 'mail peter@example.org.', [['peter@example.org', 'mailto:peter@example.org']]],
  ['not after a letter', 'xhttp://example.com and xwww.example.com', []],
  ['upper-case scheme', 'HTTPS://EXAMPLE.COM/A', [['HTTPS://EXAMPLE.COM/A', 'HTTPS://EXAMPLE.COM/A']]],
];

for (const [what, input, expected] of cases) {
  test(`URL edge case: ${what}`, () => {
    assert.deepEqual(
      findUrls(input).map((found) => [input.slice(found.start, found.end), found.url]),
      expected,
    );
  });
}

function importHtml(html: string): string {
  const tree = htmlToMdast(html);
  autolinkLiterals()(tree);
  return mdastToMarkdown(tree).trim();
}

test('imported HTML: bare URLs become links with normalized targets, the text as written', () => {
  assert.equal(
    importHtml('<p>Docs at https://bücher.example.org/x and https://de.wikipedia.org/wiki/Straße.</p>').includes(
      '[https://de.wikipedia.org/wiki/Straße](https://de.wikipedia.org/wiki/Stra%C3%9Fe)',
    ),
    true,
  );
  assert.equal(
    importHtml('<p>see https://example.com/?a=1&amp;b=2.</p>'),
    'see [https://example.com/?a=1\\&b=2](https://example.com/?a=1\\&b=2).',
  );
});

test('imported HTML: text inside links and code is left alone', () => {
  assert.equal(
    importHtml(
      '<p><a href="https://a.example/">https://b.example/</a> <code>http://c.example/</code></p><pre>http://d.example/</pre>',
    ),
    '[https://b.example/](https://a.example/) `http://c.example/`\n\n```\nhttp://d.example/\n```',
  );
});

test('imported HTML: emails are never links, bare or mailto, and read "user at host"', () => {
  assert.equal(
    importHtml(
      '<p>Write to peter@example.org or <a href="mailto:list@example.org?subject=hi">the list</a> or <a href="mailto:a@example.org">a@example.org</a>.</p>',
    ),
    'Write to peter at example.org or the list (list at example.org) or a at example.org.',
  );
});

test('imported HTML: a URL the WHATWG parser refuses stays text', () => {
  assert.doesNotMatch(importHtml('<p>http://999.1.1.1/x</p>'), /\]\(/);
});

test('a 1 MB line without spaces is scanned in linear time (GFM transform alone: 25 s)', () => {
  for (const line of [
    'éhttp://a.b'.repeat(1e6 / 11),
    'http://x.x_'.repeat(1e6 / 11),
    `https://example.com/${'a'.repeat(1e6)}`,
    `${'a.'.repeat(5e5)}@`,
  ]) {
    const started = performance.now();
    findUrls(line);
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  }
  const spaced = `${'éhttp://a.b'.repeat(Math.floor(LONGEST_RUN / 11))} `.repeat(250);
  const started = performance.now();
  findUrls(spaced);
  assert.ok(performance.now() - started < 3000, `runs just under the cap took ${performance.now() - started} ms`);
});

test('a URL in a run longer than LONGEST_RUN is left as text; a shorter one right after is found', () => {
  const text = `${'x'.repeat(LONGEST_RUN)}https://long.example/ https://short.example/`;
  assert.deepEqual(
    findUrls(text).map((found) => found.url),
    ['https://short.example/'],
  );
});
