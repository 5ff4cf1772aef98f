/**
 * Conformance on real exports and archives that other projects ship as test data (the files are
 * never in this repository: test/real-corpus/SOURCES.md says where each comes from). Each file is
 * imported with the real CLI and checked against an independent reader, Python's standard library
 * (test/helpers/realCorpusReader.py): every entry it finds is a document, a comment or a reported
 * skip; titles, authors and dates agree; at least 99 % of each entry's words survive, in order.
 * Files Almanac must refuse (a WordPress export today) expect one clear line and exit 1.
 *
 * The files are looked for in $ALMANAC_REAL_CORPUS, ../shared/corpus/real, then ../real-corpus.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { textFidelity } from './helpers/textFidelity.ts';

interface ManifestFile {
  /** Relative to the corpus folder. */
  path: string;
  /** The format Almanac must sniff (or is told with --format in options). */
  format: string;
  /** The independent reader's format, where it differs from `format`. */
  reader?: string;
  /** Extra import options (--old-base, --format, …). */
  options?: string[];
  /** Almanac must refuse the file: exit 1 and one line matching this. */
  error?: string;
  /** The right number of entries where Python's reader is known to count wrong (and why, in notes). */
  entries?: number;
  /** Pipermail: "NNNNNN<TAB>Message-ID" rows from the archive's own pages; each message must redirect from its old URL. */
  pages?: string;
  /** Pipermail: the archive numbered a message the .txt does not hold; page numbers are checked below this one only (why: `pagesGap`). */
  pagesCheckedBelow?: string;
  pagesGap?: string;
  /** Indexes of the reader's entries that are artefacts of its own splitting (why, in notes). */
  ignoreReaderEntries?: number[];
  notes?: string;
}

interface ReaderEntry {
  id: string | null;
  kind: string;
  draft?: boolean;
  title: string | null;
  author: string | null;
  address?: string | null;
  date: string | null;
  dateNaive?: boolean;
  envelopeDate?: string | null;
  /** Mail: the first <id> of In-Reply-To. */
  inReplyTo?: string | null;
  html: string;
}

interface Report {
  format: string;
  entries: number;
  written: number;
  unchanged: number;
  comments?: number;
  skipped: { id: string; reason: string }[];
  warnings: unknown[];
  files: string[];
}

const MANIFEST = path.join(ROOT, 'test/real-corpus/manifest.json');
const READER = path.join(ROOT, 'test/helpers/realCorpusReader.py');
const MIN_RECALL = 0.99;

const candidates = [
  process.env.ALMANAC_REAL_CORPUS,
  path.resolve(ROOT, '../shared/corpus/real'),
  path.resolve(ROOT, '../real-corpus'),
].filter((dir): dir is string => Boolean(dir));
const corpus = candidates.find((dir) => existsSync(dir));
const missing = corpus
  ? false
  : `the real corpus is in none of ${candidates.join(', ')}; set ALMANAC_REAL_CORPUS to run these tests`;
if (missing) process.stderr.write(`real-corpus: skipped — ${missing}\n`);

const manifest: { files: ManifestFile[] } = JSON.parse(await readFile(MANIFEST, 'utf8'));
const run = promisify(execFile);

async function readWithPython(
  format: string,
  file: string,
): Promise<{ count: number; entries: ReaderEntry[]; notes: string[] }> {
  const { stdout } = await run('python3', [READER, format, file], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout);
}

/** Titles compare without list tags (`[list] `), runs of spaces or surrounding space. */
function normalTitle(title: unknown): string {
  return String(title ?? '')
    .replace(/^(\s*\[[^\]]*\])+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Names compare without surrounding quotes or runs of spaces (`"Doe, Jane"` is `Doe, Jane`). */
function normalName(name: unknown): string {
  return String(name ?? '')
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .replace(/\s+/g, ' ');
}

/** The wall-clock part of an ISO date, for dates given without a zone. */
function wallClock(iso: string): string {
  return iso.slice(0, 19);
}

const ADDRESS =
  /(?<![/\w.-])(?:<|&lt;|\(|\[)?(?:[a-z]+:)?(?:[\w.+=-]+@[\w-]+(?:\.[\w-]+)+|\b[\w.+=-]+ at [\w-]+(?:\.[\w-]+)+)(?:>|&gt;|\)|\])?/gi;

/** The entry's text as HTML, with mail addresses (and their `<…>`, `(…)`, `[…]`, `mailto:` or `sip:`; not inside a URL) removed: Almanac leaves them out on purpose. */
function originalHtml(entry: ReaderEntry, mail: boolean): string {
  // Layout Almanac drops on purpose: a highlighter's line-number gutter; Pipermail's " at " inside a URL, which Almanac turns back into "@".
  // An Octopress caption's file name and its link stand side by side (`<span>404/index</span><a>link</a>`): two words, as Almanac writes them.
  if (!mail)
    return entry.html
      .replace(/<td class="(?:gutter|rouge-gutter[^"]*)">[\s\S]*?<\/td>/g, ' ')
      .replace(/(<figcaption>[\s\S]*?<\/span>)(<a )/g, '$1 $2');
  return entry.html
    .replace(/((?:<|&lt;)(?:https?|ftp):\/\/[^<>\s]*?) at ([^<>\s]+?(?:>|&gt;))/g, '$1@$2')
    .replace(ADDRESS, ' ');
}

/** A `<url>` is a URL between delimiters (RFC 3986 appendix C), in a code block or not: the reader drops them too. */
function withoutUrlBrackets(markdown: string): string {
  return markdown.replace(/<((?:https?|ftp|mailto):[^<>\s]+)>/g, '$1');
}

/** Link and image targets in Markdown (inline links, autolinks aside) and in raw HTML left in it; code is not looked at. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  markdown = markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
  for (const match of markdown.matchAll(/\]\(\s*<?([^)\s>]+)/g)) targets.push(match[1]!);
  for (const match of markdown.matchAll(/(?<!\\)<[a-z][a-z0-9]*\s[^>]*?(?:href|src)="([^"]+)"/gi))
    targets.push(match[1]!);
  return targets;
}

/** A target that works after the move: absolute (or protocol-relative), in-page, or one of the new permalinks of this source. */
function resolved(target: string, source: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:/i.test(target) ||
    target.startsWith('//') ||
    target.startsWith('#') ||
    target.startsWith(`/${source}/`)
  );
}

/** A valid source id (lower case) that says which file it came from. */
function sourceId(file: string): string {
  return `rc-${file.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 60).replace(/-+$/, '');
}

describe('real corpus: each file against an independent reader', { concurrency: 2 }, () => {
  it('every file of the corpus has a manifest entry, and every entry a file', { skip: missing }, async () => {
    const listed = new Set(manifest.files.flatMap((file) => (file.pages ? [file.path, file.pages] : [file.path])));
    const found: string[] = [];
    for (const kind of await readdir(corpus!, { withFileTypes: true })) {
      if (!kind.isDirectory()) continue;
      for (const entry of await readdir(path.join(corpus!, kind.name), { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) found.push(path.relative(corpus!, path.join(entry.parentPath, entry.name)));
      }
    }
    assert.deepEqual(
      found.filter((file) => !listed.has(file)),
      [],
      'files without a manifest entry',
    );
    assert.deepEqual(
      [...listed].filter((file) => !found.includes(file)),
      [],
      'manifest entries without a file',
    );
  });

  for (const item of manifest.files) {
    const given = item.options?.length ? ` ${item.options.join(' ')}` : '';
    const title = item.error
      ? `${item.path}${given}: refused with one clear line`
      : `${item.path}${given}: as ${item.format}, every entry accounted for, same titles, authors, dates and words`;
    it(title, { skip: missing }, async () => {
      const file = path.join(corpus!, item.path);
      if (!existsSync(file)) return assert.fail(`${item.path} is in the manifest but not in ${corpus}`);
      const out = await temporaryDirectory('almanac-real-corpus-');
      const reportFile = path.join(out, 'report.json');
      const source = sourceId(item.path);
      const command = [
        'import',
        file,
        '--source',
        source,
        '--out',
        out,
        '--report',
        reportFile,
        ...(item.options ?? []),
      ];
      const shown = `node bin/almanac.js ${command.map((part) => (part === file ? `"$ALMANAC_REAL_CORPUS/${item.path}"` : part)).join(' ')}`;
      const result = await almanac(command);

      if (item.error) {
        assert.equal(
          result.code,
          1,
          `${shown}\nexit ${result.code}, expected 1 (a clear refusal); stderr: ${result.stderr.slice(0, 300)}`,
        );
        const lines = result.stderr.trim().split('\n');
        assert.equal(lines.length, 1, `${shown}\none line expected, got:\n${result.stderr.slice(0, 600)}`);
        assert.match(lines[0]!, new RegExp(item.error, 'i'), shown);
        return;
      }

      assert.equal(result.code, 0, `${shown}\nexit ${result.code}: ${result.stderr.slice(0, 600)}`);
      const report: Report = JSON.parse(await readFile(reportFile, 'utf8'));
      const reader = item.reader ?? item.format;
      const python = await readWithPython(reader, file);
      const expected = item.entries ?? python.count;
      const problems: string[] = [];
      if (report.format !== item.format) problems.push(`sniffed as ${report.format}, expected ${item.format}`);

      const documents = await Promise.all(
        report.files
          .filter((written) => written.endsWith('.md'))
          .map(async (written) => ({ file: written, ...parseDocument(await readFile(written, 'utf8')) })),
      );
      const comments = report.comments ?? 0;
      const accounted = documents.length + comments + report.skipped.length;
      if (report.entries !== expected)
        problems.push(
          `Almanac read ${report.entries} entries, Python ${python.count}${item.entries !== undefined ? ` (right: ${item.entries})` : ''}`,
        );
      if (accounted !== expected)
        problems.push(
          `${documents.length} documents + ${comments} comments + ${report.skipped.length} reported skips = ${accounted}, expected ${expected} entries`,
        );

      // Documents are matched to the reader's entries by id (a repeated id gets a ~hash suffix), then by title.
      const mail = reader === 'mbox' || reader === 'pipermail';
      // Each reported skip accounts for one entry: by its id, or (an entry without Message-ID) by Almanac's content-hash id.
      const skips = report.skipped.map((skip) => skip.id);
      const takeSkip = (id: string | null) => {
        const index = skips.findIndex((skipped) =>
          id ? skipped === id : skipped.endsWith('@content-hash.invalid') || skipped.startsWith('urn:almanac:'),
        );
        return index >= 0 && skips.splice(index, 1).length === 1;
      };
      const ignored = new Set(item.ignoreReaderEntries ?? []);
      const readerIds = new Set(python.entries.map((entry) => entry.id).filter(Boolean));
      const unmatched = [...documents];
      const idOf = (data: Record<string, unknown>) => String(data.message_id ?? data.original_id ?? '');
      const take = (predicate: (document: (typeof documents)[number]) => boolean) => {
        const index = unmatched.findIndex(predicate);
        return index < 0 ? undefined : unmatched.splice(index, 1)[0];
      };
      for (const [index, entry] of python.entries.entries()) {
        if (ignored.has(index)) continue;
        if (entry.kind === 'comment' || entry.kind === 'settings' || entry.kind === 'template') continue;
        const label = `${entry.id ?? '(no id)'} "${String(entry.title ?? '').slice(0, 50)}"`;
        let document = entry.id
          ? (take((candidate) => idOf(candidate.data) === entry.id) ??
            take((candidate) => idOf(candidate.data).replace(/~[0-9a-f]{8}$/, '') === entry.id))
          : undefined;
        if (!document && entry.id && takeSkip(entry.id)) continue;
        // An entry whose id Almanac had to make up (none in the input) is found by its title.
        if (!document && entry.title)
          document = take(
            (candidate) =>
              !readerIds.has(idOf(candidate.data)) && normalTitle(candidate.data.title) === normalTitle(entry.title),
          );
        if (!document) {
          if (!takeSkip(null)) problems.push(`${label}: no document and no reported skip`);
          continue;
        }
        const data = document.data;
        if (entry.title && normalTitle(data.title) !== normalTitle(entry.title))
          problems.push(`${label}: title ${JSON.stringify(data.title)}`);
        if (entry.author) {
          const author = normalName(data.author);
          // A "name" that is the address itself (`admin at berlios.de (admin at berlios.de)`): names only publishes its local part.
          const named = /@| at /.test(entry.author) ? entry.author.split(/@| at /)[0]! : entry.author;
          const fine = author === normalName(named);
          if (!fine)
            problems.push(`${label}: author ${JSON.stringify(data.author)}, expected ${JSON.stringify(entry.author)}`);
        } else if (mail && entry.address && data.author) {
          const local = entry.address.split(/@| at /)[0]!;
          if (!String(data.author).includes(local))
            problems.push(
              `${label}: author ${JSON.stringify(data.author)}, expected the name part of ${entry.address}`,
            );
        }
        if (entry.inReplyTo && data.in_reply_to !== entry.inReplyTo)
          problems.push(`${label}: in_reply_to ${JSON.stringify(data.in_reply_to)}, expected ${entry.inReplyTo}`);
        const date = entry.date ?? entry.envelopeDate ?? null;
        const naive = entry.date ? entry.dateNaive : Boolean(entry.envelopeDate);
        if (date && data.date) {
          const actual = String(data.date);
          const same = naive ? wallClock(actual) === wallClock(date) : Date.parse(actual) === Date.parse(date);
          if (!same) problems.push(`${label}: date ${actual}, expected ${date}${naive ? ' (no zone given)' : ''}`);
        } else if (date && !data.date) problems.push(`${label}: no date, expected ${date}`);
        if (!mail) {
          const unresolved = linkTargets(document.body).filter((target) => !resolved(target, source));
          if (unresolved.length)
            problems.push(
              `${label}: ${unresolved.length} link(s) left relative to the old site: ${unresolved.slice(0, 3).join(' ')}`,
            );
        }
        const fidelity = textFidelity(
          originalHtml(entry, mail),
          mail ? withoutUrlBrackets(document.body) : document.body,
        );
        if (fidelity.ratio < MIN_RECALL) {
          problems.push(
            `${label}: ${(fidelity.ratio * 100).toFixed(2)} % of ${fidelity.originalWords} words kept; missing: ${fidelity.missing.slice(0, 12).join(' ')}`,
          );
        }
      }
      if (item.pages) {
        // The archive's own page numbers: each message keeps its /pipermail/<list>/<volume>/NNNNNN.html as a redirect.
        const oldBase = item.options![item.options!.indexOf('--old-base') + 1]!;
        const volume = path.basename(item.path).replace(/\.txt(\.gz)?$/, '');
        const byId = new Map(documents.map((document) => [idOf(document.data), document.data]));
        const rows = (await readFile(path.join(corpus!, item.pages), 'utf8'))
          .trim()
          .split('\n')
          .map((row) => row.split('\t') as [string, string]);
        for (const [number, id] of rows) {
          if (item.pagesCheckedBelow && number >= item.pagesCheckedBelow) continue;
          const document = byId.get(id);
          // A placeholder (reported skip) has no document to redirect to; a number Almanac marks as a guess is said to be one.
          if (!document || document.old_url_certainty === 'guess') continue;
          const expectedUrl = `${new URL(oldBase).pathname}${volume}/${number}.html`;
          const redirects = (document.redirect_from as string[] | undefined) ?? [];
          if (!redirects.includes(expectedUrl))
            problems.push(`${id}: no redirect from ${expectedUrl} (has ${JSON.stringify(redirects)})`);
        }
      }
      for (const document of unmatched)
        problems.push(
          `${path.basename(document.file)} (${idOf(document.data)}): a document that no entry of the input accounts for`,
        );
      const summary = `${report.entries} entries (Python ${python.count}), ${documents.length} documents, ${comments} comments, ${report.skipped.length} skipped, ${report.warnings.length} warnings`;
      process.stderr.write(
        `${item.path}: ${summary}${python.notes.length ? `; reader: ${python.notes.join('; ')}` : ''}\n`,
      );
      assert.deepEqual(
        problems,
        [],
        `${shown}\n${summary}\n${problems.slice(0, 15).join('\n')}${problems.length > 15 ? `\n… and ${problems.length - 15} more` : ''}`,
      );
    });
  }
});
