import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { Element } from 'hast';
import { toText } from 'hast-util-to-text';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { markdownToMdast, mdastToMarkdown } from '../src/convert/markdown.ts';
import autolinkReferences, { readAutolinkRules } from '../src/pipeline/autolinkReferences.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const FIXTURE = path.join(ROOT, 'test/fixtures/autolink/blogger-links.xml');

function link(markdown: string, options?: Parameters<typeof autolinkReferences>[0]): string {
  const tree = markdownToMdast(markdown);
  autolinkReferences(options)(tree);
  return mdastToMarkdown(tree).trim();
}

test('CVE ids link to their CVE record', () => {
  assert.equal(
    link('Fixes CVE-2021-3929 and CVE-2014-0160.'),
    'Fixes [CVE-2021-3929](https://www.cve.org/CVERecord?id=CVE-2021-3929) and [CVE-2014-0160](https://www.cve.org/CVERecord?id=CVE-2014-0160).',
  );
  assert.equal(link('XCVE-2021-3929 CVE-2021-12 not ids'), 'XCVE-2021-3929 CVE-2021-12 not ids');
});

test('illumos references link to the illumos issue tracker', () => {
  assert.equal(
    link('illumos #1234, illumos issue 5678, Illumos issue #42 and illumos bug 7'),
    '[illumos #1234](https://www.illumos.org/issues/1234), [illumos issue 5678](https://www.illumos.org/issues/5678), [Illumos issue #42](https://www.illumos.org/issues/42) and [illumos bug 7](https://www.illumos.org/issues/7)',
  );
  assert.equal(link('illumos 1234 and illumos #x'), 'illumos 1234 and illumos #x');
});

test('never inside links or code', () => {
  assert.equal(
    link('[see CVE-2021-3929](https://example.com/) `CVE-2021-3929`\n\n    illumos #1'),
    '[see CVE-2021-3929](https://example.com/) `CVE-2021-3929`\n\n```\nillumos #1\n```',
  );
});

test('project rules: $1 and named groups, values percent-encoded', () => {
  const rules = [
    { pattern: '\\bOS-(\\d+)\\b', url: 'https://smartos.org/bugview/OS-$1' },
    { pattern: '\\b(?<repo>[a-z]+)#(?<number>\\d+)\\b', url: 'https://github.com/omniosorg/$<repo>/issues/$<number>' },
  ];
  assert.equal(
    link('OS-8001 and kayak#12', { rules }),
    '[OS-8001](https://smartos.org/bugview/OS-8001) and [kayak#12](https://github.com/omniosorg/kayak/issues/12)',
  );
  assert.equal(
    link('fix a b', { rules: [{ pattern: 'fix (a b)', url: 'https://x.example/?q=$1' }] }),
    '[fix a b](https://x.example/?q=a%20b)',
  );
});

test('a rule matching the empty string does not loop', () => {
  assert.equal(link('abc', { rules: [{ pattern: 'x*', url: 'https://x.example/$&' }] }), 'abc');
});

test('almanac.config.json: bad rules are one clear line naming the rule', async () => {
  const folder = await temporaryDirectory();
  const file = path.join(folder, 'almanac.config.json');
  assert.deepEqual(readAutolinkRules(file), []);
  await writeFile(file, JSON.stringify({ autolinks: [{ pattern: '(', url: 'https://x.example/' }] }));
  assert.throws(() => readAutolinkRules(file), /autolinks\[0\]\.pattern: Invalid regular expression/);
  await writeFile(file, JSON.stringify({ autolinks: [{ pattern: 'x', url: 'javascript:alert(1)' }] }));
  assert.throws(() => readAutolinkRules(file), /autolinks\[0\]\.url must start with https:\/\//);
  await writeFile(file, '{ "autolinks": [ }');
  assert.throws(() => readAutolinkRules(file), /not valid JSON/);
});

test('almanac import: bare URLs, www., CVE ids, illumos and configured references are links in the written Markdown', async () => {
  const folder = await temporaryDirectory();
  await writeFile(
    path.join(folder, 'almanac.config.json'),
    JSON.stringify({ autolinks: [{ pattern: '\\bOS-(\\d+)\\b', url: 'https://smartos.org/bugview/OS-$1' }] }),
  );
  const result = await almanac(['import', FIXTURE, '--source', 'zones', '--out', path.join(folder, 'content')], {
    cwd: folder,
  });
  assert.equal(result.code, 0, result.stderr);
  const { body } = parseDocument(
    await readFile(path.join(folder, 'content/zones/2021/03/patching-bhyve-escape.md'), 'utf8'),
  );
  for (const expected of [
    '[CVE-2021-3929](https://www.cve.org/CVERecord?id=CVE-2021-3929)',
    '[illumos #13702](https://www.illumos.org/issues/13702)',
    '[illumos issue 12345](https://www.illumos.org/issues/12345)',
    '[https://www.illumos.org/issues/13702](https://www.illumos.org/issues/13702). ',
    '[https://omnios.org/releasenotes.html#r151038](https://omnios.org/releasenotes.html#r151038)).',
    '[www.tribblix.org/relnotes.html](http://www.tribblix.org/relnotes.html)!',
    '[https://en.wikipedia.org/wiki/Bhyve\\_(hypervisor)](https://en.wikipedia.org/wiki/Bhyve_\\(hypervisor\\))',
    '[the gate, illumos #1](https://github.com/illumos/illumos-gate)',
    '[OS-8001](https://smartos.org/bugview/OS-8001)',
    'Questions to peter at example.org, or the list (lists at example.org).',
    '```\ncurl https://example.com/not-a-link CVE-2000-0001\n```',
  ])
    assert.ok(body.includes(expected), `missing ${expected} in:\n${body}`);
  assert.doesNotMatch(body, /mailto:|@example\.org/);

  // Read back as the site reads it: every one of those is a link node.
  const links: string[] = [];
  const walk = (node: { type: string; url?: string; children?: unknown[] }) => {
    if (node.type === 'link') links.push(node.url!);
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(markdownToMdast(body));
  assert.deepEqual(links, [
    'https://www.cve.org/CVERecord?id=CVE-2021-3929',
    'https://www.illumos.org/issues/13702',
    'https://www.illumos.org/issues/13702',
    'https://omnios.org/releasenotes.html#r151038',
    'https://www.illumos.org/issues/12345',
    'http://www.tribblix.org/relnotes.html',
    'https://en.wikipedia.org/wiki/Bhyve_(hypervisor)',
    'https://github.com/illumos/illumos-gate',
    'https://smartos.org/bugview/OS-8001',
  ]);

  // A second import changes nothing: the links are stable.
  const again = await almanac(['import', FIXTURE, '--source', 'zones', '--out', path.join(folder, 'content')], {
    cwd: folder,
  });
  assert.match(again.stdout, /0 written, 1 unchanged/);
});

test('on the built site: imported bare URLs, CVE ids and illumos references are <a href> links, no address is a mailto', async () => {
  const folder = await temporaryDirectory();
  const content = path.join(folder, 'content');
  assert.equal((await almanac(['import', FIXTURE, '--source', 'zones', '--out', content], { cwd: folder })).code, 0);
  const build = await almanac(['build', '--content', content, '--out', path.join(folder, 'site')], { cwd: folder });
  assert.equal(build.code, 0, `almanac build (the site's own command) failed:\n${build.stderr}`);
  const html = await readFile(path.join(folder, 'site/zones/2021/03/patching-bhyve-escape/index.html'), 'utf8');
  const anchors = new Map<string, string>();
  visit(unified().use(rehypeParse).parse(html), 'element', (element: Element) => {
    if (element.tagName === 'a' && typeof element.properties.href === 'string')
      anchors.set(toText(element), element.properties.href);
  });
  for (const [text, href] of [
    ['CVE-2021-3929', 'https://www.cve.org/CVERecord?id=CVE-2021-3929'],
    ['illumos #13702', 'https://www.illumos.org/issues/13702'],
    ['illumos issue 12345', 'https://www.illumos.org/issues/12345'],
    ['https://omnios.org/releasenotes.html#r151038', 'https://omnios.org/releasenotes.html#r151038'],
    ['www.tribblix.org/relnotes.html', 'http://www.tribblix.org/relnotes.html'],
    ['https://en.wikipedia.org/wiki/Bhyve_(hypervisor)', 'https://en.wikipedia.org/wiki/Bhyve_(hypervisor)'],
  ])
    assert.equal(anchors.get(text), href, text);
  assert.doesNotMatch(html, /mailto:|peter@example\.org/);
});
