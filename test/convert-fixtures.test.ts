/**
 * The HTML → Markdown chain (src/convert) over fixture folders: `input.html` as Blogger's editor
 * wrote it beside the `expected.md` Almanac must produce. Each folder is named after the editor
 * habit it covers (and so the cleanup plugin that handles it).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Root as HastRoot } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { mdastToMarkdown } from '../src/convert/markdown.ts';
import rehypeBreaksToParagraphs from '../src/convert/rehypeBreaksToParagraphs.ts';
import rehypeMonospaceToCode from '../src/convert/rehypeMonospaceToCode.ts';
import rehypeNbspToSpace from '../src/convert/rehypeNbspToSpace.ts';
import { ROOT } from './helpers/cli.ts';
import { markdownWords, textFidelity } from './helpers/textFidelity.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/convert');

for (const name of readdirSync(FIXTURES).sort()) {
  test(`convert: ${name}`, () => {
    const html = readFileSync(path.join(FIXTURES, name, 'input.html'), 'utf8');
    const expected = readFileSync(path.join(FIXTURES, name, 'expected.md'), 'utf8');
    const markdown = mdastToMarkdown(htmlToMdast(html));
    assert.equal(markdown, expected);
    const { ratio, missing } = textFidelity(html, markdown);
    // A highlighter's line numbers are left out on purpose (rehypeCodeTablesToCode), and words its CSS set apart are apart; nothing else may change.
    const visible = markdownWords(markdown).join('');
    if (name.startsWith('code-table-'))
      assert.deepEqual(
        missing.filter((word) => !/^[\d$]+$/.test(word) && !visible.includes(word)),
        [],
        'every word but line numbers survives, in order',
      );
    else assert.equal(ratio, 1, 'every word of the HTML survives, in order');
  });
}

test('convert: <pre> text survives byte for byte, whatever Markdown would make of it', () => {
  const html = readFileSync(path.join(FIXTURES, 'pre-byte-for-byte', 'input.html'), 'utf8');
  const original = html
    .replace(/^<pre>|<\/pre>\n?$/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<');
  const tree = htmlToMdast(html);
  const code = tree.children[0];
  assert.equal(code.type, 'code');
  assert.equal(code.type === 'code' && code.value, original);
  assert.ok(original.includes("printf '\\x1B]8;;&\\x1B\\\\'"));
});

/** Each cleanup plugin alone, on the hast it is given, so a fixture passing by accident shows. */
const parse = (html: string) => unified().use(rehypeParse, { fragment: true }).parse(html) as HastRoot;

test('rehypeBreaksToParagraphs: two or more breaks end a paragraph, one stays a break', () => {
  const tree = parse('<div>a<br>b<br><br>c</div>');
  rehypeBreaksToParagraphs()(tree);
  const div = tree.children[0];
  assert.ok(div.type === 'element');
  assert.deepEqual(
    div.children.map((node) => (node.type === 'element' ? node.tagName : node.type)),
    ['p', 'p'],
  );
});

test('rehypeMonospaceToCode: a monospace font is inline code; <pre> is left alone', () => {
  const tree = parse(
    '<span style="font-family: monospace">ls</span><pre><span style="font-family: monospace">x</span></pre>',
  );
  rehypeMonospaceToCode()(tree);
  const [span, pre] = tree.children;
  assert.ok(span.type === 'element' && pre.type === 'element');
  assert.equal(span.tagName, 'code');
  assert.equal((pre.children[0] as { tagName: string }).tagName, 'span');
});

test('rehypeNbspToSpace: no-break spaces become spaces outside code only', () => {
  const tree = parse('a\u00a0b<code>c\u00a0d</code>');
  rehypeNbspToSpace()(tree);
  assert.deepEqual(JSON.stringify(tree).match(/"value":"[^"]*"/g), ['"value":"a b"', '"value":"c\u00a0d"']);
});

test('textFidelity: a dropped or reordered word lowers the ratio', () => {
  const html = '<p>one two three four</p>';
  assert.equal(textFidelity(html, 'one **two** three four').ratio, 1);
  assert.equal(textFidelity(html, 'one two four').ratio, 0.75);
  assert.deepEqual(textFidelity(html, 'one two four').missing, ['three']);
  assert.equal(textFidelity(html, 'four one two three').ratio, 0.75);
  assert.equal(textFidelity('<pre>a   b</pre>', '```\na b\n```').ratio, 1);
});
