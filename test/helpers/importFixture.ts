import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from '../../src/content/frontmatter.ts';
import { almanac, temporaryDirectory } from './cli.ts';

export interface ImportedReport {
  entries: number;
  written: number;
  comments: number;
  format: string;
  skipped: { id: string; reason: string }[];
  warnings: { id?: string; message: string }[];
}

/** `almanac import` of fixtures into a fresh folder: it must succeed; its report, files and documents to read. */
export async function importFixture(inputs: string[], source: string, extra: string[] = []) {
  const out = await temporaryDirectory();
  const reportFile = path.join(out, 'report.json');
  const result = await almanac([
    'import',
    ...inputs,
    '--source',
    source,
    '--out',
    out,
    '--report',
    reportFile,
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as ImportedReport;
  const read = async (file: string) => parseDocument(await readFile(path.join(out, source, file), 'utf8'));
  const files = async () =>
    (await readdir(path.join(out, source), { recursive: true })).filter((file) => file.endsWith('.md')).sort();
  return { out, report, read, files, stdout: result.stdout, stderr: result.stderr };
}
