import { TextDecoder } from 'node:util';
import { InputError, UsageError } from '../src/errors.ts';

/**
 * Decodes a text input by its byte-order mark, else the encoding the user named (`--encoding`,
 * for files that lie about theirs or omit it), else the declared one, else UTF-8.
 * Invalid UTF-8 is an error with the line and column of the first bad byte, never mojibake.
 */
export function decodeText(file: string, bytes: Uint8Array, declared?: string, override?: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(file, bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const label = (override ?? declared ?? 'utf-8').trim().toLowerCase();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    if (override !== undefined) throw new UsageError(encodingUsage(override));
    throw new InputError(
      file,
      `unknown character encoding "${declared}" in the XML declaration; if you know the file's encoding, say which with --encoding`,
      { line: 1 },
    );
  }
  if (decoder.encoding === 'utf-8') return utf8(file, bytes);
  return decoder.decode(bytes);
}

/** The WHATWG Encoding Standard's name for a label (`latin1` → `windows-1252`), or undefined for an unknown label. */
export function encodingName(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

export function encodingUsage(label: string): string {
  return `--encoding "${label}" is not a character encoding; give a WHATWG label such as utf-8, latin1, windows-1252, iso-8859-15, koi8-r, shift_jis, euc-jp, gb18030, big5`;
}

/** The `--encoding` (or config `encoding`) of an import's options, checked: unknown labels are a usage error. */
export function encodingOption(options: Readonly<Record<string, unknown>>): string | undefined {
  const label = options.encoding;
  if (label === undefined || label === null || label === '') return undefined;
  if (typeof label !== 'string' || encodingName(label) === undefined)
    throw new UsageError(encodingUsage(String(label)));
  return label.trim();
}

function utf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes);
    const { line, column } = positionOf(bytes, offset);
    throw new InputError(
      file,
      `invalid UTF-8 (byte 0x${bytes[offset]?.toString(16).padStart(2, '0')} at offset ${offset}); if the file is in another encoding, say which with --encoding latin1`,
      { line, column },
    );
  }
}

/** Binary search for the shortest prefix that fails to decode; streaming mode tolerates a cut character. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      good = middle;
    } catch {
      bad = middle;
    }
  }
  // The decoder fails at the byte that breaks a sequence; report the sequence's first byte.
  let offset = bad - 1;
  if (offset > 0 && bytes[offset] < 0x80 && bytes[offset - 1] >= 0x80) offset--;
  for (
    let steps = 0;
    steps < 3 && offset > 0 && bytes[offset] >= 0x80 && bytes[offset] < 0xc0 && bytes[offset - 1] >= 0x80;
    steps++
  )
    offset--;
  return offset;
}

export function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    if (bytes[index] === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
