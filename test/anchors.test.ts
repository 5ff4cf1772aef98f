import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { mdastToMarkdown } from '../src/convert/markdown.ts';
import { renderMarkdown } from '../src/site/markdown.ts';

/** An old post through the importer, then through the site's renderer. */
function importAndRender(html: string): { markdown: string; page: string } {
  const markdown = mdastToMarkdown(htmlToMdast(html));
  return { markdown, page: renderMarkdown(markdown) };
}

test('an <a name> anchor, a heading id that is not its slug and a footnote id survive import and render', () => {
  const { markdown, page } = importAndRender(
    '<h2 id="sec-2">Configure it</h2><p><a name="old">Old</a> words<a href="#fn1" id="ref1"><sup>1</sup></a>.</p><ol><li id="fn1">The note. <a href="#ref1">back</a></li></ol>',
  );
  assert.match(markdown, /^## <a id="sec-2"><\/a>Configure it$/m);
  assert.match(markdown, /^<a id="old"><\/a>Old words<a id="ref1"><\/a>\[1\]\(#fn1\)\.$/m);
  assert.match(markdown, /^1\. <a id="fn1"><\/a>The note\. \[back\]\(#ref1\)$/m, "the anchor joins the item's text");
  for (const id of ['sec-2', 'old', 'ref1', 'fn1']) assert.match(page, new RegExp(`<a id="user-content-${id}"></a>`));
  assert.match(page, /<h2 id="user-content-configure-it">/);
  assert.match(page, /href="#user-content-fn1"/, "the post's own link follows the prefix");
});

test("ids nothing links to are not kept: no anchors out of an editor's noise", () => {
  const { markdown } = importAndRender('<div id="post-body-123"><p id="goog_1">Text.</p></div>');
  assert.equal(markdown, 'Text.\n');
});

test('raw HTML written by hand in Markdown is dropped by the site, anchors with anything more than an id too', () => {
  const page = renderMarkdown(
    '<a id="x" onclick="alert(1)"></a>One <a id="y" href="javascript:alert(1)">two</a> <a id="ok"></a>three <img src=x onerror=alert(1)>\n',
  );
  assert.doesNotMatch(page, /onclick|javascript|onerror|<img/);
  assert.match(page, /<a id="user-content-ok"><\/a>three/);
  assert.doesNotMatch(page, /user-content-x|user-content-y/);
});
