import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { markdownFiles, OldUrlIndex, scanContent } from '../content/contentIndex.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { parseDocument } from '../content/frontmatter.ts';
import { readImportState, writeImportState, type ImportState } from './importState.ts';

/**
 * Links of earlier imports to documents imported since: a post of one blog that linked to another
 * blog's old address points at that post's new permalink once both are imported, whichever came
 * first. Only documents an import wrote and nobody edited since (their digest in the import state
 * still matches) are rewritten, atomically, with their digest updated so the next import does not
 * take them for hand edits. Hand-written documents are never touched. Running it twice changes nothing.
 */

export interface RelinkOptions {
  /** The content folder. */
  out: string;
  /** Where old URLs live now; built from everything under `out` when not given (an import passes its own). */
  oldUrls?: OldUrlIndex;
  /** Documents (paths under `out`) already rendered against all of `oldUrls`, so not read at all; only with `oldUrls`. */
  upToDate?: (file: string) => boolean;
  dryRun?: boolean;
}

export interface RelinkReport {
  /** Documents whose links were rewritten (paths under `out`). */
  files: string[];
  /** Documents with links to rewrite that were left alone because they were edited by hand. */
  kept: { file: string; reason: string }[];
  /** Documents looked at. */
  documents: number;
}

/** `[text](url`, `<url>` and `[label]: url` destinations: a cheap test of whether a document can need relinking at all. */
const DESTINATIONS = /\]\(\s*<?([^\s)>]+)|<(https?:\/\/[^\s>]+)>|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;

export async function relinkContent(options: RelinkOptions): Promise<RelinkReport> {
  let files: string[];
  let oldUrls = options.oldUrls;
  if (oldUrls) {
    // An import hands its index: no frontmatter needs reading to build one (profiled: re-reading 20,000 just-written messages was 3 % of an import).
    const { upToDate } = options;
    files = await markdownFiles(options.out, upToDate && ((file) => !upToDate(file)));
  } else {
    const { documents } = await scanContent(options.out);
    oldUrls = new OldUrlIndex();
    oldUrls.addDocuments(documents);
    files = documents.map((document) => document.file);
  }
  const report: RelinkReport = { files: [], kept: [], documents: files.length };
  const states = new Map<string, { state: ImportState; byFile: Map<string, string>; changed: boolean }>();

  for (const file of files) {
    const source = file.split('/')[0];
    const sourceDir = path.join(options.out, source);
    let known = states.get(source);
    if (!known) {
      const state = await readImportState(sourceDir, source, 'unknown');
      known = {
        state,
        byFile: new Map(Object.entries(state.documents).map(([id, record]) => [record.file, id])),
        changed: false,
      };
      states.set(source, known);
    }
    const relative = path.posix.relative(source, file);
    const id = known.byFile.get(relative);
    // Written by hand (no import wrote it): never touched.
    if (id === undefined) continue;
    const text = await readFile(path.join(options.out, file), 'utf8');
    if (text.search(DESTINATIONS) === -1) continue;
    let base: string | undefined;
    try {
      const { data } = parseDocument(text);
      base = typeof data.original_url === 'string' ? data.original_url : undefined;
    } catch {
      continue; // unreadable frontmatter: not a document to rewrite
    }
    if (!mayNeedRelinking(text, oldUrls, base)) continue;
    // Loaded for the first document to rewrite: most imports have none, and remark is a fifth of start-up.
    const { relinkDocument } = await import('./relinkDocument.ts');
    const relinked = relinkDocument(text, oldUrls, base);
    if (relinked === text) continue;
    const record = known.state.documents[id];
    if (record.digest !== sha256(text)) {
      report.kept.push({
        file: path.join(options.out, file),
        reason: 'edited by hand since its import; its links to newly imported documents were not rewritten',
      });
      continue;
    }
    if (!options.dryRun) await writeFileAtomic(sourceDir, relative, relinked);
    known.state.documents[id] = { ...record, digest: sha256(relinked) };
    known.changed = true;
    report.files.push(path.join(options.out, file));
  }
  if (!options.dryRun) {
    for (const [source, { state, changed }] of states)
      if (changed) await writeImportState(path.join(options.out, source), state);
  }
  return report;
}

function mayNeedRelinking(text: string, oldUrls: OldUrlIndex, base: string | undefined): boolean {
  for (const match of text.matchAll(DESTINATIONS)) {
    const url = match[1] ?? match[2] ?? match[3];
    if (!url || (url.startsWith('/') && !base)) continue;
    const target = oldUrls.resolve(url.replace(/\\(.)/g, '$1'), base);
    if (target !== undefined && target !== url) return true;
  }
  return false;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hook at the end of every import: earlier imports' links to this one's documents now point at them. Returns the files rewritten that `isListed` does not already list. */
export async function relinkEarlierImports(
  options: { out: string; dryRun?: boolean },
  oldUrls: OldUrlIndex,
  report: { warnings: { id?: string; message: string }[] },
  upToDate?: (file: string) => boolean,
  isListed?: (file: string) => boolean,
): Promise<string[]> {
  const relinked = await relinkContent({ out: options.out, oldUrls, dryRun: options.dryRun, upToDate });
  for (const kept of relinked.kept) report.warnings.push({ message: `${kept.file}: ${kept.reason}` });
  return isListed ? relinked.files.filter((file) => !isListed(file)) : relinked.files;
}
