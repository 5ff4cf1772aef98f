/**
 * Splits an mbox byte stream into messages, in bounded memory. Hand-written because no splitter
 * on npm is safe: one returns 0 messages for a file without a From_ line, another never unescapes
 * `>From` and splits on any body line beginning with `From `.
 *
 * A separator is a line `From <sender> <asctime>` whose next line is a header field, wherever it is
 * (git's own t5100 sample has From_ lines right after body text); a valid Content-Length (mboxcl2)
 * makes the body opaque, so unescaped `From ` lines inside it stay text. mboxrd/mboxo escaping is
 * undone (`>From ` → `From `, `>>From ` → `>From `). Pipermail `.txt` months are stricter: they never
 * escape bodies, so a separator must be Mailman's exact From_ line followed by a `From:` header.
 */

import { findBlankLine } from './headers.ts';

export type MboxFlavor = 'mbox' | 'pipermail';

export interface RawMessage {
  /** 0-based position in the file. */
  index: number;
  /** Byte offset of the message's first line (its From_ line, where it has one). */
  offset: number;
  /** 1-based line of that first line. */
  line: number;
  /** The From_ line without `From ` and line end; undefined for a message that had none. */
  envelope?: string;
  /** The message (headers and body), From_ line removed, escaping undone, separator blank line dropped. */
  bytes: Buffer;
  /** Text before the first From_ line that is not a message (reported, never dropped silently). */
  junk?: true;
  /** 1-based lines inside the message shaped like a From_ line but not followed by a header: kept as text, and reported. */
  fromLinesKept?: number[];
}

const MBOX_SEPARATOR = /^From \S.*?\d{1,2}:\d\d(?::\d\d)?\b.*?\b\d{4}\b/;
const PIPERMAIL_SEPARATOR = /^From \S.* (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;
const HEADER_FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const LF = 0x0a;
const CR = 0x0d;
const NEWLINE_FROM = Buffer.from('\nFrom ');
const NEED_MORE = -2;

export async function* splitMbox(source: AsyncIterable<Buffer>, flavor: MboxFlavor): AsyncGenerator<RawMessage> {
  const separatorShape = flavor === 'pipermail' ? PIPERMAIL_SEPARATOR : MBOX_SEPARATOR;
  const iterator = source[Symbol.asyncIterator]();
  let buffer: Buffer = Buffer.alloc(0);
  let base = 0;
  let done = false;
  let index = 0;
  let line = 1;

  const readMore = async (): Promise<boolean> => {
    if (done) return false;
    const next = await iterator.next();
    if (next.done) {
      done = true;
      return false;
    }
    buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    return true;
  };
  /** End of the line starting at `start` (index of its LF, or buffer end at EOF), or NEED_MORE. */
  const lineEnd = (start: number): number => {
    const end = buffer.indexOf(LF, start);
    if (end !== -1) return end;
    return done ? buffer.length : NEED_MORE;
  };
  const lineText = (start: number, end: number): string => buffer.toString('latin1', start, end > start && buffer[end - 1] === CR ? end - 1 : end);
  /** Whether a separator starts at `start`: true, false, or NEED_MORE. */
  const isSeparator = (start: number): boolean | typeof NEED_MORE => {
    const end = lineEnd(start);
    if (end === NEED_MORE) return NEED_MORE;
    if (!separatorShape.test(lineText(start, end))) return false;
    if (end >= buffer.length) return false;
    const nextEnd = lineEnd(end + 1);
    if (nextEnd === NEED_MORE) return NEED_MORE;
    const next = lineText(end + 1, nextEnd);
    return flavor === 'pipermail' ? next.startsWith('From:') : HEADER_FIELD.test(next);
  };
  /** Lines findSeparator passed that look like a From_ line but have no header after them (offsets in `buffer`). */
  let fromLinesPassed: number[] = [];
  /** Those lines, 1-based, for the message that starts at `start` on line `line`; then forgotten. */
  const takeFromLinesKept = (): { fromLinesKept?: number[] } => {
    if (fromLinesPassed.length === 0) return {};
    const fromLinesKept = fromLinesPassed.map((offset) => line + countLines(buffer, start, offset));
    fromLinesPassed = [];
    return { fromLinesKept };
  };
  /** The next separator at or after a line start found by searching from `from` (an LF position or earlier). */
  const findSeparator = async (from: number): Promise<number> => {
    let cursor = from;
    for (;;) {
      const hit = buffer.indexOf(NEWLINE_FROM, cursor);
      if (hit === -1) {
        if (done) return -1;
        cursor = Math.max(cursor, buffer.length - NEWLINE_FROM.length);
        await readMore();
        continue;
      }
      const verdict = isSeparator(hit + 1);
      if (verdict === NEED_MORE) {
        await readMore();
        continue;
      }
      if (verdict) return hit + 1;
      if (separatorShape.test(lineText(hit + 1, lineEnd(hit + 1)))) fromLinesPassed.push(hit + 1);
      cursor = hit + 1;
    }
  };
  const ensure = async (length: number) => {
    while (buffer.length < length && (await readMore()));
  };

  await readMore();
  // Leading whitespace-only lines (git's sample starts with some) are not content.
  let start = 0;
  for (;;) {
    let end = lineEnd(start);
    while (end === NEED_MORE) {
      await readMore();
      end = lineEnd(start);
    }
    if (end >= buffer.length && start >= buffer.length) return;
    if (lineText(start, end).trim() !== '') break;
    if (end >= buffer.length) return;
    start = end + 1;
    line++;
  }

  let verdict = isSeparator(start);
  while (verdict === NEED_MORE) {
    await readMore();
    verdict = isSeparator(start);
  }
  if (!verdict) {
    // Text before the first From_ line: a message of its own when it starts with a header, else junk.
    const firstEnd = lineEnd(start);
    const isMessage = HEADER_FIELD.test(lineText(start, firstEnd));
    const next = await findSeparator(Math.max(start - 1, 0));
    const end = next === -1 ? buffer.length : next;
    const bytes = trimSeparatorLine(buffer.subarray(start, end));
    yield { index: index++, offset: base + start, line, bytes: flavor === 'mbox' ? unescapeFromLines(bytes) : bytes, ...(isMessage ? {} : { junk: true as const }), ...takeFromLinesKept() };
    line += countLines(buffer, start, end);
    if (next === -1) return;
    start = next;
  }

  for (;;) {
    // `start` is at a verified separator.
    const envelopeEnd = lineEnd(start);
    const envelope = lineText(start + 5, envelopeEnd).trim();
    let searchFrom = envelopeEnd;
    if (flavor === 'mbox') {
      const bodyEnd = await contentLengthEnd(envelopeEnd + 1);
      if (bodyEnd !== undefined) searchFrom = bodyEnd - 1;
    }
    const next = await findSeparator(searchFrom);
    const end = next === -1 ? buffer.length : next;
    const raw = trimSeparatorLine(buffer.subarray(Math.min(envelopeEnd + 1, end), end));
    yield { index: index++, offset: base + start, line, envelope, bytes: flavor === 'mbox' ? unescapeFromLines(raw) : raw, ...takeFromLinesKept() };
    line += countLines(buffer, start, end);
    if (next === -1) return;
    base += next;
    buffer = buffer.subarray(next);
    start = 0;
  }

  /**
   * Where a message's body ends by its Content-Length, when that header is present and points
   * exactly at the next separator (or the end of the file); otherwise undefined (the header is ignored).
   */
  async function contentLengthEnd(headerStart: number): Promise<number | undefined> {
    let blank = findBlankLine(buffer, headerStart);
    while (!blank && (await readMore())) blank = findBlankLine(buffer, headerStart);
    if (!blank) return undefined;
    const header = /^content-length:[ \t]*(\d{1,12})[ \t]*\r?$/im.exec(buffer.toString('latin1', headerStart, blank.end));
    if (!header) return undefined;
    const end = blank.body + Number(header[1]);
    await ensure(end + 1024);
    if (end > buffer.length) return undefined;
    let cursor = end;
    for (let blankLines = 0; blankLines < 2 && cursor < buffer.length; blankLines++) {
      if (buffer[cursor] === LF) cursor += 1;
      else if (buffer[cursor] === CR && buffer[cursor + 1] === LF) cursor += 2;
      else break;
    }
    if (cursor >= buffer.length) return done ? end : undefined;
    if (buffer[cursor - 1] !== LF) return undefined;
    return isSeparator(cursor) === true ? cursor : undefined;
  }
}

/** Drops the blank line that separates a message from the next one in an mbox. */
function trimSeparatorLine(bytes: Buffer): Buffer {
  const length = bytes.length;
  if (length >= 2 && bytes[length - 1] === LF && bytes[length - 2] === LF) return bytes.subarray(0, length - 1);
  if (length >= 4 && bytes[length - 1] === LF && bytes[length - 2] === CR && bytes[length - 3] === LF && bytes[length - 4] === CR) return bytes.subarray(0, length - 2);
  return bytes;
}

/** mboxrd: one `>` less on every `>…>From ` line (mboxo's `>From ` included). */
export function unescapeFromLines(bytes: Buffer): Buffer {
  // Every escaped line contains ">From "; most messages have none, and a native search is cheap.
  if (bytes.indexOf('>From ') === -1) return bytes;
  const escaped = /(^|\n)>(>*From )/g;
  const text = bytes.toString('latin1', 0, bytes.length);
  if (!escaped.test(text)) return bytes;
  return Buffer.from(text.replace(escaped, '$1$2'), 'latin1');
}

function countLines(buffer: Buffer, start: number, end: number): number {
  let count = 0;
  for (let cursor = buffer.indexOf(LF, start); cursor !== -1 && cursor < end; cursor = buffer.indexOf(LF, cursor + 1)) count++;
  return count;
}
