import { decodeLenient } from './charset.ts';

/**
 * The top-level header fields of a message, unfolded, by lower-case name. Read without a MIME
 * parser: threading only needs a handful of fields, and the headers pass reads every message.
 */
export class Headers {
  readonly fields = new Map<string, string[]>();

  get(name: string): string | undefined {
    return this.fields.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.fields.get(name) ?? [];
  }
}

export interface HeaderSplit {
  headers: Headers;
  /** Length of the header block (where the blank line starts). */
  headerEnd: number;
  /** Offset of the body (after the blank line), or the message length when there is none. */
  bodyStart: number;
}

/**
 * The blank line ending a header block that starts at `start`, line by line (LF or CRLF), or
 * undefined when the bytes end first. A whole-buffer search for "\r\n\r\n" would read every
 * LF-only message to its end: measured as the importer's largest cost.
 */
export function findBlankLine(buffer: Buffer, start = 0): { end: number; body: number } | undefined {
  let position = start;
  while (position < buffer.length) {
    if (buffer[position] === 0x0a) return { end: position, body: position + 1 };
    if (buffer[position] === 0x0d && buffer[position + 1] === 0x0a) return { end: position, body: position + 2 };
    const next = buffer.indexOf(0x0a, position);
    if (next === -1) return undefined;
    position = next + 1;
  }
  return undefined;
}

export function readHeaders(message: Buffer): HeaderSplit {
  const blank = findBlankLine(message);
  const end = blank?.end ?? message.length;
  const bodyStart = blank?.body ?? message.length;
  const headers = new Headers();
  const text = decodeLenient(message.subarray(0, end));
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const list = headers.fields.get(name);
    if (list) list.push(value.trim());
    else headers.fields.set(name, [value.trim()]);
  };
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && name !== undefined) {
      value += line;
      continue;
    }
    const colon = line.indexOf(':');
    flush();
    if (colon <= 0) {
      name = undefined;
      continue;
    }
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return { headers, headerEnd: end, bodyStart };
}

/** Message-IDs without their angle brackets, in order, from a References or In-Reply-To value. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  // `<yes>` (git send-email's old In-Reply-To bug) and other ids without an @ point at nothing.
  const ids = [...value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)].map((match) => match[1]);
  if (ids.length > 0) return ids;
  // Some mailers drop the brackets: a lone token with an @ is still an id.
  const bare = value.trim();
  return /^[^\s<>()]+@[^\s<>()]+$/.test(bare) ? [bare] : [];
}

/** The one Message-ID of a message, or undefined when the field is absent, empty or unusable. */
export function messageIdOf(headers: Headers): string | undefined {
  const value = headers.get('message-id');
  if (!value) return undefined;
  return /<([^<>\s]+)>/.exec(value)?.[1] ?? (/^[^\s<>]+$/.test(value.trim()) ? value.trim() : undefined);
}
