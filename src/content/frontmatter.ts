import matter from 'gray-matter';
import { DUMP_SCHEMA, dump, load } from 'js-yaml';

/**
 * Markdown documents with YAML frontmatter, through gray-matter.
 * Writing: js-yaml quotes every string another YAML reader could take for something else
 * (`yes`, `2020-05-06`, `#x`, `a: b`), so each value reads back as the exact string.
 * Reading: the YAML core schema (no timestamps, no custom tags) and no JavaScript engines —
 * gray-matter would otherwise evaluate `---js` frontmatter.
 */

export type FrontmatterData = Record<string, unknown>;

const yamlEngine = {
  parse: (text: string) => (load(text) ?? {}) as object,
  stringify: (data: object) => dump(data, { lineWidth: -1, noRefs: true }),
};

function refuseCode(): never {
  throw new Error('frontmatter in JavaScript is not run; use YAML');
}

const engines = {
  yaml: yamlEngine,
  js: refuseCode,
  javascript: refuseCode,
  coffee: refuseCode,
  coffeescript: refuseCode,
};

/**
 * The whole file: `---`, the YAML, `---`, the Markdown body ending in one newline; gray-matter's layout,
 * without matter.stringify, which first parses the body as a document (profiled: a fifth of the
 * frontmatter's cost) and took a body starting with `---` for more frontmatter.
 */
export function stringifyDocument(data: FrontmatterData, body: string): string {
  const withoutUndefined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  // Only the final newline goes: a value may end in a Unicode space that String#trim would eat.
  const yaml = (simpleYaml(withoutUndefined) ?? yamlEngine.stringify(withoutUndefined)).replace(/\n$/, '');
  return `${yaml === '{}' ? '' : `---\n${yaml}\n---\n`}${body.endsWith('\n') ? body : `${body}\n`}`;
}

/** Characters js-yaml writes as they are, plain or in single quotes: printable (emoji too, not a lone surrogate), no line break, tab, invisible or Unicode line separator. */
const ORDINARY =
  /^(?:[\x20-\x7E\u00A1-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])+$/;
/**
 * YAML's plain-scalar rules (ns-plain-first, ns-plain-char) on ordinary characters: what may not start one, and what
 * may not appear in one. YAML's white space is the space and the tab alone: \u3000 is a character like any other.
 */
const NOT_PLAIN_FIRST = /^[-?:,[\]{}#&*!|>'"%@` ]/;
const PLAIN_FIRST_INDICATOR = /^[-?:][^ ]/;
const NOT_PLAIN_INSIDE = /: |:$| #| $/;

/** A string as js-yaml writes it in block context, or undefined when it has characters this does not judge (js-yaml then writes it all). */
function simpleScalar(value: string): string | undefined {
  if (value === '') return "''";
  if (!ORDINARY.test(value) || /^\s+$/.test(value)) return undefined;
  const plain =
    (!NOT_PLAIN_FIRST.test(value) || PLAIN_FIRST_INDICATOR.test(value)) &&
    !NOT_PLAIN_INSIDE.test(value) &&
    value !== '=' &&
    DUMP_SCHEMA.resolveImplicitScalarTag(value).tag === DUMP_SCHEMA.defaultScalarTag;
  return plain ? value : `'${value.replaceAll("'", "''")}'`;
}

const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * js-yaml's bytes for the common frontmatter (string, `true` and string-list values under word keys), or undefined
 * for anything else. Profiled on 20,000 mail messages: js-yaml's dump, which builds and styles a whole YAML AST,
 * was 1.3 s of the render workers' CPU, their largest cost; test/write-frontmatter-emitter.test.ts holds the two equal.
 */
export function simpleYaml(data: FrontmatterData): string | undefined {
  let yaml = '';
  for (const [key, value] of Object.entries(data)) {
    if (!SIMPLE_KEY.test(key) || DUMP_SCHEMA.resolveImplicitScalarTag(key).tag !== DUMP_SCHEMA.defaultScalarTag)
      return undefined;
    if (typeof value === 'string') {
      const scalar = simpleScalar(value);
      if (scalar === undefined) return undefined;
      yaml += `${key}: ${scalar}\n`;
    } else if (value === true) {
      yaml += `${key}: true\n`;
    } else if (Array.isArray(value) && value.length > 0) {
      yaml += `${key}:\n`;
      for (const item of value) {
        const scalar = typeof item === 'string' ? simpleScalar(item) : undefined;
        if (scalar === undefined) return undefined;
        yaml += `  - ${scalar}\n`;
      }
    } else return undefined;
  }
  return yaml === '' ? undefined : yaml;
}

export interface ParsedDocument {
  data: FrontmatterData;
  body: string;
}

/** Parses a document; throws an Error with the YAML's own line:column message when it is broken. */
export function parseDocument(text: string): ParsedDocument {
  const parsed = matter(text, { engines } as never);
  const data = parsed.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new Error('the frontmatter is not a mapping of keys to values');
  return { data: data as FrontmatterData, body: parsed.content };
}
