/**
 * Conformance on the real feeds of the shared corpus: each imports with exit 0, every entry of the
 * input is accounted for (written or reported), and the text survives (words in order, ≥ 99.9 %
 * mean, no entry below 99 %). The malformed Medium mock gives one line with line:column and exit 1.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { importerFor, sniffFormat } from '../importers/index.ts';
import type { ImportContext } from '../importers/importer.ts';
import { scanContent } from '../src/content/contentIndex.ts';
import type { Entry } from '../src/model.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { corpusFile, corpusMissing } from './helpers/corpus.ts';
import { textFidelity } from './helpers/textFidelity.ts';

/** Each real feed, the format it must be sniffed as, and how many entries (`<entry>`/`<item>`) it holds. */
const FEEDS: [file: string, format: string, entries: number][] = [
  ['feedjira-SamRuby.xml', 'atom', 20],
  ['feedjira-TypePadNews.xml', 'atom', 10],
  ['rsparser-4fsodonline.atom', 'atom', 25],
  ['rsparser-allthis.atom', 'rss', 12],
  ['rsparser-natasha.xml', 'rss', 10],
  ['rsparser-russcox.atom', 'atom', 19],
  ['rsparser-scriptingNews.rss', 'rss', 50],
  ['rss-parser-encoding.rss', 'rss', 40],
  ['rss-parser-feedburner.atom', 'atom', 25],
];

const quietContext: ImportContext = { source: 'corpus', options: {}, warn() {}, skip() {}, progress() {} };

async function entriesOf(file: string, format: string): Promise<Entry[]> {
  const found: Entry[] = [];
  for await (const entry of importerFor(format).entries([file], quietContext)) found.push(entry);
  return found;
}

const ratios: number[] = [];

for (const [name, format, count] of FEEDS) {
  test(`${name}: sniffed as ${format}, every entry accounted for, text kept`, { skip: corpusMissing() }, async () => {
    const file = corpusFile('feeds', name);
    assert.equal(await sniffFormat(file), format);
    const raw = await readFile(file, 'latin1');
    assert.equal(
      (raw.match(format === 'atom' ? /<entry[\s>]/g : /<item[\s>]/g) ?? []).length,
      count,
      'the corpus file changed',
    );

    const out = await temporaryDirectory();
    const reportFile = path.join(out, 'report.json');
    const result = await almanac(['import', file, '--source', 'corpus', '--out', out, '--report', reportFile]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    assert.equal(report.format, format);
    assert.equal(report.entries, count, 'every entry of the input is written, a comment, or reported as skipped');
    assert.equal(report.written + report.comments + report.skipped.length, count);

    const { documents } = await scanContent(out);
    assert.equal(documents.length, report.written);
    const bodies = new Map<string, string>();
    for (const document of documents) {
      const { data, body } = parseDocument(await readFile(path.join(out, document.file), 'utf8'));
      assert.equal(typeof data.title, 'string');
      assert.match(
        String(data.date),
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
        `${document.file}: date with offset`,
      );
      bodies.set(String(data.original_id), body);
    }
    const low: string[] = [];
    const fileRatios: number[] = [];
    for (const entry of await entriesOf(file, format)) {
      const markdown = bodies.get(entry.originalId);
      assert.ok(markdown !== undefined, `${entry.originalId} was written`);
      // An inline <svg> is a drawing (Sam Ruby's "W" logo), not words the author wrote: it is not counted.
      const html =
        entry.body.type === 'html'
          ? entry.body.value.replace(/<svg[\s>][\s\S]*?<\/svg>/g, '')
          : String(entry.body.value).replace(/&/g, '&amp;').replace(/</g, '&lt;');
      const fidelity = textFidelity(html, markdown);
      ratios.push(fidelity.ratio);
      fileRatios.push(fidelity.ratio);
      if (fidelity.ratio < 0.99)
        low.push(
          `${entry.originalId}: ${(fidelity.ratio * 100).toFixed(2)} % of the words kept; missing: ${fidelity.missing.slice(0, 20).join(' ')}`,
        );
    }
    const mean = fileRatios.reduce((sum, ratio) => sum + ratio, 0) / fileRatios.length;
    process.stderr.write(
      `${name}: ${report.entries} entries, ${report.written} written, ${report.comments} comments, ${report.skipped.length} skipped, ${report.warnings.length} warnings; fidelity mean ${(mean * 100).toFixed(3)} %, lowest ${(Math.min(...fileRatios) * 100).toFixed(2)} %\n`,
    );
    assert.deepEqual(low, [], 'no entry below 99 %');
  });
}

test('the real feeds keep ≥ 99.9 % of their words on average', { skip: corpusMissing() }, () => {
  assert.ok(ratios.length > 0);
  const mean = ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
  process.stderr.write(
    `feed corpus: ${ratios.length} entries, mean text fidelity ${(mean * 100).toFixed(3)} %, lowest ${(Math.min(...ratios) * 100).toFixed(2)} %\n`,
  );
  assert.ok(mean >= 0.999, `mean text fidelity ${(mean * 100).toFixed(3)} %`);
});

test('the malformed Medium mock is one line with line:column, exit 1, nothing written', {
  skip: corpusMissing(),
}, async () => {
  const out = await temporaryDirectory();
  const file = corpusFile('feeds', 'jekyll-import-medium_feed.xml');
  const result = await almanac(['import', file, '--out', out]);
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /jekyll-import-medium_feed\.xml:31:\d+: broken XML/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  assert.deepEqual((await scanContent(out)).documents, []);
});
