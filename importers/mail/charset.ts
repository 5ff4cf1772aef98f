/**
 * Bytes of unknown or wrong charset as text. Mail parsers don't guess: raw 8-bit Latin-1 headers
 * and undeclared 8-bit bodies come out as U+FFFD. Valid UTF-8 is kept; anything else is read as
 * windows-1252 (a superset of ISO-8859-1 in practice, and what mislabelled "Latin-1" mail usually is).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** 0x80–0x9F of windows-1252 (undefined bytes stay C1 controls, as in the WHATWG table). Node 20's own windows-1252 decoder is ISO-8859-1 there. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const windows1252 = {
  decode(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      .toString('latin1')
      .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]);
  },
};

/** Whether any byte is outside 7-bit ASCII. */
export function hasEightBit(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index++) if (bytes[index] > 0x7f) return true;
  return false;
}

/** Whether the bytes are valid UTF-8. */
export function isUtf8(bytes: Uint8Array | ArrayBuffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Valid UTF-8 as UTF-8, everything else as windows-1252. Never produces U+FFFD. */
export function decodeLenient(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return windows1252.decode(bytes);
  }
}

/**
 * Text in a declared charset; when the label is unknown (`X-UNKNOWN`, `utf8` is fine) or the bytes
 * do not fit it (declared UTF-8, really Latin-1), falls back to decodeLenient.
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const label = charset?.trim().toLowerCase();
  if (
    !label ||
    label === 'us-ascii' ||
    label === 'ascii' ||
    label === 'utf-8' ||
    label === 'utf8' ||
    label === 'unknown-8bit' ||
    label === 'x-unknown'
  ) {
    return decodeLenient(bytes);
  }
  if (label === 'windows-1252' || label === 'cp1252' || label === 'iso-8859-1' || label === 'latin1')
    return windows1252.decode(bytes);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return decodeLenient(bytes);
  }
}

/** The header block (its first `headerEnd` bytes) as UTF-8, so raw 8-bit Latin-1 in headers reaches the MIME parser as the characters meant. */
export function repairHeaderBytes(message: Buffer, headerEnd: number): Buffer {
  const head = message.subarray(0, headerEnd);
  if (!hasEightBit(head)) return message;
  try {
    strictUtf8.decode(head);
    return message;
  } catch {
    return Buffer.concat([Buffer.from(windows1252.decode(head), 'utf8'), message.subarray(headerEnd)]);
  }
}
