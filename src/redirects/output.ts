import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkRedirects, type CheckedMap } from './checks.ts';
import { buildCandidateMap, type MapOptions, type SourceSummary } from './map.ts';
import { compileDbm, DBM_FILE, findHttxt2dbm, MAP_FILE } from './writers/apache.ts';
import { REFRESH_MARK } from './writers/html.ts';
import { writers } from './writers/index.ts';
import { writeFileAtomic } from '../write/atomicWrite.ts';

export interface RedirectMapOptions extends MapOptions {
  /** A built site: targets must exist there as files too. */
  siteDir?: string;
}

/** The checked redirect map of a content folder: what every writer and verify-redirects start from. */
export async function redirectMap(contentDir: string, options: RedirectMapOptions = {}): Promise<CheckedMap & { sources: SourceSummary[]; pages: ReadonlySet<string> }> {
  const candidates = await buildCandidateMap(contentDir, options);
  const checked = await checkRedirects(candidates.candidates, { pages: candidates.pages, siteDir: options.siteDir, shadowing: options.source === undefined });
  return { ...checked, warnings: [...candidates.warnings, ...checked.warnings], sources: candidates.sources, pages: candidates.pages };
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
export async function writeRedirects(format: string, redirects: CheckedMap['redirects'], target: { outDir: string; outFile?: string; serverDir?: string; pages?: ReadonlySet<string> }): Promise<WrittenRedirects> {
  const writer = writers[format];
  if (!writer) throw new Error(`unknown redirect format ${format}`);
  const httxt2dbm = format === 'apache' ? await findHttxt2dbm() : undefined;
  const serverDir = path.resolve(target.serverDir ?? target.outDir);
  const result = writer.write(redirects, { serverDir, apacheMapType: httxt2dbm ? 'dbm' : 'txt', pages: target.pages });
  const written: string[] = [];
  const warnings = [...result.warnings];
  for (const file of result.files) {
    const [root, relative] = target.outFile && !writer.writesFolder ? [path.dirname(target.outFile), path.basename(target.outFile)] : [target.outDir, file.path];
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
