/**
 * Conformance over the real Blogger exports of the shared corpus: each imports with exit 0,
 * one document per post and page (drafts included; deleted and trashed ones not), and the
 * text of every post survives (textFidelity: mean ≥ 99.9 %, none below 99 %).
 * The expected counts and original bodies are read with fast-xml-parser directly, not through
 * the importer under test.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { markdownFiles } from '../src/content/contentIndex.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { CORPUS, corpusMissing } from './helpers/corpus.ts';
import { textFidelity } from './helpers/textFidelity.ts';

interface OracleEntry {
  id: string;
  kind: string;
  published: boolean;
  html: string;
}

const oracleParser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['entry', 'category', 'link'].includes(name),
});

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return String((value as Record<string, unknown>)['#text'] ?? '');
  return String(value);
}

/** Every <entry> of a Blogger export, its kind and whether Blogger still published it. */
function oracle(file: string): OracleEntry[] {
  const feed = oracleParser.parse(readFileSync(file, 'utf8')).feed as { entry?: Record<string, unknown>[] };
  return (feed.entry ?? []).map((entry) => {
    const categories = (entry.category as Record<string, string>[] | undefined) ?? [];
    const classicKind = categories
      .map((category) => category['@_term'] ?? '')
      .find((term) => term.includes('/blogger/2008/kind#'))
      ?.split('#')[1];
    const status = textOf(entry.status).trim().toUpperCase();
    const removed = status === 'DELETED' || status === 'SOFT_TRASHED' || textOf(entry.trashed).trim() !== '';
    return {
      id: textOf(entry.id).trim(),
      kind: (classicKind ?? textOf(entry.type).trim()).toLowerCase(),
      published: !removed,
      html: textOf(entry.content),
    };
  });
}

const files = corpusMissing()
  ? []
  : readdirSync(path.join(CORPUS, 'blogger'))
      .filter((name) => /\.(xml|atom)$/.test(name))
      .sort();

test('every real Blogger export imports: one document per post and page, text intact', {
  skip: corpusMissing(),
}, async (t) => {
  const all: number[] = [];
  for (const name of files) {
    await t.test(name, async () => {
      const input = path.join(CORPUS, 'blogger', name);
      const out = await temporaryDirectory();
      const reportFile = path.join(out, 'report.json');
      const result = await almanac(['import', input, '--source', 'corpus', '--out', out, '--report', reportFile]);
      assert.equal(result.code, 0, result.stderr);
      const expected = oracle(input);
      const documentsExpected = expected.filter(
        (entry) => (entry.kind === 'post' || entry.kind === 'page') && entry.published,
      );
      const report = JSON.parse(await readFile(reportFile, 'utf8'));
      assert.equal(report.entries, expected.length, 'every <entry> of the input is accounted for');
      assert.equal(
        report.entries,
        report.written + report.unchanged + report.kept.length + report.comments + report.skipped.length,
      );

      const written = await markdownFiles(path.join(out, 'corpus'));
      assert.equal(written.length, documentsExpected.length, `documents written: ${written.join(', ')}`);
      const byId = new Map(expected.map((entry) => [entry.id, entry]));
      const skippedIds = new Set(report.skipped.map((skip: { id: string }) => skip.id));
      const commentsExpected = expected
        .filter((entry) => entry.kind === 'comment' && !skippedIds.has(entry.id))
        .map((entry) => entry.id);
      const commentsWritten: string[] = [];
      const ratios: string[] = [];
      for (const file of written) {
        const { data, body } = parseDocument(await readFile(path.join(out, 'corpus', file), 'utf8'));
        for (const comment of (data.comments as { id: string }[] | undefined) ?? []) commentsWritten.push(comment.id);
        const original = byId.get(String(data.original_id));
        assert.ok(
          original && documentsExpected.includes(original),
          `${file}: ${String(data.original_id)} is a published post or page of the input`,
        );
        const fidelity = textFidelity(original.html, body);
        all.push(fidelity.ratio);
        ratios.push(`${(fidelity.ratio * 100).toFixed(2)} % of ${fidelity.originalWords}`);
        assert.ok(
          fidelity.ratio >= 0.99,
          `${file}: only ${(fidelity.ratio * 100).toFixed(2)} % of the words survived; missing: ${fidelity.missing.slice(0, 20).join(' ')}`,
        );
      }
      assert.deepEqual(
        commentsWritten.sort(),
        commentsExpected.sort(),
        'every comment not reported as skipped stays with its post',
      );
      assert.equal(report.comments, commentsWritten.length);
      const mean = ratios.length
        ? all.slice(-written.length).reduce((sum, ratio) => sum + ratio, 0) / written.length
        : 1;
      t.diagnostic(
        `${name}: ${written.length} documents, mean text fidelity ${(mean * 100).toFixed(3)} % (per document: ${ratios.join('; ')})`,
      );
    });
  }
  const mean = all.reduce((sum, ratio) => sum + ratio, 0) / all.length;
  t.diagnostic(
    `text fidelity over the corpus: ${all.length} documents, mean ${(mean * 100).toFixed(3)} %, min ${(Math.min(...all) * 100).toFixed(3)} %`,
  );
  assert.ok(mean >= 0.999, `mean text fidelity ${(mean * 100).toFixed(3)} % is below 99.9 %`);
});

test('two posts with the same old address (x.html and x.html?m=1): one keeps it, the other is warned about and kept too', {
  skip: corpusMissing(),
}, async () => {
  const out = await temporaryDirectory();
  const result = await almanac([
    'import',
    path.join(CORPUS, 'blogger', 'blot-export-legacy.xml'),
    '--source',
    'legacy',
    '--out',
    out,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /^warning: post-2: has the same old address as post-1 \(https:\/\/example\.blogspot\.com\/2020\/01\/shared\.html\?m=1\)/m,
  );
  const redirects: string[] = [];
  for (const file of await markdownFiles(path.join(out, 'legacy'))) {
    const { data } = parseDocument(await readFile(path.join(out, 'legacy', file), 'utf8'));
    redirects.push(...((data.redirect_from as string[] | undefined) ?? []));
  }
  assert.equal(redirects.filter((redirect) => redirect === '/2020/01/shared.html').length, 1);
  assert.equal(new Set(redirects).size, redirects.length, 'no old path redirects to two documents');
});
