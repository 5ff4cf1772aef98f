import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'mdast';
import { OldUrlIndex, scanContent } from '../content/contentIndex.ts';
import { markdownToMdast, mdastToMarkdown } from '../convert/markdown.ts';
import rewriteOldLinks from '../pipeline/rewriteOldLinks.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { parseDocument, stringifyDocument } from './frontmatter.ts';
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
  const { documents } = await scanContent(options.out);
  const oldUrls = options.oldUrls ?? new OldUrlIndex();
  if (!options.oldUrls) oldUrls.addDocuments(documents);
  const report: RelinkReport = { files: [], kept: [], documents: documents.length };
  const states = new Map<string, { state: ImportState; byFile: Map<string, string>; changed: boolean }>();

  for (const document of documents) {
    const source = document.file.split('/')[0];
    const sourceDir = path.join(options.out, source);
    let known = states.get(source);
    if (!known) {
      const state = await readImportState(sourceDir, source, 'unknown');
      known = { state, byFile: new Map(Object.entries(state.documents).map(([id, record]) => [record.file, id])), changed: false };
      states.set(source, known);
    }
    const relative = path.posix.relative(source, document.file);
    const id = known.byFile.get(relative);
    // Written by hand (no import wrote it): never touched.
    if (id === undefined) continue;
    const text = await readFile(path.join(options.out, document.file), 'utf8');
    const base = typeof document.data.original_url === 'string' ? document.data.original_url : undefined;
    if (!mayNeedRelinking(text, oldUrls, base)) continue;
    const relinked = relinkDocument(text, oldUrls, base);
    if (relinked === text) continue;
    const record = known.state.documents[id];
    if (record.digest !== sha256(text)) {
      report.kept.push({ file: path.join(options.out, document.file), reason: 'edited by hand since its import; its links to newly imported documents were not rewritten' });
      continue;
    }
    if (!options.dryRun) await writeFileAtomic(sourceDir, relative, relinked);
    known.state.documents[id] = { ...record, digest: sha256(relinked) };
    known.changed = true;
    report.files.push(path.join(options.out, document.file));
  }
  if (!options.dryRun) {
    for (const [source, { state, changed }] of states) if (changed) await writeImportState(path.join(options.out, source), state);
  }
  return report;
}

function mayNeedRelinking(text: string, oldUrls: OldUrlIndex, base: string | undefined): boolean {
  for (const match of text.matchAll(DESTINATIONS)) {
    const url = match[1] ?? match[2] ?? match[3];
    if (!url || url.startsWith('/') && !base) continue;
    const target = oldUrls.resolve(url.replace(/\\(.)/g, '$1'), base);
    if (target !== undefined && target !== url) return true;
  }
  return false;
}

/** The document with its body's and its comments' links rewritten; the same text when nothing changes. */
export function relinkDocument(text: string, oldUrls: OldUrlIndex, base: string | undefined): string {
  const { data, body } = parseDocument(text);
  let changed = false;
  const rewrite = (markdown: string): string => {
    const tree = markdownToMdast(markdown);
    const before = JSON.stringify(urlsOf(tree));
    rewriteOldLinks({ resolve: (url, from) => oldUrls.resolve(url, from), base })(tree);
    if (JSON.stringify(urlsOf(tree)) === before) return markdown;
    changed = true;
    return mdastToMarkdown(tree).trimEnd();
  };
  const newBody = rewrite(body.trimEnd());
  if (Array.isArray(data.comments)) {
    data.comments = data.comments.map((comment: unknown) =>
      comment && typeof comment === 'object' && typeof (comment as { body?: unknown }).body === 'string' ? { ...comment, body: rewrite((comment as { body: string }).body) } : comment,
    );
  }
  return changed ? stringifyDocument(data, newBody) : text;
}

function urlsOf(tree: Root): string[] {
  const urls: string[] = [];
  const walk = (node: { type: string; url?: string; children?: unknown[] }) => {
    if ((node.type === 'link' || node.type === 'definition') && node.url !== undefined) urls.push(node.url);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(tree as never);
  return urls;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hook at the end of every import: earlier imports' links to this one's documents now point at them. */
export async function relinkEarlierImports(options: { out: string; dryRun?: boolean }, oldUrls: OldUrlIndex, report: { files: string[]; warnings: { id?: string; message: string }[] }): Promise<void> {
  const relinked = await relinkContent({ out: options.out, oldUrls, dryRun: options.dryRun });
  report.files.push(...relinked.files.filter((file) => !report.files.includes(file)));
  for (const kept of relinked.kept) report.warnings.push({ message: `${kept.file}: ${kept.reason}` });
}
