import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkRedirects, type CheckedMap } from './checks.ts';
import { buildCandidateMap, type MapOptions, type SourceSummary } from './map.ts';
import { compileDbm, DBM_FILE, findHttxt2dbm, MAP_FILE } from './writers/apache.ts';
import { REFRESH_MARK } from './writers/html.ts';
import { writers } from './writers/index.ts';
import { writeFileAtomic } from '../write/atomicWrite.ts';
import { CheckFailed, UsageError } from '../errors.ts';

export interface RedirectMapOptions extends MapOptions {
  /** A built site: targets must exist there as files too. */
  siteDir?: string;
}

/** The checked redirect map of a content folder: what every writer and verify-redirects start from. */
export async function redirectMap(
  contentDir: string,
  options: RedirectMapOptions = {},
): Promise<CheckedMap & { sources: SourceSummary[]; pages: ReadonlySet<string> }> {
  const candidates = await buildCandidateMap(contentDir, options);
  const checked = await checkRedirects(candidates.candidates, {
    pages: candidates.pages,
    siteDir: options.siteDir,
    shadowing: options.source === undefined,
  });
  return {
    ...checked,
    warnings: [...candidates.warnings, ...checked.warnings],
    sources: candidates.sources,
    pages: candidates.pages,
  };
}

export interface WrittenRedirects {
  /** Absolute paths of the files written. */
  files: string[];
  warnings: string[];
  notes: string[];
}

/**
 * Writes one format into `outDir` (a folder) or `outFile` (formats of one file). For `apache` the
 * txt map is compiled to dbm when httxt2dbm is installed; for `html` a file that is not a refresh
 * page of ours (a real page) is never replaced.
 */
export async function writeRedirects(
  format: string,
  redirects: CheckedMap['redirects'],
  target: { outDir: string; outFile?: string; serverDir?: string; pages?: ReadonlySet<string> },
): Promise<WrittenRedirects> {
  const writer = writers[format];
  if (!writer) throw new Error(`unknown redirect format ${format}`);
  const httxt2dbm = format === 'apache' ? await findHttxt2dbm() : undefined;
  const serverDir = path.resolve(target.serverDir ?? target.outDir);
  const result = writer.write(redirects, { serverDir, apacheMapType: httxt2dbm ? 'dbm' : 'txt', pages: target.pages });
  const written: string[] = [];
  const warnings = [...result.warnings];
  for (const file of result.files) {
    const [root, relative] =
      target.outFile && !writer.writesFolder
        ? [path.dirname(target.outFile), path.basename(target.outFile)]
        : [target.outDir, file.path];
    if (format === 'html') {
      const existing = await readFile(path.join(root, relative), 'utf8').catch(() => undefined);
      if (existing !== undefined && !existing.includes(REFRESH_MARK)) {
        warnings.push(`html: ${relative} is a page of the site; no refresh page written over it`);
        continue;
      }
    }
    try {
      written.push(await writeFileAtomic(root, relative, file.content));
    } catch (error) {
      warnings.push(`${format}: ${relative} not written: ${(error as Error).message}`);
    }
  }
  if (httxt2dbm) {
    const txt = path.join(target.outDir, MAP_FILE);
    await compileDbm(httxt2dbm, txt, path.join(target.outDir, DBM_FILE));
    written.push(path.resolve(target.outDir, DBM_FILE));
  }
  return { files: written, warnings, notes: result.notes };
}

/** The redirect map of `content`, its warnings said on standard error; CheckFailed, with each error said, when it has errors. */
export async function checkedRedirectMap(
  content: string,
  options: RedirectMapOptions,
): Promise<Awaited<ReturnType<typeof redirectMap>>> {
  const map = await redirectMap(content, { source: options.source, siteDir: options.siteDir });
  for (const warning of map.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (map.errors.length > 0) {
    for (const error of map.errors) process.stderr.write(`error: ${error}\n`);
    throw new CheckFailed(`${map.errors.length} problem(s) in the redirect map of ${content}; nothing written`);
  }
  return map;
}

export interface RedirectFilesOptions extends RedirectMapOptions {
  format: string;
  content: string;
  /** A file for one-file formats, a folder for the others. */
  out: string;
  serverDir?: string;
  /** How a written file is named in the summary line: `almanac build` writes into a new folder it swaps in afterwards. */
  shownAs?: (file: string) => string;
}

/**
 * The checked map of `content` written as `format` into `out` (`almanac redirects --out`, and
 * `almanac build` for the formats its config lists), saying what it wrote: warnings and next steps
 * on standard error, the summary line on standard output. Throws CheckFailed when the map has errors: nothing is written then.
 */
export async function writeRedirectFiles(options: RedirectFilesOptions): Promise<void> {
  const writer = writers[options.format];
  if (!writer)
    throw new UsageError(`unknown format "${options.format}"; use one of ${Object.keys(writers).join(', ')}`);
  const map = await checkedRedirectMap(options.content, options);
  const { out } = options;
  const written = await writeRedirects(
    writer.name,
    map.redirects,
    writer.writesFolder
      ? { outDir: out, serverDir: options.serverDir, pages: map.pages }
      : { outDir: path.dirname(out), outFile: out, pages: map.pages },
  );
  for (const warning of written.warnings) process.stderr.write(`warning: ${warning}\n`);
  for (const note of written.notes) process.stderr.write(`next: ${note}\n`);
  const shown = options.shownAs ?? ((file: string) => file);
  const files =
    written.files.length > 3
      ? `${written.files.length} files in ${shown(path.resolve(out))}`
      : written.files.map(shown).join(', ');
  process.stdout.write(
    `redirects: ${map.redirects.length} old URLs as ${writer.name} → ${files}${summaryTail(map.warnings.length + written.warnings.length)}\n`,
  );
}

export function summaryTail(warnings: number): string {
  return warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'} above)` : '';
}
