/**
 * Splits an mbox byte stream into messages, in bounded memory. Hand-written because no splitter
 * on npm is safe: one returns 0 messages for a file without a From_ line, another never unescapes
 * `>From` and splits on any body line beginning with `From `.
 *
 * A separator is a line `From <sender> <asctime>` whose next line is a header field, wherever it is
 * (git's own t5100 sample has From_ lines right after body text), or any other line starting `From `
 * (Netscape's `From - `, Google Takeout's `From 123@xxx`, no date) that a mail header block follows,
 * as Python's mailbox and Thunderbird read them. A Content-Length (mboxcl2) makes the body opaque
 * only when it ends at a separator or the end of the file (mutt's rule). Every `From ` line that
 * separates nothing is reported by its line. mboxrd/mboxo escaping is undone (`>From ` → `From `,
 * `>>From ` → `>From `). Pipermail `.txt` months are stricter: they never escape bodies, so a
 * separator must be Mailman's exact From_ line followed by a `From:` header. CR-only files (classic
 * Mac OS) are read with LF line ends; LF and CRLF may mix in one file.
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
  /** 1-based lines inside the message that start with `From ` (Pipermail: shaped like its From_ line) but no mail header follows: kept as text, and reported. */
  fromLinesKept?: number[];
  /** 1-based lines starting with `From ` inside the body a trusted Content-Length gives: kept as text, and reported. */
  fromLinesInLength?: number[];
}

/** What the splitter accepted, for the importer's accounting: every unit it yields (messages, leading text) is counted here first. */
export interface SplitTally {
  accepted: number;
}

/** The running verdict on lines read as a header block. */
export interface HeaderBlockState {
  fields: number;
  mailField: boolean;
}

const MBOX_SEPARATOR = /^From \S.*?\d{1,2}:\d\d(?::\d\d)?\b.*?\b\d{4}\b/;
const PIPERMAIL_SEPARATOR =
  /^From \S.* (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;
const HEADER_FIELD = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;
/** Fields one of which every mail header has; a `From ` line without a date separates only when the header block after it has one. */
const MAIL_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'date',
  'subject',
  'message-id',
  'received',
  'return-path',
  'delivered-to',
  'sender',
  'reply-to',
  'in-reply-to',
  'references',
  'mime-version',
  'x-mozilla-status',
  'x-gm-thrid',
]);
/** A header block longer than this is judged on what was read of it. */
const MAX_HEADER_BLOCK = 1 << 20;
/** The head whose line ends decide whether a file is CR-only. */
const LINE_END_SAMPLE = 1 << 16;
const LF = 0x0a;
const CR = 0x0d;
const NEWLINE_FROM = Buffer.from('\nFrom ');
const NEED_MORE = -2;
/**
 * Test only (test/mail-accounting.test.ts): the 0-based unit of each file that the splitter accepts
 * and then loses, so the test sees the importer's accounting stop the import.
 */
const LOSE_FOR_TEST = Number(process.env.ALMANAC_TEST_DROP_MESSAGE ?? -1);

/** One more line of what may be a mail header block: `end` at its blank line, `no` when the line is not a header, `more` otherwise. */
export function readHeaderBlockLine(text: string, state: HeaderBlockState): 'end' | 'no' | 'more' {
  if (text === '') return state.fields > 0 ? 'end' : 'no';
  if (text[0] === ' ' || text[0] === '\t') return state.fields > 0 ? 'more' : 'no';
  const field = HEADER_FIELD.exec(text);
  if (!field) return 'no';
  state.fields++;
  if (MAIL_FIELDS.has(field[1].toLowerCase())) state.mailField = true;
  return 'more';
}

/** Whether these lines, a `From ` line first, start an mbox message (the sniffer's question; the splitter asks it of bytes). */
export function startsWithSeparator(lines: readonly string[]): boolean {
  const [first = '', ...rest] = lines;
  if (!first.startsWith('From ')) return false;
  if (MBOX_SEPARATOR.test(first)) return HEADER_FIELD.test(rest[0] ?? '');
  const state: HeaderBlockState = { fields: 0, mailField: false };
  for (const line of rest) {
    const verdict = readHeaderBlockLine(line, state);
    if (verdict !== 'more') return verdict === 'end' && state.mailField;
  }
  return state.mailField;
}

export async function* splitMbox(
  source: AsyncIterable<Buffer>,
  flavor: MboxFlavor,
  tally: SplitTally = { accepted: 0 },
): AsyncGenerator<RawMessage> {
  const iterator = source[Symbol.asyncIterator]();
  let buffer: Buffer = Buffer.alloc(0);
  let base = 0;
  let done = false;
  let index = 0;
  let line = 1;
  /** CR-only line ends: every CR not followed by LF is read as LF (decided once, from the head). */
  let crLines = false;

  const readMore = async (): Promise<boolean> => {
    if (done) return false;
    const next = await iterator.next();
    if (next.done) {
      done = true;
      if (crLines && buffer[buffer.length - 1] === CR) buffer[buffer.length - 1] = LF;
      return false;
    }
    const before = buffer.length;
    // A CR-only file is rewritten in place: a copy, so the caller's chunks stay as they were.
    const chunk = crLines ? Buffer.from(next.value) : next.value;
    buffer = before === 0 ? chunk : Buffer.concat([buffer, chunk]);
    if (crLines) crToLf(Math.max(before - 1, 0));
    return true;
  };
  /** Lone CRs from `from` on become LF; a CR at the end waits for the byte after it. */
  const crToLf = (from: number) => {
    for (let cursor = buffer.indexOf(CR, from); cursor !== -1; cursor = buffer.indexOf(CR, cursor + 1)) {
      if (cursor + 1 < buffer.length) {
        if (buffer[cursor + 1] !== LF) buffer[cursor] = LF;
      } else if (done) buffer[cursor] = LF;
    }
  };
  /** End of the line starting at `start` (index of its LF, or buffer end at EOF), or NEED_MORE. */
  const lineEnd = (start: number): number => {
    const end = buffer.indexOf(LF, start);
    if (end !== -1) return end;
    return done ? buffer.length : NEED_MORE;
  };
  const lineText = (start: number, end: number): string =>
    buffer.toString('latin1', start, end > start && buffer[end - 1] === CR ? end - 1 : end);
  /** Whether a mail header block (see readHeaderBlockLine) starts at `start`: true, false, or NEED_MORE. */
  const mailHeaderAt = (start: number): boolean | typeof NEED_MORE => {
    const state: HeaderBlockState = { fields: 0, mailField: false };
    for (let cursor = start; cursor < buffer.length && cursor - start < MAX_HEADER_BLOCK; ) {
      const end = lineEnd(cursor);
      if (end === NEED_MORE) return NEED_MORE;
      const verdict = readHeaderBlockLine(lineText(cursor, end), state);
      if (verdict !== 'more') return verdict === 'end' && state.mailField;
      cursor = end + 1;
    }
    // The file ends inside the header block (a message without a body), or the block is too long to be one.
    return done || buffer.length - start >= MAX_HEADER_BLOCK ? state.mailField : NEED_MORE;
  };
  /** Whether a separator starts at `start`: true, false, or NEED_MORE. */
  const isSeparator = (start: number): boolean | typeof NEED_MORE => {
    const end = lineEnd(start);
    if (end === NEED_MORE) return NEED_MORE;
    const text = lineText(start, end);
    if (!text.startsWith('From ') || end >= buffer.length) return false;
    if (flavor === 'mbox' && !MBOX_SEPARATOR.test(text)) return mailHeaderAt(end + 1);
    if (flavor === 'pipermail' && !PIPERMAIL_SEPARATOR.test(text)) return false;
    const nextEnd = lineEnd(end + 1);
    if (nextEnd === NEED_MORE) return NEED_MORE;
    const next = lineText(end + 1, nextEnd);
    return flavor === 'pipermail' ? next.startsWith('From:') : HEADER_FIELD.test(next);
  };
  /** Whether a `From ` line that separates nothing is worth a word: any in an mbox (it should have been escaped), Pipermail's own shape in a Pipermail month (whose bodies are never escaped). */
  const isReportable = (start: number): boolean =>
    flavor === 'mbox' || PIPERMAIL_SEPARATOR.test(lineText(start, lineEnd(start)));
  /** Lines findSeparator passed that start with `From ` but separate nothing (offsets in `buffer`). */
  let fromLinesPassed: number[] = [];
  /** Lines starting with `From ` inside a body its Content-Length made opaque (offsets in `buffer`). */
  let fromLinesInLength: number[] = [];
  /** Those lines, 1-based, for the message that starts at `start` on line `line`; then forgotten. */
  const takeFromLines = (): { fromLinesKept?: number[]; fromLinesInLength?: number[] } => {
    const lines = (offsets: number[]) => offsets.map((offset) => line + countLines(buffer, start, offset));
    const taken = {
      ...(fromLinesPassed.length > 0 && { fromLinesKept: lines(fromLinesPassed) }),
      ...(fromLinesInLength.length > 0 && { fromLinesInLength: lines(fromLinesInLength) }),
    };
    fromLinesPassed = [];
    fromLinesInLength = [];
    return taken;
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
      if (isReportable(hit + 1)) fromLinesPassed.push(hit + 1);
      cursor = hit + 1;
    }
  };
  const ensure = async (length: number) => {
    while (buffer.length < length && (await readMore()));
  };
  /** Counts the unit as accepted, then hands it out (or, in the accounting test only, loses it). */
  const accept = (message: RawMessage): RawMessage[] => {
    tally.accepted++;
    return message.index === LOSE_FOR_TEST ? [] : [message];
  };

  await ensure(LINE_END_SAMPLE);
  crLines = hasCrLineEnds(buffer.subarray(0, LINE_END_SAMPLE));
  if (crLines) {
    buffer = Buffer.from(buffer);
    crToLf(0);
  }
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
    yield* accept({
      index: index++,
      offset: base + start,
      line,
      bytes: flavor === 'mbox' ? unescapeFromLines(bytes) : bytes,
      ...(isMessage ? {} : { junk: true as const }),
      ...takeFromLines(),
    });
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
      if (bodyEnd !== undefined) {
        searchFrom = bodyEnd - 1;
        for (
          let hit = buffer.indexOf(NEWLINE_FROM, envelopeEnd);
          hit !== -1 && hit < searchFrom;
          hit = buffer.indexOf(NEWLINE_FROM, hit + 1)
        )
          fromLinesInLength.push(hit + 1);
      }
    }
    const next = await findSeparator(searchFrom);
    const end = next === -1 ? buffer.length : next;
    const raw = trimSeparatorLine(buffer.subarray(Math.min(envelopeEnd + 1, end), end));
    yield* accept({
      index: index++,
      offset: base + start,
      line,
      envelope,
      bytes: flavor === 'mbox' ? unescapeFromLines(raw) : raw,
      ...takeFromLines(),
    });
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
    const header = /^content-length:[ \t]*(\d{1,12})[ \t]*\r?$/im.exec(
      buffer.toString('latin1', headerStart, blank.end),
    );
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
    let verdict = isSeparator(cursor);
    while (verdict === NEED_MORE && (await readMore())) verdict = isSeparator(cursor);
    return verdict === true ? cursor : undefined;
  }
}

/** Whether a file's head ends its lines with a lone CR (classic Mac OS) more often than with LF. */
function hasCrLineEnds(head: Buffer): boolean {
  let lone = 0;
  for (let cursor = head.indexOf(CR); cursor !== -1; cursor = head.indexOf(CR, cursor + 1))
    if (head[cursor + 1] !== LF && cursor + 1 < head.length) lone++;
  if (lone === 0) return false;
  let lf = 0;
  for (let cursor = head.indexOf(LF); cursor !== -1; cursor = head.indexOf(LF, cursor + 1)) lf++;
  return lone > lf;
}

/** Drops the blank line (LF or CRLF, after a line end of either kind) that separates a message from the next one in an mbox. */
function trimSeparatorLine(bytes: Buffer): Buffer {
  const length = bytes.length;
  if (bytes[length - 1] !== LF) return bytes;
  const blank = bytes[length - 2] === CR ? length - 2 : length - 1;
  return blank > 0 && bytes[blank - 1] === LF ? bytes.subarray(0, blank) : bytes;
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
  for (let cursor = buffer.indexOf(LF, start); cursor !== -1 && cursor < end; cursor = buffer.indexOf(LF, cursor + 1))
    count++;
  return count;
}
