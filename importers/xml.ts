/**
 * Reading XML inputs (Blogger, Roller, Atom, RSS) once, deliberately:
 * bytes decoded by their declared encoding (or `--encoding`), well-formedness checked with a
 * line:column, entities limited to the document's own, and every element and attribute renamed
 * once by its namespace URI (never by the prefix the file chose: Python's ElementTree writes
 * `ns0:feed`), so importers look names up exactly. `xml:base` is kept per element for
 * RFC 3986 resolution (see xmlBase).
 */
import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { InputError } from '../src/errors.ts';
import { decodeText } from './textEncoding.ts';

/** A parsed element: attributes under `@_name`, text under `#text`, children by canonical name (see canonicalName). */
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
  processEntities: {
    enabled: true,
    maxEntityCount: 100,
    maxEntitySize: 10_000,
    maxTotalExpansions: 10_000,
    maxExpandedLength: 1_000_000,
    appliesTo: 'external',
  } as { enabled: boolean },
  // An object here means: XML's five named entities only, and numeric references (`&#233;`) decoded.
  htmlEntities: {} as unknown as boolean,
  ignoreDeclaration: true,
  ignorePiTags: true,
} satisfies X2jOptions;

const parser = new XMLParser({ ...XML_PARSER_OPTIONS, isArray: (name) => REPEATED.has(localName(name)) });

/** Reads, decodes, checks and parses one XML file; throws InputError naming the file. `encoding` (`--encoding`) overrides the declaration. */
export async function readXmlFile(file: string, encoding?: string): Promise<XmlDocument> {
  return parseXml(file, await readXmlBytes(file), encoding);
}

export async function readXmlBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new InputError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
}

/** The document's text: a BOM, else `--encoding`, else the XML declaration, else UTF-8. */
export function decodeXml(file: string, bytes: Uint8Array, encoding?: string): string {
  if (bytes.length === 0) throw new InputError(file, 'the file is empty; expected an XML document');
  return decodeText(file, bytes, declaredXmlEncoding(bytes), encoding).replace(/^\s+/, '');
}

export function parseXml(file: string, bytes: Uint8Array, encoding?: string): XmlDocument {
  return parseXmlText(file, decodeXml(file, bytes, encoding), parser);
}

/** Checks and parses decoded XML with one of the importers' parsers (importers/atomEntry.ts has its own), names made canonical. */
export function parseXmlText(file: string, text: string, xmlParser: XMLParser): XmlDocument {
  if (!text.startsWith('<'))
    throw new InputError(file, 'not an XML document (it does not start with "<")', { line: 1, column: 1 });
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    // The validator reports elements still open at the end as "Invalid '[...]' found" at 1:1.
    const unclosed = /^Invalid '\[(.*)\]' found/s.exec(msg);
    if (unclosed) {
      const names = unclosed[1]
        .split(',')
        .map((name) => `<${name.trim().replace(/^"|"$/g, '')}>`)
        .join(', ');
      const lines = text.split('\n');
      throw new InputError(file, `the document ends with ${names} still open: is the file truncated?`, {
        line: lines.length,
        column: lines.at(-1)!.length + 1,
      });
    }
    const atEnd = line >= text.split('\n').length - 1;
    throw new InputError(file, `broken XML: ${msg}${atEnd ? ' (this is where the file ends: is it truncated?)' : ''}`, {
      line,
      column: col,
    });
  }
  let root: XmlNode;
  try {
    root = xmlParser.parse(text) as XmlNode;
  } catch (error) {
    throw new InputError(file, `broken XML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { file, root: withCanonicalNames(root) };
}

/** The encoding named in the XML declaration, or undefined (then UTF-8 or a BOM decides). */
function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
}

/** The last part of a name: `app:draft` → `draft`, `{uri}x` → `x`. */
export function localName(qualified: string): string {
  return qualified.slice(Math.max(qualified.lastIndexOf(':'), qualified.lastIndexOf('}')) + 1);
}

const ATOM = 'http://www.w3.org/2005/Atom';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/**
 * The prefix Almanac reads each namespace under, whatever the file wrote. Atom 0.3 reads as Atom,
 * RSS 1.0 and 0.90 as RSS 2.0 (no namespace). A namespace not listed keeps its URI: `{uri}name`.
 */
const CANONICAL_PREFIXES: Record<string, string> = {
  [ATOM]: 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  [RDF]: 'rdf',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/atom/app#': 'app',
  'http://www.w3.org/2007/app': 'app',
  'http://purl.org/syndication/thread/1.0': 'thr',
  'http://schemas.google.com/g/2005': 'gd',
  'http://schemas.google.com/blogger/2018': 'blogger',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
  'http://search.yahoo.com/mrss/': 'media',
  'http://wellformedweb.org/CommentAPI/': 'wfw',
  'http://purl.org/rss/1.0/modules/slash/': 'slash',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/1999/xhtml': 'xhtml',
};

/** The canonical prefix of a namespace URI, or undefined for one Almanac does not know. */
export function canonicalPrefix(uri: string): string | undefined {
  const known = CANONICAL_PREFIXES[uri];
  if (known !== undefined) return known;
  // Atom's drafts before 1.0: http://purl.org/atom/ns#draft-ietf-atompub-format-08.
  if (uri.startsWith('http://purl.org/atom/ns#')) return 'atom';
  // WordPress exports, every WXR version: http://wordpress.org/export/1.2/ and its excerpt/ namespace.
  const wxr = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/(excerpt\/)?$/.exec(uri);
  if (wxr) return wxr[1] ? 'excerpt' : 'wp';
  return undefined;
}

type Scope = ReadonlyMap<string, string>;

/** The namespace declarations of an element added to those in scope (`''` is the default namespace). */
function scopeOf(node: unknown, parent: Scope): Scope {
  if (!node || typeof node !== 'object') return parent;
  let scope: Map<string, string> | undefined;
  for (const key of Object.keys(node)) {
    if (key !== '@_xmlns' && !key.startsWith('@_xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(key === '@_xmlns' ? '' : key.slice('@_xmlns:'.length), String((node as XmlNode)[key]).trim());
  }
  return scope ?? parent;
}

/**
 * An element's or attribute's name as importers look it up: the home vocabulary (the root
 * element's: Atom, or RSS) bare, other known namespaces under their canonical prefix, unknown
 * ones as `{uri}name`. A prefix the file never declared is kept as written (WordPress.com
 * writes `excerpt:` and `atom:` undeclared): its conventional meaning is all there is.
 */
function canonicalName(qualified: string, scope: Scope, home: string | undefined, isAttribute: boolean): string {
  const colon = qualified.indexOf(':');
  const prefix = colon === -1 ? '' : qualified.slice(0, colon);
  const local = colon === -1 ? qualified : qualified.slice(colon + 1);
  // `xml:` is bound by XML itself (`xml:base`, `xml:lang`); declarations and unprefixed attributes have no namespace.
  if (prefix === 'xml' || prefix === 'xmlns' || qualified === 'xmlns' || (isAttribute && prefix === ''))
    return qualified;
  const uri = scope.get(prefix);
  if (uri === undefined) return qualified;
  if (uri === '') return local;
  const canonical = canonicalPrefix(uri);
  if (canonical === undefined) return `{${uri}}${local}`;
  return canonical === '' || (!isAttribute && canonical === home) ? local : `${canonical}:${local}`;
}

/** The parsed document with every name made canonical (see canonicalName); runs once per file. */
function withCanonicalNames(document: XmlNode): XmlNode {
  const top = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  const rootValue = top === undefined ? undefined : [document[top]].flat()[0];
  const rootScope = scopeOf(rootValue, new Map());
  const rootColon = top?.indexOf(':') ?? -1;
  const rootUri = rootScope.get(rootColon === -1 ? '' : top!.slice(0, rootColon)) ?? '';
  // An RDF root holds RSS 1.0: its vocabulary is RSS's.
  const home = rootUri === RDF ? '' : (canonicalPrefix(rootUri) ?? rootUri);
  return renameElement(document, new Map(), home, new WeakMap()) as XmlNode;
}

/** Names by scope: scopes are shared by every element that declares nothing, so each name is worked out about once per file. */
type NameCache = WeakMap<Scope, Map<string, string>>;

function cachedName(qualified: string, scope: Scope, home: string, isAttribute: boolean, cache: NameCache): string {
  let names = cache.get(scope);
  if (!names) cache.set(scope, (names = new Map()));
  const key = isAttribute ? `@${qualified}` : qualified;
  let name = names.get(key);
  if (name === undefined) names.set(key, (name = canonicalName(qualified, scope, home, isAttribute)));
  return name;
}

const XML_BASE = Symbol('xml:base');

interface BaseLink {
  value: string;
  parent?: BaseLink;
}

/** `node` with its names made canonical; `scope` already holds its own declarations. */
function renameElement(node: unknown, scope: Scope, home: string, cache: NameCache, base?: BaseLink): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const own = (node as XmlNode)['@_xml:base'];
  const chain = own === undefined ? base : { value: String(own), parent: base };
  const renamed: XmlNode = {};
  if (chain) Object.defineProperty(renamed, XML_BASE, { value: chain, enumerable: false });
  for (const [key, value] of Object.entries(node)) {
    if (key === '#text') {
      renamed[key] = value;
    } else if (key.startsWith(ATTRIBUTE_PREFIX)) {
      renamed[ATTRIBUTE_PREFIX + cachedName(key.slice(ATTRIBUTE_PREFIX.length), scope, home, true, cache)] = value;
    } else {
      // Each occurrence resolves its own prefix: siblings may bind one prefix to different URIs.
      for (const item of Array.isArray(value) ? value : [value]) {
        const itemScope = scopeOf(item, scope);
        const name = cachedName(key, itemScope, home, false, cache);
        const element = renameElement(item, itemScope, home, cache, chain);
        const previous = renamed[name];
        if (previous === undefined) renamed[name] = Array.isArray(value) ? [element] : element;
        else renamed[name] = [...(Array.isArray(previous) ? previous : [previous]), element];
      }
    }
  }
  return renamed;
}

/**
 * The base URI of an element (XML Base): each `xml:base` from the root down resolved against its
 * parent's (RFC 3986 §5), starting from the document's own URL when known. A base that stays
 * relative (nothing absolute above it) comes back as a path, `/blog/2020/`, or undefined.
 * `parent`: the element holding `node`, for elements read as text alone.
 */
export function xmlBase(node: unknown, documentUrl?: string, parent?: unknown): string | undefined {
  const values: string[] = [];
  // An element with text only is a string to the parser and has no place for its base: its parent's is the same.
  const chain =
    (node as { [XML_BASE]?: BaseLink } | undefined)?.[XML_BASE] ??
    (parent as { [XML_BASE]?: BaseLink } | undefined)?.[XML_BASE];
  for (let link = chain; link; link = link.parent) values.unshift(link.value.trim());
  let base = documentUrl;
  for (const value of values) base = resolveReference(value, base) ?? base;
  return base;
}

const RELATIVE_ORIGIN = 'http://relative.invalid';

/** A reference resolved against a base (RFC 3986 §5.2, by WHATWG URL): absolute when the base is, a root-relative path when the base is a path. */
export function resolveReference(reference: string, base: string | undefined): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(reference)) return URL.canParse(reference) ? new URL(reference).href : undefined;
  if (base !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(base))
    return URL.canParse(reference, base) ? new URL(reference, base).href : undefined;
  const anchor = base === undefined ? undefined : base.startsWith('/') ? RELATIVE_ORIGIN + base : undefined;
  if (anchor === undefined && !reference.startsWith('/')) return undefined;
  if (reference.startsWith('//')) return undefined;
  const url = new URL(reference, anchor ?? RELATIVE_ORIGIN);
  return url.href.slice(RELATIVE_ORIGIN.length);
}

function childEntries(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  if (value === undefined || name.startsWith(ATTRIBUTE_PREFIX) || name === '#text') return [];
  return Array.isArray(value) ? value : [value];
}

/** Child elements by canonical name: `entry` (the home vocabulary's), `thr:in-reply-to`, `content:encoded`. */
export function children(node: unknown, name: string): XmlNode[] {
  return childEntries(node, name).map((value) =>
    value !== null && typeof value === 'object' ? (value as XmlNode) : { '#text': value ?? '' },
  );
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

/** The trimmed text of the first child with this canonical name, or undefined when it is missing or empty. */
export function childText(node: unknown, name: string): string | undefined {
  const element = child(node, name);
  const value = element === undefined ? '' : text(element).trim();
  return value === '' ? undefined : value;
}

/** An attribute by canonical name: `href`, `xml:base`, `rdf:about`. */
export function attribute(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as XmlNode)[ATTRIBUTE_PREFIX + name];
  return value === undefined ? undefined : String(value);
}

/** The namespace declarations of an element, URI by prefix as written (for sniffing and format checks). */
export function namespaceUris(node: unknown): string[] {
  return node && typeof node === 'object'
    ? Object.keys(node)
        .filter((key) => key === '@_xmlns' || key.startsWith('@_xmlns:'))
        .map((key) => String((node as XmlNode)[key]).trim())
    : [];
}

export interface RootElement {
  /** By namespace URI, as the importers read it: `atom:feed`, `rss`, `rdf:RDF`, `{uri}name`. */
  name: string;
  /** The namespace URIs declared on the root element. */
  namespaces: string[];
}

/** For sniffing: the first element of an XML document (after the declaration, comments, PIs and DOCTYPE), its prefix resolved by its declarations. */
export function rootElement(head: string): RootElement | undefined {
  // The head is read as Latin-1: a UTF-8 byte-order mark is `ï»¿` there.
  const rest = head.replace(
    /^(?:\uFEFF|\u00EF\u00BB\u00BF)?(\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>)*/i,
    '',
  );
  const tag = /^<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)/.exec(rest);
  if (!tag) return undefined;
  const scope = new Map<string, string>();
  for (const [, prefix, double, single] of tag[2].matchAll(/\s+xmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    scope.set(prefix ?? '', (double ?? single).trim());
  const colon = tag[1].indexOf(':');
  const uri = scope.get(colon === -1 ? '' : tag[1].slice(0, colon));
  const local = tag[1].slice(colon + 1);
  const prefix = uri === undefined || uri === '' ? undefined : canonicalPrefix(uri);
  const name =
    uri === undefined || uri === ''
      ? tag[1]
      : prefix === undefined
        ? `{${uri}}${local}`
        : prefix === ''
          ? local
          : `${prefix}:${local}`;
  return { name, namespaces: [...scope.values()] };
}

/** An Atom `<feed>` (1.0 or 0.3, whatever its prefix), or a `<feed>` that declares no namespace at all. */
export function isAtomRoot(head: string): boolean {
  const name = rootElement(head)?.name;
  return name === 'atom:feed' || name === 'feed';
}
