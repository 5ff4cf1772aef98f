import { isUtf8 } from 'node:buffer';
import type { Readable, Writable } from 'node:stream';
import { findUrlsInTexts } from '../url/findUrls.ts';
import { CLOSE_HYPERLINK, openHyperlink, terminalUri } from './hyperlink.ts';

/**
 * `almanac linkify`: every URL in a byte stream wrapped in an OSC 8 hyperlink, found by the
 * same GFM rules as the import (src/url/findUrls.ts). What the reader sees is unchanged byte
 * for byte: only escape sequences are added, around URLs that are not already inside a link,
 * so a second pass adds nothing. Lines that are not UTF-8 pass through with only their ASCII
 * URLs linked. Works line by line, so memory stays flat whatever the input's size.
 */

// One escape sequence at the cursor: CSI, OSC (to BEL or ST), DCS/SOS/PM/APC strings, other two-byte escapes.
const ESCAPE =
  /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[PX^_][^\u001B]*\u001B\\|[ -/]*[0-~])?/y;
const HYPERLINK = /^\u001B\]8;[^;\u0007\u001B]*;([^\u0007\u001B]*)/;
const CSI = /^\u001B\[/;
/** Bytes of the detection text that no URL may contain: controls, and in non-UTF-8 lines every byte above ASCII. */
const NOT_URL_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const NOT_ASCII_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u00FF]/g;
const MAYBE_URL_OR_ESCAPE = /https?:\/\/|www\.|@|\u001B/i;

/** A run of text that URLs are looked for in: text between escapes, across CSI (colours) but not across OSC, nor inside a link. */
interface Group {
  /** [offset in the line, text] for each piece of text. */
  pieces: [number, string][];
  /** The pieces joined, with what cannot be part of a URL blanked out (same length). */
  text: string;
}

interface ScannedLine {
  line: string;
  encoding: 'utf8' | 'latin1';
  groups: Group[];
}

export class Linkifier {
  /** Inside a hyperlink opened on an earlier line (`almanac read` wraps one link over lines). */
  private insideLink = false;

  /** Lines (or pieces of one ending in whitespace), without their newlines, in order. */
  linkifyLines(lines: readonly Buffer[]): Buffer[] {
    const scanned = lines.map((line) => this.scan(line));
    const texts: string[] = [];
    const owners: [ScannedLine, Group, [number, string][]][] = [];
    const inserts = new Map<ScannedLine, [number, string][]>();
    for (const line of scanned) {
      for (const group of line?.groups ?? []) {
        texts.push(group.text);
        owners.push([line!, group, []]);
      }
    }
    findUrlsInTexts(texts).forEach((urls, index) => {
      const [line, { pieces }] = owners[index];
      for (const found of urls) {
        const uri = terminalUri(found.url);
        if (uri === undefined) continue;
        if (!inserts.has(line)) inserts.set(line, []);
        inserts
          .get(line)!
          .push(
            [lineOffset(pieces, found.start, 'start'), openHyperlink(uri)],
            [lineOffset(pieces, found.end, 'end'), CLOSE_HYPERLINK],
          );
      }
    });
    return lines.map((bytes, index) => {
      const line = scanned[index];
      const added = line && inserts.get(line);
      return added ? Buffer.from(insert(line.line, added), line.encoding) : bytes;
    });
  }

  linkifyBytes(line: Buffer): Buffer {
    return this.linkifyLines([line])[0];
  }

  /** The line's text groups, following links opened and closed on the way; undefined when nothing in it can be or change a link. */
  private scan(bytes: Buffer): ScannedLine | undefined {
    const latin1 = bytes.toString('latin1');
    if (!MAYBE_URL_OR_ESCAPE.test(latin1)) return undefined;
    // Not UTF-8: read byte for byte, so every byte goes back as it came; only ASCII can be a URL.
    const utf8 = isUtf8(bytes);
    const line = utf8 ? bytes.toString('utf8') : latin1;
    const notUrl = utf8 ? NOT_URL_TEXT : NOT_ASCII_TEXT;
    const groups: Group[] = [];
    let group: Group | undefined;
    let index = 0;
    while (index < line.length) {
      const escapeAt = line.indexOf('\u001B', index);
      const textEnd = escapeAt === -1 ? line.length : escapeAt;
      if (textEnd > index && !this.insideLink) {
        group ??= groups[groups.push({ pieces: [], text: '' }) - 1];
        const piece = line.slice(index, textEnd);
        group.pieces.push([index, piece]);
        group.text += piece.replace(notUrl, ' ');
      }
      if (escapeAt === -1) break;
      ESCAPE.lastIndex = escapeAt;
      const sequence = ESCAPE.exec(line)![0];
      const link = HYPERLINK.exec(sequence);
      if (link) this.insideLink = link[1] !== '';
      if (!CSI.test(sequence)) group = undefined;
      index = escapeAt + sequence.length;
    }
    return { line, encoding: utf8 ? 'utf8' : 'latin1', groups };
  }
}

function insert(line: string, inserts: [number, string][]): string {
  let result = '';
  let from = 0;
  for (const [at, sequence] of inserts) {
    result += line.slice(from, at) + sequence;
    from = at;
  }
  return result + line.slice(from);
}

/** A position in a group's joined text as an offset in the line: a start sits before its character, an end right after the previous one. */
function lineOffset(pieces: [number, string][], position: number, side: 'start' | 'end'): number {
  let passed = 0;
  for (const [offset, piece] of pieces) {
    if (side === 'start' ? position < passed + piece.length : position <= passed + piece.length)
      return offset + position - passed;
    passed += piece.length;
  }
  const [offset, piece] = pieces[pieces.length - 1];
  return offset + piece.length;
}

/** Longest stretch held while waiting for a newline; a longer line is cut at whitespace, where no URL can span. */
const LONGEST_PENDING = 1 << 20;

/** The filter: input to output, line by line, with backpressure; the lines of each chunk are looked at together. */
export async function linkifyStream(input: Readable, output: Writable): Promise<void> {
  const linkifier = new Linkifier();
  let pending: Buffer = Buffer.alloc(0);
  // After a cut inside a run of more than LONGEST_PENDING bytes without whitespace: the rest of that run is no URL.
  let insideLongRun = false;
  const write = (bytes: Buffer) =>
    output.write(bytes) ? undefined : new Promise<void>((resolve) => output.once('drain', resolve));

  /** Pieces to write in order: [bytes, whether to linkify them]. */
  const handle = async (pieces: [Buffer, boolean][]) => {
    const linked = linkifier.linkifyLines(pieces.filter(([, linkify]) => linkify).map(([bytes]) => bytes));
    let next = 0;
    await write(Buffer.concat(pieces.map(([bytes, linkify]) => (linkify ? linked[next++] : bytes))));
  };
  /** Text up to a whitespace byte or a newline: the rest of a long run, passed through. */
  const skipLongRun = (data: Buffer, pieces: [Buffer, boolean][]): Buffer => {
    if (!insideLongRun) return data;
    const end = data.findIndex((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a);
    if (end === -1) {
      pieces.push([data, false]);
      return Buffer.alloc(0);
    }
    insideLongRun = false;
    pieces.push([data.subarray(0, end), false]);
    return data.subarray(end);
  };

  for await (const chunk of input as AsyncIterable<Buffer>) {
    const pieces: [Buffer, boolean][] = [];
    let data = skipLongRun(pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk, pieces);
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
      pieces.push([data.subarray(start, newline), true], [NEWLINE, false]);
      start = newline + 1;
    }
    data = data.subarray(start);
    if (data.length > LONGEST_PENDING) {
      const cut = Math.max(data.lastIndexOf(0x20), data.lastIndexOf(0x09), data.lastIndexOf(0x0d));
      pieces.push([data.subarray(0, cut + 1), true]);
      data = data.subarray(cut + 1);
      if (cut === -1) {
        pieces.push([data, true]);
        data = Buffer.alloc(0);
        insideLongRun = true;
      }
    }
    pending = Buffer.from(data);
    if (pieces.length > 0) await handle(pieces);
  }
  if (pending.length > 0) await handle([[pending, true]]);
}

const NEWLINE = Buffer.from('\n');
