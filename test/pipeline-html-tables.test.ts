/**
 * A table kept as HTML (src/convert/blockTableToHtml.ts) goes through the document pipeline like
 * the rest of the body: links to old URLs point at the new permalinks, and no address is published.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { mdastToMarkdown } from '../src/convert/markdown.ts';
import { createDocumentPipeline } from '../src/pipeline/index.ts';

const TABLE =
  '<table><tr><td><pre>make &amp;&amp; make install</pre></td><td><ul><li><a href="https://old.example/2010/05/zones.html">zones</a> by peter@example.org</li><li><a href="mailto:list@example.org">the list</a></li><li><a href="https://elsewhere.example/">kept</a></li></ul></td></tr></table>';

function importHtml(html: string): string {
  const pipeline = createDocumentPipeline({
    resolveOldUrl: (url) => (url === 'https://old.example/2010/05/zones.html' ? '/blog/2010/05/zones/' : undefined),
    autolinks: [],
  });
  return mdastToMarkdown(pipeline(htmlToMdast(html), 'https://old.example/2010/06/post.html'));
}

test('a table kept as HTML: old links rewritten, addresses hidden, code and other links untouched', () => {
  const markdown = importHtml(TABLE);
  assert.match(markdown, /^<table>/);
  assert.match(markdown, /<a href="\/blog\/2010\/05\/zones\/">zones<\/a> by peter at example\.org/);
  assert.match(markdown, /<li><a>the list \(list at example\.org\)<\/a><\/li>/);
  assert.match(markdown, /<a href="https:\/\/elsewhere\.example\/">kept<\/a>/);
  assert.match(markdown, /<pre>make &amp;&amp; make install<\/pre>/);
  assert.doesNotMatch(markdown, /@|mailto/);
});

test('a table kept as HTML with nothing to change is written once, the same bytes after the pipeline', () => {
  const plain = '<table><tr><td><pre>a\n\nb</pre></td><td><p>x</p><p>y</p></td></tr></table>';
  assert.equal(importHtml(plain), mdastToMarkdown(htmlToMdast(plain)));
});
