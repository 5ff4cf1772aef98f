import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';

/**
 * `almanac.config.json` at the project root: the sources `almanac build` imports and the
 * site's own settings. Paths inside it are relative to the file.
 *
 * { "sources": [{ "id", "format", "inputs": [paths], "oldBase"?, "encoding"?, "options"? }],
 *   "redirects": ["netlify", "html"]?, "site": { "title", "url" } }
 */
export interface SourceConfig {
  id: string;
  format: string;
  inputs: string[];
  oldBase?: string;
  options?: Record<string, unknown>;
  /** How the site names the source (default: its id). */
  title?: string;
  description?: string;
}

export interface SiteSettings {
  title: string;
  /** The public address, for feeds and the sitemap (absolute URLs). */
  url: string;
  description?: string;
}

export interface AlmanacConfig {
  /** The config file, absolute; undefined when none was found and defaults apply. */
  file?: string;
  sources: SourceConfig[];
  redirects: string[];
  site: SiteSettings;
}

export const CONFIG_FILE = 'almanac.config.json';

export const DEFAULT_SITE: SiteSettings = {
  title: 'Almanac',
  url: 'http://localhost:8080/',
  description: 'The illumos and virtualization knowledge base: blogs, mailing lists, release notes and guides.',
};

/** Reads and checks the config; a missing default file means "no sources, default site". */
export async function loadConfig(file?: string): Promise<AlmanacConfig> {
  const wanted = path.resolve(file ?? CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(wanted, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !file)
      return { sources: [], redirects: [], site: { ...DEFAULT_SITE } };
    throw new InputError(
      wanted,
      `cannot read the config: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseConfig(text, wanted);
}

export function parseConfig(text: string, file: string): AlmanacConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const position = /line (\d+) column (\d+)/.exec((error as Error).message);
    throw new InputError(
      file,
      `not valid JSON: ${(error as Error).message}`,
      position ? { line: Number(position[1]), column: Number(position[2]) } : {},
    );
  }
  const fail = (message: string): never => {
    throw new InputError(file, message);
  };
  if (!isObject(raw)) return fail('the config must be a JSON object with "sources" and "site"');
  const base = path.dirname(file);
  const sources = (raw.sources ?? []) as unknown;
  if (!Array.isArray(sources)) return fail('"sources" must be a list of { "id", "format", "inputs" }');
  const ids = new Set<string>();
  const checked = sources.map((source, index): SourceConfig => {
    const where = `sources[${index}]`;
    if (!isObject(source)) return fail(`${where} must be an object with "id", "format" and "inputs"`);
    if (typeof source.id !== 'string' || source.id === '')
      return fail(`${where}.id must be a non-empty string (the folder under content/)`);
    if (ids.has(source.id)) return fail(`${where}.id "${source.id}" is used twice`);
    ids.add(source.id);
    if (source.format !== undefined && typeof source.format !== 'string')
      return fail(`${where}.format must be a format name (blogger, roller, atom, rss, mbox, pipermail) or "auto"`);
    const inputs = source.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((input) => typeof input === 'string'))
      return fail(`${where}.inputs must be a non-empty list of file paths`);
    if (source.oldBase !== undefined && typeof source.oldBase !== 'string')
      return fail(`${where}.oldBase must be a URL string`);
    if (source.options !== undefined && !isObject(source.options)) return fail(`${where}.options must be an object`);
    if (source.encoding !== undefined && (typeof source.encoding !== 'string' || !isEncodingLabel(source.encoding)))
      return fail(`${where}.encoding must be a character encoding's WHATWG label, such as "latin1" or "windows-1252"`);
    for (const key of ['title', 'description'])
      if (source[key] !== undefined && typeof source[key] !== 'string') return fail(`${where}.${key} must be a string`);
    return {
      id: source.id,
      format: (source.format as string | undefined) ?? 'auto',
      inputs: (inputs as string[]).map((input) => path.resolve(base, input)),
      oldBase: source.oldBase as string | undefined,
      // The encoding reaches the importer as `almanac import --encoding` does: among its options.
      options:
        source.encoding === undefined
          ? (source.options as Record<string, unknown> | undefined)
          : { ...(source.options as Record<string, unknown> | undefined), encoding: source.encoding },
      title: source.title as string | undefined,
      description: source.description as string | undefined,
    };
  });
  const redirects = raw.redirects ?? [];
  if (!Array.isArray(redirects) || !redirects.every((format) => typeof format === 'string'))
    return fail('"redirects" must be a list of formats, e.g. ["netlify", "html"]');
  const site = raw.site ?? {};
  if (!isObject(site)) return fail('"site" must be an object with "title" and "url"');
  if (site.title !== undefined && typeof site.title !== 'string') return fail('site.title must be a string');
  if (site.url !== undefined && (typeof site.url !== 'string' || !/^https?:\/\//.test(site.url)))
    return fail('site.url must be an absolute http(s) URL, e.g. "https://kb.example.org/"');
  if (site.description !== undefined && typeof site.description !== 'string')
    return fail('site.description must be a string');
  return {
    file,
    sources: checked,
    redirects: redirects as string[],
    site: {
      title: (site.title as string | undefined) ?? DEFAULT_SITE.title,
      url: withSlash((site.url as string | undefined) ?? DEFAULT_SITE.url),
      description: (site.description as string | undefined) ?? DEFAULT_SITE.description,
    },
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A label the WHATWG Encoding Standard knows (`latin1`, `windows-1252`, `shift_jis`). */
function isEncodingLabel(label: string): boolean {
  try {
    new TextDecoder(label.trim());
    return true;
  } catch {
    return false;
  }
}
