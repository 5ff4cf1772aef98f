import type { List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { decodeWords } from 'postal-mime';
import type { Attachment } from '../../src/model.ts';
import { decodeCharset, decodeLenient, hasEightBit, isUtf8, repairHeaderBytes } from './charset.ts';
import type { HeaderSplit, Headers } from './headers.ts';
import { mailTextToMdast } from './mailBody.ts';
import { decodeUndeclared } from './undeclaredCharset.ts';
import { obfuscateText, obfuscateTree } from './obfuscateAddresses.ts';
import { parseMime } from './undeclaredParts.ts';

/**
 * One message's content as the importer needs it: the body as a Markdown tree, attachments to
 * save beside it, and what went wrong on the way. MIME goes through postal-mime; single-part plain
 * text (most list mail) takes a fast path — measured 3× faster, and it can fall back on the body's
 * charset (postal-mime turns undeclared 8-bit and mislabelled Latin-1 into U+FFFD).
 */

export interface ParseOptions {
  /** Publish addresses as they are (lists that want it); otherwise names, else `user at host`. */
  showAddresses: boolean;
  /** Attachments larger than this are not kept (a note in the body says so). */
  maxAttachmentBytes: number;
  /** The charset of bodies that declare none and are not UTF-8 (a Pipermail volume's list charset); windows-1252 when unset. */
  undeclaredCharset?: string;
}

export interface ParsedBody {
  tree: Root;
  attachments: Attachment[];
  warnings: string[];
  /** Text parts with 8-bit bytes that are not UTF-8 and no charset, read in the undeclared charset (windows-1252 by default). */
  undeclaredParts: number;
}

export function decodeSubject(subject: string | undefined): string {
  return decodeWords(subject ?? '')
    .replace(/\0/g, '')
    .replace(/\s+/g, ' ')
    .trim(); // NUL is no text
}

interface ContentType {
  type: string;
  params: Record<string, string>;
}

function parseContentType(value: string | undefined): ContentType | undefined {
  if (!value) return undefined;
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const part of rest) {
    const match = /^\s*([\w.*-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (match) params[match[1].toLowerCase()] = match[2];
  }
  return { type: type.trim().toLowerCase(), params };
}

/** Whether the fast path reads this message exactly as postal-mime would (or better). */
function isPlainSinglePart(headers: Headers): boolean {
  const contentType = parseContentType(headers.get('content-type'));
  if (contentType && !(contentType.type === 'text/plain' || contentType.type === 'text')) return false;
  if (contentType?.params.format?.toLowerCase() === 'flowed') return false;
  if (/^\s*attachment/i.test(headers.get('content-disposition') ?? '')) return false;
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  return ['7bit', '8bit', 'binary', 'quoted-printable', 'base64', ''].includes(encoding);
}

export async function parseBody(message: Buffer, split: HeaderSplit, options: ParseOptions): Promise<ParsedBody> {
  const { headers, bodyStart, headerEnd } = split;
  // A multipart type without a boundary has no parts to find (postal-mime returns no text): its body is read as plain text.
  const contentType = parseContentType(headers.get('content-type'));
  const noBoundary = !!contentType?.type.startsWith('multipart/') && !contentType.params.boundary;
  const result =
    isPlainSinglePart(headers) || noBoundary
      ? plainBody(message.subarray(bodyStart), headers, options.undeclaredCharset)
      : await mimeBody(message, headerEnd, options);
  if (noBoundary)
    result.warnings.push(`a ${contentType!.type} message without a boundary; its body is kept as plain text`);
  if (!options.showAddresses) obfuscateTree(result.tree);
  return result;
}

function plainBody(body: Buffer, headers: Headers, undeclaredCharset: string | undefined): ParsedBody {
  const encoding = (headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  const bytes =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.toString('latin1', 0, body.length), 'base64')
        : body;
  const declared = parseContentType(headers.get('content-type'))?.params.charset;
  const text =
    !declared && undeclaredCharset ? decodeUndeclared(bytes, undeclaredCharset) : decodeCharset(bytes, declared);
  // Node's base64 decoder skips what is not base64 without a word: say so.
  const damaged =
    encoding === 'base64' && !/^[A-Za-z0-9+/\s]*(?:=[\s=]*)?$/.test(body.toString('latin1', 0, body.length));
  const undeclaredParts = !declared && hasEightBit(bytes) && !isUtf8(bytes) ? 1 : 0;
  return {
    tree: mailTextToMdast(text),
    attachments: [],
    warnings: damaged
      ? ['the base64 body is damaged (characters that are not base64); what could be decoded is kept']
      : [],
    undeclaredParts,
  };
}

/** RFC 2045 §6.7 (a few lines; postal-mime's decoder is not exported). */
function decodeQuotedPrintable(body: Buffer): Buffer {
  const text = body
    .toString('latin1', 0, body.length)
    .replace(/[ \t]+(?=\r?\n)/g, '')
    .replace(/=\r?\n/g, '');
  return Buffer.from(
    text.replace(/=([0-9A-Fa-f]{2})/g, (_: string, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

const PATCH_TYPES = /^(text|application)\/(x-)?(patch|diff)$/i;
/** Extensions a static site generator would run as templates or data, or a browser as a page. */
const UNSAFE_EXTENSIONS =
  /\.(md|markdown|html?|xhtml|svg|njk|liquid|hbs|handlebars|mustache|pug|jade|ejs|haml|webc|vue|jsx?|tsx?|[cm]js|json|ya?ml|11ty\.js|php|shtml)$/i;

async function mimeBody(message: Buffer, headerEnd: number, options: ParseOptions): Promise<ParsedBody> {
  const warnings: string[] = [];
  const { email, undeclaredParts } = await parseMime(
    repairHeaderBytes(message, headerEnd),
    options.undeclaredCharset ?? 'windows-1252',
  );
  const attachments: Attachment[] = [];
  const tail: RootContent[] = [];
  const saved: ListItem[] = [];
  const names = new Set<string>();
  let html = email.html ?? '';
  for (const [position, attachment] of email.attachments.entries()) {
    const data = new Uint8Array(attachment.content as ArrayBuffer);
    const mimeType = (attachment.mimeType || 'application/octet-stream').toLowerCase();
    const name = attachment.filename ?? undefined;
    if (
      PATCH_TYPES.test(mimeType) ||
      /\.(patch|diff)$/i.test(name ?? '') ||
      (mimeType.startsWith('text/plain') && looksLikePatch(data))
    ) {
      tail.push(caption(`Attached patch${name ? ` ${name}` : ''}:`), {
        type: 'code',
        lang: 'diff',
        meta: null,
        value: decodeLenient(data).replace(/\r\n?/g, '\n').replace(/\n$/, ''),
      });
      continue;
    }
    const filename = uniqueName(safeFilename(name, position + 1, mimeType), names);
    if (data.byteLength > options.maxAttachmentBytes) {
      warnings.push(
        `attachment "${filename}" (${formatSize(data.byteLength)}) is over the ${formatSize(options.maxAttachmentBytes)} limit; not kept`,
      );
      tail.push(
        caption(
          `Attachment ${filename} (${mimeType}, ${formatSize(data.byteLength)}) was not kept: larger than the import's limit.`,
        ),
      );
      continue;
    }
    const keptData =
      !options.showAddresses && mimeType.startsWith('text/') ? Buffer.from(obfuscateText(decodeLenient(data))) : data;
    attachments.push({ filename, contentType: mimeType, data: keptData });
    const href = `./${encodeURIComponent(filename)}`;
    if (attachment.contentId) {
      const cid = attachment.contentId.replace(/^<|>$/g, '');
      if (html.includes(`cid:${cid}`)) {
        html = html.split(`cid:${cid}`).join(href);
        continue;
      }
    }
    saved.push({
      type: 'listItem',
      spread: false,
      children: [
        {
          type: 'paragraph',
          children: [
            { type: 'link', url: href, title: null, children: [{ type: 'text', value: filename }] },
            { type: 'text', value: ` (${mimeType}, ${formatSize(data.byteLength)})` },
          ],
        },
      ],
    });
  }
  const text = email.text?.trim() ? email.text : undefined;
  // Loaded for the first HTML-only message: most lists never have one, and the HTML toolchain is a third of start-up.
  const tree: Root = text
    ? mailTextToMdast(text)
    : html.trim()
      ? (await import('../../src/convert/htmlToMdast.ts')).htmlToMdast(html)
      : { type: 'root', children: [] };
  tree.children.push(...tail);
  if (saved.length > 0) {
    const list: List = { type: 'list', ordered: false, spread: false, children: saved };
    tree.children.push(caption('Attachments:'), list);
  }
  return { tree, attachments, warnings, undeclaredParts };
}

function looksLikePatch(data: Uint8Array): boolean {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 65536)).toString('latin1');
  return /^diff --git /m.test(head) || /^--- \S.*\n\+\+\+ \S/m.test(head);
}

function caption(text: string): Paragraph {
  return { type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: text }] }] };
}

/**
 * A file name that is safe on every file system and on the site: no folders, controls or reserved
 * characters, no template or page extension (Eleventy would run `x.njk`, browsers `x.html`), ≤ 100 bytes.
 */
export function safeFilename(name: string | undefined, position: number, mimeType: string): string {
  let base = (name ?? '').normalize('NFC').split(/[\\/]/).pop()!;
  base = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.]+$/g, '');
  if (base === '') base = `attachment-${position}${extensionFor(mimeType)}`;
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(base)) base = `_${base}`;
  if (UNSAFE_EXTENSIONS.test(base)) base = `${base}.txt`;
  while (Buffer.byteLength(base) > 100) {
    const dot = base.lastIndexOf('.');
    const extension = dot > 0 && base.length - dot <= 12 ? base.slice(dot) : '';
    base = `${[...base.slice(0, base.length - extension.length)].slice(0, -1).join('')}${extension}`;
  }
  return base;
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let counter = 2; taken.has(candidate.toLowerCase()); counter++) {
    const dot = name.lastIndexOf('.');
    candidate = dot > 0 ? `${name.slice(0, dot)}-${counter}${name.slice(dot)}` : `${name}-${counter}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

function extensionFor(mimeType: string): string {
  const known: Record<string, string> = {
    'image/png': '.png',
    'image/jpeg': '.jpg',
    'image/gif': '.gif',
    'image/webp': '.webp',
    'application/pdf': '.pdf',
    'text/plain': '.txt',
    'application/pgp-signature': '.asc',
    'application/zip': '.zip',
    'application/gzip': '.gz',
    'message/rfc822': '.eml',
  };
  return known[mimeType] ?? '.bin';
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
