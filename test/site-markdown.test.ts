/**
 * Issue 6: the site's Markdown engine (src/site/markdown.ts): sanitized, highlighted, anchors
 * kept, quotes folded for mail, and cached by content hash.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import {
  DROPPABLE_CONSTRUCTS,
  MarkdownCache,
  remarkAutolinkLiteralsWhereCandidates,
  remarkGfmWithout,
  renderMarkdown,
} from '../src/site/markdown.ts';
import { pointAnchorsInto } from '../src/site/markdownEngine.ts';
import { temporaryDirectory } from './helpers/cli.ts';

describe('renderMarkdown', () => {
  test('nothing that runs survives: scripts, event handlers, javascript: and data: URLs, iframes, styles', () => {
    const html = renderMarkdown(
      [
        '<script>alert(1)</script>',
        '<img src="x" onerror="alert(1)">',
        '[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x)',
        '<iframe src="https://evil.example/"></iframe>',
        '<style>body{display:none}</style>',
        '![img](javascript:alert(1))',
      ].join('\n\n'),
    );
    assert.doesNotMatch(html, /<script|onerror|javascript:|data:text|vbscript:|<iframe|<style/i);
  });

  test('a table the importer kept as HTML renders as a table, its code line for line, highlighted', async () => {
    const { htmlToMdast } = await import('../src/convert/htmlToMdast.ts');
    const { mdastToMarkdown } = await import('../src/convert/markdown.ts');
    const markdown = mdastToMarkdown(
      htmlToMdast(
        '<p>Compare:</p><table><tr><td><pre><code class="language-c">int a = 1; // one\n\n\nreturn a &lt; 2;</code></pre></td><td><ul><li>x</li><li>y</li></ul></td></tr></table><p>After.</p>',
      ),
    );
    const html = renderMarkdown(markdown);
    assert.match(
      html,
      /<p>Compare:<\/p>\s*<table><tbody><tr><td><pre class="language-c"><code class="language-c"><span class="token keyword">int<\/span>/,
    );
    assert.equal(html.replace(/<[^>]+>/g, '').includes('int a = 1; // one\n\n\nreturn a &#x3C; 2;'), true, html);
    assert.match(html, /<td><ul>\s*<li>x<\/li>\s*<li>y<\/li>\s*<\/ul><\/td>/);
    assert.match(html, /<p>After\.<\/p>/);
  });

  test('a hostile HTML table in Markdown keeps its cells and nothing that runs', () => {
    const html = renderMarkdown(
      [
        '<table onclick="alert(1)" style="position:fixed"><tr><td onmouseover="alert(2)"><script>alert(3)</script><a href="javascript:alert(4)">a</a>',
        '<img src=x onerror="alert(5)"><iframe src="https://evil.example/"></iframe><svg onload="alert(6)"></svg><form action="https://evil.example/"><input name=p></form>',
        '<pre>ok</pre><style>*{display:none}</style></td><td><object data="x.swf"></object>cell</td></tr></table>',
      ].join('\n'),
    );
    assert.doesNotMatch(html, /alert|\son\w+=|style=|<style|<script|<iframe|<svg|<form|<object|javascript:/i);
    // GitHub's schema keeps a task list's checkbox, and only that.
    assert.ok(
      [...html.matchAll(/<input[^>]*>/g)].every(([input]) => /disabled type="checkbox"/.test(input)),
      html,
    );
    assert.match(html, /<table><tbody><tr><td><a>a<\/a>/);
    assert.match(html, /<pre>ok<\/pre>/);
    assert.match(html, /cell<\/td>/);
  });

  test('keeps what content needs: tables, images, footnotes, task lists, strikethrough, heading ids', () => {
    const html = renderMarkdown(
      '# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![zpool](/img/z.png "Pools")\n\nNote[^n].\n\n- [x] done\n\n~~old~~\n\n[^n]: The note.\n',
    );
    assert.match(html, /<h1 id="user-content-title">Title<\/h1>/);
    assert.match(html, /<table>[\s\S]*<td>1<\/td>/);
    assert.match(html, /<img src="\/img\/z\.png" alt="zpool" title="Pools">/);
    assert.match(html, /<a href="#user-content-fn-n" id="user-content-fnref-n" data-footnote-ref/);
    assert.match(html, /<li id="user-content-fn-n">/);
    assert.match(html, /<input type="checkbox" checked disabled>/);
    assert.match(html, /<del>old<\/del>/);
  });

  test('in-page links follow the sanitizer’s id prefix; links to unknown anchors are left alone', () => {
    const html = renderMarkdown('See [setup](#setup) and [elsewhere](#nowhere).\n\n## Setup\n');
    assert.match(html, /<a href="#user-content-setup">setup<\/a>/);
    assert.match(html, /<a href="#nowhere">elsewhere<\/a>/);
  });

  test('highlights shell sessions, C, Python, diff and DTrace (as C); guesses unlabelled sessions and patches', () => {
    const fence = (language: string, code: string) => renderMarkdown(`\`\`\`${language}\n${code}\n\`\`\`\n`);
    assert.match(fence('shell-session', '$ zfs list'), /<span class="token shell-symbol important">\$<\/span>/);
    assert.match(fence('console', '$ zfs list'), /class="language-console"|class="language-shell-session"/);
    assert.match(fence('c', 'int x = 1;'), /<span class="token keyword">int<\/span>/);
    assert.match(fence('python', 'def f(): pass'), /<span class="token keyword">def<\/span>/);
    assert.match(fence('diff', '-old\n+new'), /<span class="token deleted-sign deleted">/);
    assert.match(
      fence('dtrace', 'syscall::read:entry { @[execname] = count(); }'),
      /<span class="token function">count<\/span>/,
    );
    assert.match(fence('', '$ pfexec beadm list'), /<pre class="language-shell-session">/);
    assert.match(fence('', 'root@box:~# zpool status'), /<span class="token user">root@box<\/span>/);
    assert.match(fence('', 'diff --git a/x b/x\n--- a/x\n+++ b/x'), /<pre class="language-diff">/);
    // An unknown language is plain, escaped text.
    assert.match(fence('brainfuck', '<+>'), /<code class="language-brainfuck">&#x3C;\+>/);
  });

  test('mail: long quotes fold into <details>, short ones stay open', () => {
    const long = renderMarkdown('> a\n> b\n> c\n> d\n\nReply.\n', { foldQuotes: true });
    assert.match(long, /^<details class="quote"><summary>Quoted text \(4 lines\)<\/summary><blockquote>/);
    const short = renderMarkdown('> a\n\nReply.\n', { foldQuotes: true });
    assert.match(short, /^<blockquote>/);
    assert.doesNotMatch(renderMarkdown('> a\n> b\n> c\n> d\n'), /<details/);
  });

  test('a comment’s #anchor points into its post’s sanitized ids', () => {
    const post = renderMarkdown('## Snapshots first\n');
    assert.equal(
      pointAnchorsInto(renderMarkdown('See [above](#snapshots-first).'), post),
      '<p>See <a href="#user-content-snapshots-first">above</a>.</p>',
    );
    assert.equal(pointAnchorsInto(renderMarkdown('See [x](#other).'), post), '<p>See <a href="#other">x</a>.</p>');
  });
});

describe('GFM parsed faster, to the same tree', () => {
  // Markdown made of what literal autolinks, links, emphasis and code are made of.
  const PIECES = [
    'www.',
    'WWW.',
    'http://',
    'https://',
    'mailto:',
    'xmpp:',
    '@',
    'a',
    'b.c',
    'x.org',
    '/p',
    '_',
    '*',
    '~',
    '`',
    '[',
    ']',
    '(',
    ')',
    '<',
    '>',
    '!',
    '\\',
    ':',
    '.',
    '-',
    '+',
    '#',
    '|',
    '^',
    ' ',
    '\n',
    '\n\n',
    '> ',
    '- ',
    '1. ',
    '    ',
  ];
  const markdownish = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''));
  const gfm = unified().use(remarkParse).use(remarkGfm);
  const guarded = unified().use(remarkParse).use(remarkGfm).use(remarkAutolinkLiteralsWhereCandidates);

  for (const { name, needs } of DROPPABLE_CONSTRUCTS) {
    test(`without ${needs}, dropping GFM's ${name} construct changes nothing`, () => {
      const without = unified().use(remarkParse).use(remarkGfm).use(remarkGfmWithout, [name]);
      // Tables need rows: lines of pieces a table is made of, besides.
      const rows = fc
        .array(fc.constantFrom('a', ' b ', ':', '-', '---', ':-:', '\\', '`', ' '), { maxLength: 8 })
        .map((cells) => cells.join(''));
      const tableish = fc.array(rows, { maxLength: 4 }).map((lines) => lines.join('\n'));
      fc.assert(
        fc.property(
          fc.oneof(markdownish, tableish).filter((markdown) => !needs.test(markdown)),
          (markdown) => assert.deepEqual(without.runSync(without.parse(markdown)), gfm.runSync(gfm.parse(markdown))),
        ),
        { numRuns: 5000 },
      );
      // And it is dropped (a property that held because nothing changed would prove nothing).
      assert.doesNotMatch(JSON.stringify(without.freeze().data('micromarkExtensions')), new RegExp(`"${name}"`));
      assert.match(JSON.stringify(gfm.freeze().data('micromarkExtensions')), new RegExp(`"${name}"`));
    });
  }

  test('the autolink-literal transform, skipped where no text could hold a literal, changes nothing', () => {
    fc.assert(
      fc.property(markdownish, (markdown) =>
        assert.deepEqual(guarded.runSync(guarded.parse(markdown)), gfm.runSync(gfm.parse(markdown))),
      ),
      { numRuns: 3000 },
    );
    // And it is guarded (a property that held because nothing changed would prove nothing).
    const transforms = guarded
      .freeze()
      .data('fromMarkdownExtensions')!
      .flat(2)
      .flatMap((extension) => ('transforms' in extension ? (extension.transforms ?? []) : []));
    assert.deepEqual(
      transforms.map((transform) => transform.name).filter((name) => /autolink|guarded/i.test(name)),
      ['guarded'],
    );
    assert.match(
      renderMarkdown('See www.illumos.org and https://smartos.org/x, or ann@example.org.'),
      /href="http:\/\/www\.illumos\.org".*href="https:\/\/smartos\.org\/x".*href="mailto:ann@example\.org"/,
    );
  });
});

describe('MarkdownCache', () => {
  test('renders once per content, keeps results between builds, and tells folded from plain', async () => {
    const dir = await temporaryDirectory('almanac-md-cache-');
    const first = new MarkdownCache(dir);
    const html = first.render('# Hi\n\n> a\n> b\n> c\n> d\n');
    first.render('# Hi\n\n> a\n> b\n> c\n> d\n', { foldQuotes: true });
    assert.equal(first.misses, 2);
    first.save();
    const stored = JSON.parse(await readFile(path.join(dir, 'markdown.json'), 'utf8'));
    assert.equal(Object.keys(stored.entries).length, 2);
    const second = new MarkdownCache(dir);
    assert.equal(second.render('# Hi\n\n> a\n> b\n> c\n> d\n'), html);
    assert.match(second.render('# Hi\n\n> a\n> b\n> c\n> d\n', { foldQuotes: true }), /<details/);
    assert.equal(second.misses, 0);
    assert.equal(second.hits, 2);
  });

  test('an unreadable cache file is ignored, not fatal', async () => {
    const dir = await temporaryDirectory('almanac-md-cache-');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'markdown.json'), '{ not json');
    const cache = new MarkdownCache(dir);
    assert.match(cache.render('*x*'), /<em>x<\/em>/);
    assert.equal(cache.misses, 1);
  });
});
