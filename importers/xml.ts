/**
 * Reading XML inputs (Blogger, Roller, Atom, RSS) once, deliberately:
 * bytes decoded by their declared encoding, well-formedness checked with a line:column,
 * entities limited to the document's own, elements looked up by local name because real
 * exports use namespace prefixes they never declare.
 */
import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { InputError } from '../src/errors.ts';
import { decodeText } from './textEncoding.ts';

/** A parsed element: attributes under `@_name`, text under `#text`, children by qualified name. */
export type XmlNode = { [key: string]: unknown };

export interface XmlDocument {
  file: string;
  root: XmlNode;
}

const ATTRIBUTE_PREFIX = '@_';

/** Elements that may repeat under their parent; always arrays, so one and many read alike. */
const REPEATED = new Set(['entry', 'item', 'link', 'category', 'author', 'contributor', 'extendedProperty']);

/** The parser options every XML importer uses (importers/atomEntry.ts adds its raw text constructs). */
export const XML_PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  textNodeName: '#text',
  // `<title>007</title>` is a title, not the number 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Predefined and numeric references are decoded; DOCTYPE entities are the document's own
  // (fast-xml-parser never fetches SYSTEM ones) and bounded so a billion laughs stays small;
  // the limits apply to those only ('external' tier): a real backup holds millions of `&lt;`.
  processEntities: { enabled: true, maxEntityCount: 100, maxEntitySize: 10_000, maxTotalExpansions: 10_000, maxExpandedLength: 1_000_000, appliesTo: 'external' } as { enabled: boolean },
  // An object here means: XML's five named entities only, and numeric references (`&#233;`) decoded.
  htmlEntities: {} as unknown as boolean,
  ignoreDeclaration: true,
  ignorePiTags: true,
} satisfies X2jOptions;

const parser = new XMLParser({ ...XML_PARSER_OPTIONS, isArray: (name) => REPEATED.has(localName(name)) });

/** Reads, decodes, checks and parses one XML file; throws InputError naming the file. */
export async function readXmlFile(file: string): Promise<XmlDocument> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  return parseXml(file, bytes);
}

export function parseXml(file: string, bytes: Uint8Array): XmlDocument {
  if (bytes.length === 0) throw new InputError(file, 'the file is empty; expected an XML document');
  const text = decodeText(file, bytes, declaredXmlEncoding(bytes)).replace(/^\s+/, '');
  if (!text.startsWith('<')) throw new InputError(file, 'not an XML document (it does not start with "<")', { line: 1, column: 1 });
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    // The validator reports elements still open at the end as "Invalid '[...]' found" at 1:1.
    const unclosed = /^Invalid '\[(.*)\]' found/s.exec(msg);
    if (unclosed) {
      const names = unclosed[1].split(',').map((name) => `<${name.trim().replace(/^"|"$/g, '')}>`).join(', ');
      const lines = text.split('\n');
      throw new InputError(file, `the document ends with ${names} still open: is the file truncated?`, { line: lines.length, column: lines.at(-1)!.length + 1 });
    }
    const atEnd = line >= text.split('\n').length - 1;
    throw new InputError(file, `broken XML: ${msg}${atEnd ? ' (this is where the file ends: is it truncated?)' : ''}`, { line, column: col });
  }
  let root: XmlNode;
  try {
    root = parser.parse(text) as XmlNode;
  } catch (error) {
    throw new InputError(file, `broken XML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { file, root };
}

/** The encoding named in the XML declaration, or undefined (then UTF-8 or a BOM decides). */
function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
}

/** `app:draft` → `draft`. */
export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function childEntries(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const found: unknown[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith(ATTRIBUTE_PREFIX) || key === '#text') continue;
    if (key === name || localName(key) === name) found.push(...(Array.isArray(value) ? value : [value]));
  }
  return found;
}

/** Child elements by local name, whatever prefix the file gave them. */
export function children(node: unknown, name: string): XmlNode[] {
  return childEntries(node, name).map((value) => (value !== null && typeof value === 'object' ? (value as XmlNode) : { '#text': value ?? '' }));
}

export function child(node: unknown, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** The text of an element (its direct text; CDATA included), untrimmed. */
export function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node !== 'object') return String(node);
  const value = (node as XmlNode)['#text'];
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join('') : String(value);
}

/** The trimmed text of the first child with this local name, or undefined when it is missing or empty. */
export function childText(node: unknown, name: string): string | undefined {
  const element = child(node, name);
  const value = element === undefined ? '' : text(element).trim();
  return value === '' ? undefined : value;
}

export function attribute(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith(ATTRIBUTE_PREFIX)) continue;
    const bare = key.slice(ATTRIBUTE_PREFIX.length);
    if (bare === name || localName(bare) === name) return String(value);
  }
  return undefined;
}
