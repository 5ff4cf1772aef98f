/**
 * An import's last run: a digest of what it read (its inputs and settings, Almanac's own code, and
 * the content folder as the import left it) and what it reported. Importing exactly the same again
 * would parse every entry, render it, find its file unchanged and report just that, so the report
 * is given at once instead. Measured: re-importing an unchanged 5,000-post Blogger export took
 * 8.5 s, as long as importing it, and `almanac build` imports its configured sources every time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDirectory } from '../cacheDirectory.ts';
import { inputsDigest } from '../content/inputsDigest.ts';
import { codeDigest } from '../project.ts';
import type { ImportOptions, ImportReport } from './importSource.ts';

interface LastRun {
  inputs: string;
  content: string;
  report: Omit<ImportReport, 'files'>;
}

/** What an import reads besides the content folder: its input files, its settings, and the code that imports (src/project.ts's codeDigest). */
export function importInputs(options: ImportOptions, format: string, source: string): string {
  return inputsDigest(
    options.inputs.map((input) => path.resolve(input)),
    JSON.stringify([codeDigest(), format, source, options.oldBase ?? null, options.importerOptions ?? {}]),
  );
}

function contentDigest(out: string): string {
  return inputsDigest([path.resolve(out)], '');
}

/**
 * In the cache folder, not the content folder: the content folder is the user's, often kept in
 * git, and this record changes with every file's modification time.
 */
function runFile(out: string, source: string): string {
  return path.join(
    cacheDirectory(),
    `import-${createHash('sha256')
      .update(`${path.resolve(out)}\0${source}`)
      .digest('hex')
      .slice(0, 16)}.json`,
  );
}

/**
 * The report of an import that would change nothing (same inputs, same code, and the content
 * folder just as the last run of this import left it), or undefined when it must run: the last
 * run's, with every document it wrote or found unchanged now unchanged.
 */
export function unchangedSinceLastRun(out: string, source: string, inputs: string): ImportReport | undefined {
  let last: LastRun;
  try {
    last = JSON.parse(readFileSync(runFile(out, source), 'utf8')) as LastRun;
  } catch {
    return undefined;
  }
  if (last.inputs !== inputs || typeof last.report?.written !== 'number' || last.content !== contentDigest(out))
    return undefined;
  return {
    ...last.report,
    out,
    written: 0,
    unchanged: last.report.written + last.report.unchanged,
    files: [],
    upToDate: true,
  };
}

/** Records this run for the next one to compare with (not for dry runs, which write nothing). */
export function recordRun(out: string, inputs: string, report: ImportReport): void {
  // Field by field: `files` is made when first read, and a large import's list is tens of megabytes.
  const { source, format, entries, written, unchanged, comments, kept, skipped, warnings } = report;
  const run: LastRun = {
    inputs,
    content: contentDigest(out),
    report: { source, format, out, entries, written, unchanged, comments, kept, skipped, warnings },
  };
  const file = runFile(out, report.source);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(run));
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A cache folder that cannot be written costs the next import its shortcut, nothing else.
  }
}
