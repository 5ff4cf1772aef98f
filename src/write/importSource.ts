import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { chooseImporter } from '../../importers/index.ts';
import type { ImportContext, Importer } from '../../importers/importer.ts';
import { OldUrlIndex, scanContent } from '../content/contentIndex.ts';
import { InputError, machineFault, UsageError } from '../errors.ts';
import { interruption, type StopSignal } from '../interrupt.ts';
import type { Entry } from '../model.ts';
import { createProgress } from '../progress.ts';
import { createAtomicWriter, removeStaleTemporaryFiles } from './atomicWrite.ts';
import { ImportRecordSpool, readImportState, writeImportState, type ImportRecord } from './importState.ts';
import { normalizeDate } from './dates.ts';
import { fileForPermalink, planPermalink } from './permalinks.ts';
import { importInputs, recordRun, unchangedSinceLastRun } from './importRun.ts';
import { relinkEarlierImports } from './relink.ts';
import {
  createRenderPool,
  PARALLEL_RENDER_MIN_BYTES,
  PARALLEL_RENDER_MIN_BYTES_STREAMING,
  renderWorkerCount,
  type RenderPool,
} from './renderPool.ts';
import { holdHeapGrowth, releaseHeapGrowth } from './heapGrowth.ts';
import { makeSlug } from '../slug.ts';
import { StringFingerprints } from '../../importers/mail/stringTable.ts';
import { resized } from '../../importers/mail/typedArrays.ts';

export interface ImportOptions {
  inputs: readonly string[];
  /** A format name, or `auto` / undefined to sniff it from the first input. */
  format?: string;
  /** The source id (folder under `out`); derived from the first input's name when absent. */
  source?: string;
  out: string;
  oldBase?: string;
  dryRun?: boolean;
  /** Overwrite documents edited by hand since the last import. */
  force?: boolean;
  importerOptions?: Record<string, unknown>;
  /** Label of the progress bar (shown on terminals only). */
  progressLabel?: string;
}

/** The JSON report of DESIGN.md, extended. Invariant: entries = written + unchanged + kept + comments + skipped. */
export interface ImportReport {
  source: string;
  format: string;
  out: string;
  entries: number;
  written: number;
  unchanged: number;
  /** Comments imported with their post (they are entries of the input, not documents). */
  comments: number;
  /** Documents edited by hand since the last import, left as they are. */
  kept: { id: string; file: string; reason: string }[];
  skipped: { id: string; reason: string }[];
  warnings: { id?: string; message: string }[];
  /** The files written (paths joined to `out`), sorted; made when first read (a 460,000-message import's are ~50 MB of strings). */
  files: string[];
  /** Nothing it reads had changed since its last run: nothing was read (src/write/importRun.ts). */
  upToDate?: boolean;
  /** Stopped by this signal after the documents in hand (src/interrupt.ts): the next run continues. */
  interrupted?: StopSignal;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export async function importSource(options: ImportOptions): Promise<ImportReport> {
  if (options.inputs.length === 0) throw new UsageError('no input files given');
  for (const input of options.inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new InputError(input, 'no such file');
  }
  if (options.oldBase !== undefined && !/^https?:\/\/[^/\s]+/i.test(options.oldBase)) {
    throw new UsageError(
      `--old-base "${options.oldBase}" is not an address; give the old site's, like https://yourblog.blogspot.com/`,
    );
  }
  const { format, importer } = await chooseImporter(options.inputs, options.format);
  const source =
    options.source ??
    makeSlug(path.basename(options.inputs[0]).replace(/\.(xml|atom|rss|mbox|txt|gz)$/gi, ''), options.inputs[0]);
  if (!SOURCE_ID.test(source))
    throw new UsageError(`the source id "${source}" must be lower-case letters, digits, dots, hyphens or underscores`);
  // Nothing it reads changed since its last run: its report, at once. Not for a dry run (nothing to record) or --force (it overwrites what the last run kept).
  const remembered = !options.dryRun && !options.force;
  const inputs = remembered ? importInputs(options, format, source) : '';
  const unchanged = remembered ? unchangedSinceLastRun(options.out, source, inputs) : undefined;
  if (unchanged) return unchanged;
  // A streaming import (mail) holds little live data: its heap is kept close to it, then given back to V8's own growth (heapGrowth.ts).
  if (importer.streaming) holdHeapGrowth();
  const report: ImportReport = {
    source,
    format,
    out: options.out,
    entries: 0,
    written: 0,
    unchanged: 0,
    comments: 0,
    kept: [],
    skipped: [],
    warnings: [],
    files: [],
  };
  const tally = { planned: 0 };
  try {
    await importEntries(options, importer, report, tally);
    // An interrupted run is not remembered: the next one must import the rest.
    if (remembered && !report.interrupted) recordRun(options.out, inputs, report);
    return report;
  } catch (error) {
    const fault = machineFault(error);
    if (!fault) throw error;
    fault.done ??=
      report.written === 0 && tally.planned === 0
        ? 'nothing written'
        : `${report.written} ${importer.streaming ? '' : `of ${tally.planned} `}${report.written === 1 ? 'document' : 'documents'} written`;
    throw fault;
  } finally {
    if (importer.streaming) releaseHeapGrowth();
  }
}

/** The import itself, once its input, format and source are known to be good; fills `report`, and counts the documents planned in `tally`. */
async function importEntries(
  options: ImportOptions,
  importer: Importer,
  report: ImportReport,
  tally: { planned: number },
): Promise<void> {
  const { source, format } = report;
  const sourceDir = path.join(options.out, source);
  const state = await readImportState(sourceDir, source, format);
  await removeStaleTemporaryFiles(sourceDir);

  // Links to old URLs resolve against everything already in content/, and this import's entries as they are planned.
  const { documents, problems } = await scanContent(options.out);
  // Only these files can hold an earlier import or a hand edit; for the others there is nothing to read and compare.
  const existingFiles = new Set([...documents, ...problems].map((document) => document.file));
  const writeDocument = createAtomicWriter(sourceDir);
  const oldUrls = new OldUrlIndex();
  oldUrls.addDocuments(documents);
  // What an import keeps of each entry till its end is fingerprints and typed arrays, its records in a spool file (profiled: Sets, Maps and record objects held ~1.3 KB of live heap a message; a 1 GB mbox peaked at 1.2 GB RSS).
  const takenPermalinks = new StringFingerprints();
  for (const document of documents) if (document.permalink) takenPermalinks.intern(document.permalink);
  const takenFiles = new Set(documents.map((document) => document.file));
  // This import's files (under sourceDir), by number: planned here (not kept from the last import), written, and the generation each was rendered at (-1: not yet).
  const files = new StringFingerprints();
  // The names of the files written, each ended by a NUL (no path has one: atomicWrite.ts refuses it), for the report: ~25 bytes each, where an array of strings costs ~80.
  const writtenNames: Buffer[] = [];
  let writtenBatch = '';
  let planned = new Uint8Array(1024);
  let written = new Uint8Array(1024);
  let renderedAt = new Int32Array(1024).fill(-1);
  const fileNumber = (file: string) => {
    const number = files.intern(file);
    if (number === planned.length) {
      planned = resized(planned, number * 2);
      written = resized(written, number * 2);
      renderedAt = resized(renderedAt, number * 2, -1);
    }
    return number;
  };
  const spool = options.dryRun ? undefined : new ImportRecordSpool(sourceDir);
  const ownedFiles = new Map<string, string>();
  for (const document of documents) {
    if (document.data.source === source && typeof document.data.original_id === 'string')
      ownedFiles.set(document.file, String(document.data.original_id));
  }
  const recordFromContent = new Map<string, ImportRecord>();
  for (const document of documents) {
    if (document.data.source === source && typeof document.data.original_id === 'string' && document.permalink) {
      recordFromContent.set(document.data.original_id, {
        file: path.posix.relative(source, document.file),
        permalink: document.permalink,
        digest: '',
      });
    }
  }

  const progress = createProgress(options.progressLabel ?? `Importing ${source}`);
  const context: ImportContext = {
    source,
    oldBase: options.oldBase,
    options: options.importerOptions ?? {},
    warn: (message, id) => report.warnings.push(id === undefined ? { message } : { id, message }),
    skip: (id, reason) => report.skipped.push({ id, reason }),
    progress: (done, total) => progress.update(done, total),
  };

  let pool: RenderPool | undefined;
  // Large imports render on worker threads (renderPool.ts), the others here; loaded only then (profiled: the render toolchain is half of start-up).
  let renderHere: ((entry: Entry, permalink: string) => string) | undefined;
  // Only with --release-pattern/--product (markRelease does nothing without them).
  const markRelease =
    context.options.releasePattern || context.options.product
      ? (await import('../releases/markReleases.ts')).markRelease
      : undefined;
  const seenIds = new StringFingerprints();
  const plan = (entry: Entry): { permalink: string; file: string } | undefined => {
    markRelease?.(entry, context.options); // `--release-pattern`: marks releases in place, for every format (src/releases)
    for (const key of ['date', 'updated'] as const) {
      const { value, warning } = normalizeDate(entry[key], key);
      entry[key] = value;
      if (warning) report.warnings.push({ id: entry.originalId, message: warning });
    }
    if (seenIds.has(entry.originalId)) {
      report.skipped.push({
        id: entry.originalId,
        reason: 'the same id appears again in the input; the first one was imported',
      });
      return undefined;
    }
    seenIds.intern(entry.originalId);
    tally.planned++;
    const previous = state.documents[entry.originalId] ?? recordFromContent.get(entry.originalId);
    if (previous) {
      takenPermalinks.intern(previous.permalink);
      return { permalink: previous.permalink, file: previous.file };
    }
    const isTaken = (candidate: string) => {
      const relative = fileForPermalink(candidate, source);
      const file = `${source}/${relative}`;
      const number = files.lookup(relative);
      return (
        takenPermalinks.has(candidate) ||
        (((number !== -1 && planned[number] === 1) || takenFiles.has(file)) &&
          ownedFiles.get(file) !== entry.originalId)
      );
    };
    const permalink =
      entry.permalink && !isTaken(entry.permalink)
        ? entry.permalink
        : planPermalink({ ...entry, permalink: undefined }, source, isTaken);
    takenPermalinks.intern(permalink);
    const file = fileForPermalink(permalink, source);
    planned[fileNumber(file)] = 1;
    return { permalink, file };
  };

  // Old URLs this import adds to the index; `generation` counts the additions a link could resolve to.
  // This import's documents rendered at the last generation need no relinking at the end.
  let generation = 0;
  const addOldUrls = (entry: Entry, target: { permalink: string }) => {
    oldUrls.add(target.permalink, entry.originalUrl, entry.oldUrls, options.oldBase);
    if (!entry.originalUrl && entry.oldUrls.length === 0) return;
    generation++;
    // Streaming: workers set up before this entry learn of it with their next job.
    if (importer.streaming) pool?.addOldUrl([target.permalink, entry.originalUrl, entry.oldUrls, options.oldBase]);
  };

  const write = async (entry: Entry, target: { permalink: string; file: string }) => {
    report.comments += entry.comments.length;
    const renderedWith = generation;
    const isNew = !existingFiles.has(`${source}/${target.file}`);
    // A new document has nothing to compare with: its worker writes it too. Profiled on 20,000 messages: the writes and the texts sent back
    // were half of the main thread's time, the bottleneck. Measured: letting the main thread help when the worker is behind made two threads
    // create files in the same folders, and the kernel's time per file grew more than the help saved.
    if (pool && isNew && !options.dryRun) {
      const digest = await pool.renderAndWrite(entry, target.permalink, { root: sourceDir, file: target.file });
      await recordWritten(entry, target, digest, renderedWith);
      return;
    }
    const text = pool ? await pool.render(entry, target.permalink) : renderHere!(entry, target.permalink);
    const digest = sha256(text);
    const record = state.documents[entry.originalId];
    const current = isNew
      ? undefined
      : await readFile(path.join(sourceDir, target.file), 'utf8').catch(() => undefined);
    if (current === text) {
      report.unchanged++;
      keepRecord(entry, target, digest, renderedWith);
      return;
    }
    // An empty file is what a power cut can leave of a document being written (no fsync, atomicWrite.ts): not an edit.
    const editedByHand = current !== undefined && current !== '' && (!record || record.digest !== sha256(current));
    if (editedByHand && !options.force) {
      report.kept.push({
        id: entry.originalId,
        file: path.join(sourceDir, target.file),
        reason: 'edited since the last import; kept as it is (use --force to overwrite)',
      });
      if (!record) spool?.add(entry.originalId, { ...target, digest: sha256(current) });
      return;
    }
    if (!options.dryRun) await writeDocument(target.file, text);
    await recordWritten(entry, target, digest, renderedWith);
  };
  /** A document's record: its file, permalink and digest for the state file, and the generation of old URLs it was rendered at. */
  const keepRecord = (
    entry: Entry,
    target: { permalink: string; file: string },
    digest: string,
    renderedWith: number,
  ) => {
    spool?.add(entry.originalId, { ...target, digest });
    renderedAt[fileNumber(target.file)] = renderedWith;
  };
  /** The rest of writing a document once its text is on disk (or would be, dry run): its attachments, the report, its record. */
  const recordWritten = async (
    entry: Entry,
    target: { permalink: string; file: string },
    digest: string,
    renderedWith: number,
  ) => {
    if (!options.dryRun) {
      for (const attachment of entry.attachments ?? []) {
        await writeDocument(path.posix.join(target.file.replace(/\.md$/, ''), attachment.filename), attachment.data);
      }
    }
    report.written++;
    written[fileNumber(target.file)] = 1;
    writtenBatch += `${target.file}\0`;
    if (writtenBatch.length > 65_536) {
      writtenNames.push(Buffer.from(writtenBatch));
      writtenBatch = '';
    }
    keepRecord(entry, target, digest, renderedWith);
  };

  try {
    // Workers for mail too: profiled, rendering was 60 % of a 20,000-message import's CPU on the main thread.
    // One for mail, whose main thread is busy too (parsing, writing): measured on 20,000 messages, as fast as two with ~60 MB less peak RSS.
    if (renderWorkerCount() > 1 && !process.env.ALMANAC_NO_WORKERS) {
      let bytes = 0;
      for (const input of options.inputs) bytes += (await stat(input)).size;
      if (importer.streaming && bytes >= PARALLEL_RENDER_MIN_BYTES_STREAMING) pool = createRenderPool(1);
      else if (!importer.streaming && bytes >= PARALLEL_RENDER_MIN_BYTES) pool = createRenderPool();
    }
    if (!pool) renderHere = (await import('./renderDocument.ts')).createEntryRenderer(source, oldUrls);
    const entries = importer.entries(options.inputs, context);
    if (importer.streaming) {
      // Written as they come, in bounded memory; each is rendered against the old URLs planned so far (workers learn them with their next job).
      pool?.setup({ source, oldUrls: oldUrls.toJSON() });
      const planned = async function* () {
        for await (const entry of entries) {
          const target = plan(entry);
          if (!target) continue;
          addOldUrls(entry, target);
          yield [entry, target] as const;
        }
      };
      // Profiled: written one at a time, the import waited on each file's open, write and rename in turn.
      await eachConcurrently(planned(), pool ? RENDER_CONCURRENCY : WRITE_CONCURRENCY, ([entry, target]) =>
        write(entry, target),
      );
    } else {
      // Plan every permalink first, so a post links to a later post of the same blog too.
      const planned: [Entry, { permalink: string; file: string }][] = [];
      for await (const entry of entries) {
        if (interruption()) break;
        const target = plan(entry);
        if (!target) continue;
        addOldUrls(entry, target);
        planned.push([entry, target]);
      }
      // Rendering is synchronous; the reads and writes of earlier documents overlap it.
      pool?.setup({ source, oldUrls: oldUrls.toJSON() });
      let done = 0;
      await eachConcurrently(planned, pool ? RENDER_CONCURRENCY : WRITE_CONCURRENCY, async ([entry, target]) => {
        await write(entry, target);
        progress.update(++done, planned.length);
      });
    }
  } catch (error) {
    spool?.close();
    throw error;
  } finally {
    progress.stop();
    await pool?.close();
  }
  report.interrupted = interruption();
  try {
    if (spool && (report.written > 0 || report.unchanged > 0 || report.kept.length > 0))
      await writeImportState(sourceDir, state, spool);
  } finally {
    spool?.close();
  }
  report.entries = report.written + report.unchanged + report.kept.length + report.comments + report.skipped.length;
  const inThisImport = (file: string) =>
    file.startsWith(`${source}/`) ? files.lookup(file.slice(source.length + 1)) : -1;
  const isUpToDate = (file: string) => {
    const number = inThisImport(file);
    return number !== -1 && renderedAt[number] === generation;
  };
  const isWritten = (file: string) => {
    const number = inThisImport(path.relative(options.out, file).split(path.sep).join('/'));
    return number !== -1 && written[number] === 1;
  };
  // Earlier imports' links to this one's documents (src/write/relink.ts).
  const relinked =
    report.written > 0 ? await relinkEarlierImports(options, oldUrls, report, isUpToDate, isWritten) : [];
  // Writes finish in any order; the report lists them in one, made only when read.
  const writtenFiles = () => {
    const names = (Buffer.concat(writtenNames).toString() + writtenBatch).split('\0').slice(0, -1);
    return names.sort().map((file) => path.join(sourceDir, file));
  };
  Object.defineProperty(report, 'files', {
    enumerable: true,
    configurable: true,
    get: () => {
      const list = relinked.length > 0 ? [...writtenFiles(), ...relinked].sort() : writtenFiles();
      Object.defineProperty(report, 'files', { value: list, enumerable: true, writable: true, configurable: true });
      return list;
    },
  });
  report.kept.sort((a, b) => a.file.localeCompare(b.file));
}

/** Documents being read or written at once. */
const WRITE_CONCURRENCY = 16;
/** Documents in flight when workers render: enough queued that no worker waits for the next job. */
const RENDER_CONCURRENCY = 64;

/** Runs `work` over the items with at most `limit` in flight; the first failure is thrown once all have settled. */
async function eachConcurrently<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  const failures: unknown[] = [];
  for await (const item of items) {
    // Ctrl-C or SIGTERM: the documents in flight finish, no new one starts (src/interrupt.ts).
    if (failures.length > 0 || interruption()) break;
    const task: Promise<void> = work(item)
      .catch((error) => void failures.push(error))
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failures.length > 0) throw failures[0];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The one line printed at the end of every import. */
export function summarize(report: ImportReport, dryRun = false): string {
  const parts = [
    `${report.written} ${dryRun ? 'would be written' : 'written'}`,
    `${report.unchanged} unchanged`,
    report.kept.length > 0 ? `${report.kept.length} kept (edited by hand)` : undefined,
    `${report.skipped.length} skipped`,
    report.comments > 0 ? `${report.comments} comments` : undefined,
    report.warnings.length > 0 ? `${report.warnings.length} warnings` : undefined,
  ].filter(Boolean);
  const since = report.upToDate
    ? ' (nothing changed since the last import)'
    : report.interrupted
      ? ` — interrupted (${report.interrupted}): run the same command again to import the rest`
      : '';
  return `${report.source}: ${report.entries} entries (${report.format}) → ${path.join(report.out, report.source)}/: ${parts.join(', ')}${since}`;
}
