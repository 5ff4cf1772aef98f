import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { machineFault } from '../errors.ts';
import { prepareAtomicTarget, temporaryPathFor } from './atomicWrite.ts';

/**
 * What the last import of a source wrote, kept beside its documents in
 * `content/<source>/.almanac-import.json`: the file and permalink chosen for each input id
 * (so a re-import never moves a document) and a digest of the bytes written (so a file
 * edited by hand since is recognised and kept).
 */
export interface ImportRecord {
  file: string;
  permalink: string;
  digest: string;
}

export interface ImportState {
  version: 1;
  source: string;
  format: string;
  documents: Record<string, ImportRecord>;
}

export const STATE_FILE = '.almanac-import.json';

export async function readImportState(sourceDir: string, source: string, format: string): Promise<ImportState> {
  // Keyed by input ids, which are anyone's text: no prototype, so an id "__proto__" is just an id.
  const fresh: ImportState = { version: 1, source, format, documents: Object.create(null) };
  let text: string;
  try {
    text = await readFile(path.join(sourceDir, STATE_FILE), 'utf8');
  } catch {
    return fresh;
  }
  try {
    const state = JSON.parse(text) as ImportState;
    return state.version === 1 && state.documents && typeof state.documents === 'object'
      ? { ...state, documents: Object.assign(Object.create(null), state.documents) }
      : fresh;
  } catch {
    return fresh;
  }
}

/**
 * The records an import makes, kept on disk till its end, not in memory (profiled: a 460,000-message
 * import held ~400 bytes of live heap a record in `documents`): sorted in runs as they come, merged
 * into the state file at the end. Each id is recorded once (the writer skips repeated ids).
 */
export class ImportRecordSpool {
  private pending: [id: string, record: ImportRecord][] = [];
  private readonly runs: { start: number; end: number }[] = [];
  private file: string | undefined;
  private handle: number | undefined;
  private size = 0;

  /** `folder` holds the spool file, named as atomicWrite.ts names temporary files, so a killed import's is removed by the next. */
  constructor(private readonly folder: string) {}

  add(id: string, record: ImportRecord): void {
    this.pending.push([id, record]);
    if (this.pending.length >= RUN_LENGTH) this.flush();
  }

  /** Every record, sorted as the state file lists ids: [id, the record's JSON]. */
  *sorted(): Generator<[string, string]> {
    const pending = this.pending
      .sort(([a], [b]) => compareIds(a, b))
      .map(([id, record]): [string, string] => [id, JSON.stringify(record)]);
    const sources: Iterator<[string, string]>[] = [
      pending[Symbol.iterator](),
      ...this.runs.map((run) => this.readRun(run)),
    ];
    const heads = sources.map((source) => source.next().value as [string, string] | undefined);
    for (;;) {
      let lowest = -1;
      for (let at = 0; at < heads.length; at++)
        if (heads[at] && (lowest === -1 || compareIds(heads[at]![0], heads[lowest]![0]) < 0)) lowest = at;
      if (lowest === -1) return;
      yield heads[lowest]!;
      heads[lowest] = sources[lowest].next().value as [string, string] | undefined;
    }
  }

  /** Removes the spool file. */
  close(): void {
    if (this.handle !== undefined) closeSync(this.handle);
    if (this.file) rmSync(this.file, { force: true });
    this.handle = undefined;
    this.file = undefined;
  }

  private flush(): void {
    if (this.handle === undefined) {
      mkdirSync(this.folder, { recursive: true });
      this.file = temporaryPathFor(path.join(this.folder, STATE_FILE));
      this.handle = openSync(this.file, 'wx+');
    }
    this.pending.sort(([a], [b]) => compareIds(a, b));
    const text = this.pending.map(([id, record]) => `${JSON.stringify(id)}\t${JSON.stringify(record)}\n`).join('');
    const start = this.size;
    this.size += writeSync(this.handle, text, start);
    this.runs.push({ start, end: this.size });
    this.pending = [];
  }

  /** One run's lines; JSON never has a raw tab or newline inside, so they split them. */
  private *readRun({ start, end }: { start: number; end: number }): Generator<[string, string]> {
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    let rest = Buffer.alloc(0);
    for (let position = start; position < end; ) {
      const read = readSync(this.handle!, chunk, 0, Math.min(READ_CHUNK, end - position), position);
      position += read;
      const bytes = rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let lineStart = 0;
      for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, lineStart)) {
        const line = bytes.toString('utf8', lineStart, newline);
        const tab = line.indexOf('\t');
        yield [JSON.parse(line.slice(0, tab)) as string, line.slice(tab + 1)];
        lineStart = newline + 1;
      }
      rest = Buffer.from(bytes.subarray(lineStart));
    }
  }
}

/** Records sorted in memory before they go to the spool file: a few MB of strings. */
const RUN_LENGTH = 16_384;
const READ_CHUNK = 1 << 16;

/**
 * The order of ids in the state file: JSON.stringify lists an object's array-index keys first, in
 * numeric order, then the others in insertion order, here sorted (UTF-16 code units, as sort() does).
 */
function compareIds(a: string, b: string): number {
  const aIndex = isArrayIndex(a);
  const bIndex = isArrayIndex(b);
  if (aIndex !== bIndex) return aIndex ? -1 : 1;
  if (aIndex) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

/** The state file's text in pieces: `state`'s records and the spool's (which win for the same id), sorted by id, so the same state is the same bytes. */
function* importStateText(state: ImportState, spool?: ImportRecordSpool): Generator<string> {
  const earlier = Object.keys(state.documents).sort(compareIds);
  const added = spool?.sorted() ?? [][Symbol.iterator]();
  let next = added.next().value as [string, string] | undefined;
  let position = 0;
  let count = 0;
  yield `{\n "version": 1,\n "source": ${JSON.stringify(state.source)},\n "format": ${JSON.stringify(state.format)},\n "documents": {`;
  for (;;) {
    let id: string;
    let record: string;
    if (next === undefined && position === earlier.length) break;
    // Below 0: the earlier import's record comes first; 0: the same id, whose record this import replaces.
    const order = next === undefined ? -1 : position === earlier.length ? 1 : compareIds(earlier[position], next[0]);
    if (order < 0) {
      id = earlier[position++];
      record = JSON.stringify(state.documents[id], null, 1);
    } else {
      if (order === 0) position++;
      [id, record] = next!;
      record = JSON.stringify(JSON.parse(record), null, 1);
      next = added.next().value as [string, string] | undefined;
    }
    yield `${count++ === 0 ? '\n' : ',\n'}  ${JSON.stringify(id)}: ${record.replaceAll('\n', '\n  ')}`;
  }
  yield count === 0 ? '}\n}\n' : '\n }\n}\n';
}

/** Serialized with sorted ids, so the same import state is the same bytes. */
export function serializeImportState(state: ImportState, spool?: ImportRecordSpool): string {
  return [...importStateText(state, spool)].join('');
}

/** Writes the state (with the spool's records) only when it changed: an unchanged re-import touches no byte. Streamed: a 460,000-message state is ~100 MB of text. */
export async function writeImportState(
  sourceDir: string,
  state: ImportState,
  spool?: ImportRecordSpool,
): Promise<void> {
  const target = await prepareAtomicTarget(sourceDir, STATE_FILE);
  if (sameBytes(target, batched(importStateText(state, spool)))) return;
  const temporary = temporaryPathFor(target);
  const handle = openSync(temporary, 'wx');
  try {
    for (const bytes of batched(importStateText(state, spool))) writeSync(handle, bytes);
    closeSync(handle);
    renameSync(temporary, target);
  } catch (error) {
    closeSync(handle);
    rmSync(temporary, { force: true });
    throw machineFault(error, target, 'write') ?? error;
  }
}

/** Pieces joined into ~1 MB buffers. */
function* batched(pieces: Iterable<string>): Generator<Buffer> {
  let batch: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    batch.push(piece);
    length += piece.length;
    if (length >= 1 << 20) {
      yield Buffer.from(batch.join(''));
      batch = [];
      length = 0;
    }
  }
  yield Buffer.from(batch.join(''));
}

/** Whether `file` holds exactly these bytes (false when it does not exist). */
function sameBytes(file: string, chunks: Iterable<Buffer>): boolean {
  let handle: number;
  try {
    handle = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    let position = 0;
    for (const chunk of chunks) {
      const current = Buffer.allocUnsafe(chunk.length);
      const read = chunk.length === 0 ? 0 : readSync(handle, current, 0, chunk.length, position);
      if (read !== chunk.length || !current.equals(chunk)) return false;
      position += read;
    }
    return readSync(handle, Buffer.allocUnsafe(1), 0, 1, position) === 0;
  } finally {
    closeSync(handle);
  }
}
