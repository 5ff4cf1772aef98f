import { TextDecoder } from 'node:util';
import { InputError } from '../src/errors.ts';

/**
 * Decodes a text input by its byte-order mark or declared encoding (UTF-8 by default).
 * Invalid UTF-8 is an error with the line and column of the first bad byte, never mojibake.
 */
export function decodeText(file: string, bytes: Uint8Array, declared?: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(file, bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const label = (declared ?? 'utf-8').toLowerCase();
  if (label === 'utf-8' || label === 'utf8') return utf8(file, bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    throw new InputError(file, `unknown character encoding "${declared}" in the XML declaration`, { line: 1 });
  }
  return decoder.decode(bytes);
}

function utf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes);
    const { line, column } = positionOf(bytes, offset);
    throw new InputError(file, `invalid UTF-8 (byte 0x${bytes[offset]?.toString(16).padStart(2, '0')} at offset ${offset}); is the file in another encoding, or binary?`, { line, column });
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
  for (let steps = 0; steps < 3 && offset > 0 && bytes[offset] >= 0x80 && bytes[offset] < 0xc0 && bytes[offset - 1] >= 0x80; steps++) offset--;
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
