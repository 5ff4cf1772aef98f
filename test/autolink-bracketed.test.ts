/**
 * `Word<https://url>` in plain-text mail (an Ericsson signature, `Facebook<https://www.facebook.com/ericsson>`)
 * was written `Facebookhttps\://[www.facebook.com/ericsson](http://www.facebook.com/ericsson)`: the word glued
 * to the URL, the scheme escaped as text, the link downgraded to http. A URL in angle brackets is one URL
 * (RFC 3986 appendix C) whatever touches the `<`, and an autolink never changes a URL's scheme.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Link, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { mailTextToMdast } from '../importers/mail/mailBody.ts';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { markdownToMdast, mdastToMarkdown } from '../src/convert/markdown.ts';
import autolinkLiterals from '../src/pipeline/autolinkLiterals.ts';
import { findUrls, linkAutolinkLiterals } from '../src/url/findUrls.ts';

function mail(text: string): string {
  const tree = mailTextToMdast(text);
  autolinkLiterals()(tree);
  return mdastToMarkdown(tree).trim();
}

function links(tree: Root): Link[] {
  const found: Link[] = [];
  visit(tree, 'link', (link: Link) => {
    found.push(link);
  });
  return found;
}

test('mail: Word<https://…> is the word, a space, and the link with its own scheme', () => {
  assert.equal(
    mail('Follow us on: Facebook<https://www.facebook.com/ericsson>'),
    'Follow us on: Facebook [https://www.facebook.com/ericsson](https://www.facebook.com/ericsson)',
  );
  assert.equal(
    mail('See <https://example.com/a>, then x<https://example.com/b?c=1>y.'),
    'See [https://example.com/a](https://example.com/a), then x [https://example.com/b?c=1](https://example.com/b?c=1) y.',
  );
});

test('RFC 3986 appendix C: <URL:…>, ftp, and a URL wrapped over lines inside its brackets', () => {
  assert.deepEqual(
    findUrls('see <URL:http://www.w3.org/Addressing/>.').map((found) => found.url),
    ['http://www.w3.org/Addressing/'],
  );
  const wrapped = 'you can probably pick it up from <ftp://foo.example.\ncom/rfc/>.';
  assert.deepEqual(
    findUrls(wrapped).map((found) => [wrapped.slice(found.start, found.end), found.url]),
    [['ftp://foo.example.\ncom/rfc/', 'ftp://foo.example.com/rfc/']],
  );
});

test('a scheme is never changed: www. inside ftp://… or glued to a word is no http link', () => {
  assert.deepEqual(
    findUrls('ftp://www.example.com/pub and Facebookhttps://www.facebook.com/x').map((found) => found.url),
    [],
  );
  assert.equal(mail('Facebookhttps://www.facebook.com/ericsson'), 'Facebookhttps\\://www\\.facebook.com/ericsson');
  assert.deepEqual(
    findUrls('(https://www.example.com/) www.example.org').map((found) => found.url),
    ['https://www.example.com/', 'http://www.example.org'],
  );
});

test('brackets around what no reader may follow stay text, and nothing inside them is linked', () => {
  assert.equal(
    mail('x <javascript:alert(1)//www.evil.example> <xsl:template match="a">'),
    'x \\<javascript:alert(1)//www\\.evil.example> \\<xsl:template match="a">',
  );
});

const WORDS = fc.string({ unit: fc.constantFrom(...'ab XY.,;:!?()"\'-_/#*é1<>'), maxLength: 12 });
const URLS = fc.webUrl({ validSchemes: ['http', 'https', 'ftp'], withQueryParameters: true, withFragments: true });
const squeeze = (text: string) => text.replace(/\s+/g, '');

test('property: random text around <scheme://…> keeps every word, and the link is that URL exactly', () => {
  fc.assert(
    fc.property(WORDS, URLS, WORDS, (before, url, after) => {
      const text = `${before}<${url}>${after}`;
      const tree: Root = { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }] };
      linkAutolinkLiterals(tree);
      assert.ok(
        links(tree).some((link) => link.url === url && toString(link) === url),
        `no link to ${url} in ${JSON.stringify(tree)}`,
      );
      assert.equal(squeeze(toString(tree)), squeeze(`${before}${url}${after}`));
      assert.ok(findUrls(text).some((found) => found.url === url && text.slice(found.start, found.end) === url));
      // Written and read back, the link is still there, with the normalized URL.
      const imported: Root = {
        type: 'root',
        children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }],
      };
      autolinkLiterals()(imported);
      const again = markdownToMdast(mdastToMarkdown(imported));
      assert.ok(
        links(again).some((link) => link.url === new URL(url).href),
        mdastToMarkdown(imported),
      );
    }),
    { numRuns: 400 },
  );
});

test('property: the same for text that came from HTML (&lt;https://…&gt;)', () => {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  fc.assert(
    fc.property(WORDS, URLS, WORDS, (before, url, after) => {
      const tree = htmlToMdast(`<p>${escape(before)}&lt;${escape(url)}&gt;${escape(after)}</p>`);
      autolinkLiterals()(tree);
      assert.ok(
        links(tree).some((link) => link.url === new URL(url).href && toString(link) === url),
        mdastToMarkdown(tree),
      );
      assert.equal(squeeze(toString(tree)), squeeze(`${before}${url}${after}`));
    }),
    { numRuns: 300 },
  );
});

test('property: no http:// link is made out of a www. that follows another scheme', () => {
  fc.assert(
    fc.property(
      WORDS,
      fc.constantFrom('ftp', 'https', 'HTTP', 'gopher', 'Facebookhttps'),
      fc.domain(),
      WORDS,
      (before, scheme, domain, after) => {
        const text = `${before} ${scheme}://www.${domain}/x ${after}`;
        assert.ok(
          !findUrls(text).some(
            (found) => found.url.startsWith('http://www.') && text.slice(found.start - 3, found.start) === '://',
          ),
          text,
        );
      },
    ),
    { numRuns: 300 },
  );
});
