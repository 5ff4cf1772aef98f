import matter from 'gray-matter';
import { dump, load } from 'js-yaml';

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

const engines = { yaml: yamlEngine, js: refuseCode, javascript: refuseCode, coffee: refuseCode, coffeescript: refuseCode };

/**
 * The whole file: `---`, the YAML, `---`, the Markdown body ending in one newline; gray-matter's layout,
 * without matter.stringify, which first parses the body as a document (profiled: a fifth of the
 * frontmatter's cost) and took a body starting with `---` for more frontmatter.
 */
export function stringifyDocument(data: FrontmatterData, body: string): string {
  const withoutUndefined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  // Only the final newline goes: a value may end in a Unicode space that String#trim would eat.
  const yaml = yamlEngine.stringify(withoutUndefined).replace(/\n$/, '');
  return `${yaml === '{}' ? '' : `---\n${yaml}\n---\n`}${body.endsWith('\n') ? body : `${body}\n`}`;
}

export interface ParsedDocument {
  data: FrontmatterData;
  body: string;
}

/** Parses a document; throws an Error with the YAML's own line:column message when it is broken. */
export function parseDocument(text: string): ParsedDocument {
  const parsed = matter(text, { engines } as never);
  const data = parsed.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('the frontmatter is not a mapping of keys to values');
  return { data: data as FrontmatterData, body: parsed.content };
}
