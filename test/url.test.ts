import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from 'js-yaml';
import type { Link, Paragraph } from 'mdast';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { markdownToMdast, mdastToMarkdown } from '../src/convert/markdown.ts';
import { htmlAttribute, serverConfigUrl, yamlScalar } from '../src/url/escapeUrl.ts';
import { displayHost, normalizeUrl, safeUrl } from '../src/url/normalizeUrl.ts';

const normalized: [string, string | undefined][] = [
  [
    'https://Bücher.Example/Straße?q=ä b#frag ment',
    'https://xn--bcher-kva.example/Stra%C3%9Fe?q=%C3%A4%20b#frag%20ment',
  ],
  ['HTTP://EXAMPLE.com:80/a/./b/../c', 'http://example.com/a/c'],
  ['http://[2001:DB8::1]:8080/x', 'http://[2001:db8::1]:8080/x'],
  ['https://example.com/path;type=a?x=1&y=2', 'https://example.com/path;type=a?x=1&y=2'],
  ['https://example.com/already%20encoded', 'https://example.com/already%20encoded'],
  ['www.example.com', undefined],
  ['/relative/path', undefined],
  ['http://999.1.1.1/', undefined],
];

for (const [input, expected] of normalized) {
  test(`normalizeUrl ${input}`, () => assert.equal(normalizeUrl(input), expected));
}

test('normalizeUrl resolves against a base; safeUrl refuses scripts and data', () => {
  assert.equal(
    normalizeUrl('../b/c.html', 'http://tribblix.blogspot.com/2020/05/a.html'),
    'http://tribblix.blogspot.com/2020/b/c.html',
  );
  assert.equal(safeUrl('javascript:alert(1)'), undefined);
  assert.equal(safeUrl('data:text/html,<script>'), undefined);
  assert.equal(safeUrl('https://example.com'), 'https://example.com/');
  assert.equal(displayHost('https://xn--bcher-kva.example/'), 'bücher.example');
});

const hostile = [
  'https://example.com/a b(c)',
  'https://example.com/<x>',
  'https://example.com/q?a=1&b="2"',
  "https://example.com/it's",
  'https://example.com/a)',
  'https://example.com/back\\slash',
  'https://example.com/ä',
];

test('Markdown destinations: remark-stringify escapes URLs in link nodes so they parse back the same', () => {
  for (const url of hostile) {
    const markdown = mdastToMarkdown({
      type: 'root',
      children: [{ type: 'paragraph', children: [{ type: 'link', url, children: [{ type: 'text', value: 'x' }] }] }],
    });
    const parsed = (markdownToMdast(markdown).children[0] as Paragraph).children[0] as Link;
    assert.equal(parsed.type, 'link', markdown);
    assert.equal(parsed.url, url, markdown);
  }
  assert.equal(
    mdastToMarkdown({
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [{ type: 'link', url: 'https://x.example/a b', children: [{ type: 'text', value: 'x' }] }],
        },
      ],
    }).trim(),
    '[x](<https://x.example/a b>)',
  );
});

test('HTML attributes: a real HTML parser reads back the exact URL', () => {
  for (const url of hostile) {
    const attribute = htmlAttribute('href', url);
    const tree = htmlToMdast(`<a ${attribute}>x</a>`);
    assert.equal(((tree.children[0] as Paragraph).children[0] as Link).url, url, attribute);
  }
  assert.equal(
    htmlAttribute('href', 'https://x.example/?a=1&b="2"'),
    'href="https://x.example/?a=1&amp;b=&quot;2&quot;"',
  );
});

test('YAML: js-yaml reads back the exact string, quoted only where YAML needs it', () => {
  for (const url of [
    ...hostile,
    '#fragment',
    '*alias',
    '&anchor',
    '!tag',
    'https://x.example/a: b',
    '@at',
    '- dash',
    'yes',
    '',
  ]) {
    assert.equal((load(`url: ${yamlScalar(url)}`) as { url: string }).url, url, yamlScalar(url));
  }
  assert.equal(yamlScalar('https://example.com/a#b'), 'https://example.com/a#b');
});

test('server configs: syntax characters percent-encoded, existing escapes and the fragment kept', () => {
  assert.equal(
    serverConfigUrl('https://x.example/a b/$host;{x}%zz%20"q"\'#frag#2'),
    'https://x.example/a%20b/%24host%3B%7Bx%7D%25zz%20%22q%22%27#frag%232',
  );
  assert.equal(serverConfigUrl('https://x.example/plain/path?q=1&r=2'), 'https://x.example/plain/path?q=1&r=2');
  assert.doesNotMatch(serverConfigUrl('https://x.example/\u0000\n\t\\'), /[\s\\\u0000]/);
});
