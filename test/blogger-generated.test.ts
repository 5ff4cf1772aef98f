/**
 * The benchmark's generated backup (bench/generate/blogger.ts) as a conformance input too:
 * hundreds of editor-shaped posts (breaks as paragraphs, listings, tables, images in links,
 * links between posts, threaded comments), every word kept and every link to a post rewritten.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { bloggerBackup } from '../bench/generate/blogger.ts';
import { markdownFiles } from '../src/content/contentIndex.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { textFidelity } from './helpers/textFidelity.ts';

test('generated backup: 300 posts, 150 comments, text intact, links between posts rewritten', async (t) => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog-01-01-2020.xml');
  const xml = bloggerBackup({ posts: 300, comments: 150, seed: 7 });
  await import('node:fs/promises').then(({ writeFile }) => writeFile(input, xml));
  assert.equal(bloggerBackup({ posts: 300, comments: 150, seed: 7 }), xml, 'the generator is deterministic');
  const result = await almanac(['import', input, '--source', 'bench', '--out', dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /bench: 454 entries \(blogger\) .*300 written, 0 unchanged, 4 skipped, 150 comments/);

  const feed = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => name === 'entry',
  }).parse(xml).feed;
  const html = new Map<string, string>(
    feed.entry.map((entry: { id: string; content: { '#text': string } }) => [entry.id.trim(), entry.content['#text']]),
  );
  const ratios: number[] = [];
  let rewritten = 0;
  for (const file of await markdownFiles(path.join(dir, 'bench'))) {
    const { data, body } = parseDocument(await readFile(path.join(dir, 'bench', file), 'utf8'));
    const fidelity = textFidelity(html.get(String(data.original_id))!, body);
    ratios.push(fidelity.ratio);
    assert.ok(
      fidelity.ratio >= 0.99,
      `${file}: ${(fidelity.ratio * 100).toFixed(2)} %; missing ${fidelity.missing.slice(0, 10).join(' ')}`,
    );
    assert.doesNotMatch(
      body,
      /\]\(https?:\/\/bench-blog\.blogspot\.com\//,
      `${file}: a link to another post of the blog was left pointing at Blogger`,
    );
    rewritten += body.match(/\]\(\/bench\/\d{4}\/\d{2}\//g)?.length ?? 0;
  }
  const mean = ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
  t.diagnostic(
    `generated backup: ${ratios.length} documents, mean text fidelity ${(mean * 100).toFixed(3)} %, min ${(Math.min(...ratios) * 100).toFixed(3)} %, ${rewritten} links rewritten`,
  );
  assert.ok(mean >= 0.999);
  assert.ok(rewritten > 100);
});
