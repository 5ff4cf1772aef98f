import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, type FrontmatterData } from './frontmatter.ts';
import { parseOldUrl } from './oldUrls.ts';

/** One Markdown document under content/, imported or written by hand. */
export interface ContentDocument {
  /** Path relative to the content folder, with `/` separators. */
  file: string;
  data: FrontmatterData;
  permalink?: string;
  originalUrl?: string;
  redirectFrom: string[];
}

export interface ContentProblem {
  file: string;
  message: string;
}

/** Every `.md` file below `dir` (dot-folders and node_modules aside) with its frontmatter. */
export async function scanContent(dir: string): Promise<{ documents: ContentDocument[]; problems: ContentProblem[] }> {
  const documents: ContentDocument[] = [];
  const problems: ContentProblem[] = [];
  for (const file of await markdownFiles(dir)) {
    const text = await readFile(path.join(dir, file), 'utf8');
    try {
      const { data } = parseDocument(text);
      documents.push({
        file,
        data,
        permalink: typeof data.permalink === 'string' ? data.permalink : undefined,
        originalUrl: typeof data.original_url === 'string' ? data.original_url : undefined,
        redirectFrom: Array.isArray(data.redirect_from)
          ? data.redirect_from.filter((item): item is string => typeof item === 'string')
          : [],
      });
    } catch (error) {
      problems.push({ file, message: `unreadable frontmatter: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  return { documents, problems };
}

/** The Markdown files below `dir` (relative, sorted) that `keep` accepts, as the walk finds them: a 460,000-message list's full list was 60 MB of strings. */
export async function markdownFiles(dir: string, keep?: (file: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && entry.name.endsWith('.md') && (!keep || keep(child))) found.push(child);
    }
  };
  await walk('');
  return found.sort();
}

/**
 * Where old URLs live now: absolute old URLs (`original_url`) match by host and path;
 * old paths (`redirect_from`) match a link only on a host some document came from,
 * so `/about.html` on an unrelated site is never rewritten.
 */
export class OldUrlIndex {
  private readonly byKey = new Map<string, string>();
  private readonly byPath = new Map<string, string>();
  private readonly hosts = new Set<string>();

  add(permalink: string, originalUrl: string | undefined, oldPaths: readonly string[], oldBase?: string): void {
    const original = originalUrl ? parseOldUrl(originalUrl) : undefined;
    if (original) {
      this.byKey.set(original.key, permalink);
      this.hosts.add(original.host);
    }
    const base = oldBase ? parseOldUrl(oldBase) : undefined;
    if (base) this.hosts.add(base.host);
    for (const oldPath of oldPaths) {
      const parsed = parseOldUrl(oldPath, 'http://path.invalid/');
      if (!parsed) continue;
      if (!this.byPath.has(parsed.path)) this.byPath.set(parsed.path, permalink);
      const host = /^https?:\/\//i.test(oldPath) ? parsed.host : (original?.host ?? base?.host); // an absolute old URL keeps its own host
      if (host) this.byKey.set(host + parsed.path, permalink);
    }
  }

  addDocuments(documents: readonly ContentDocument[]): void {
    for (const document of documents) {
      // old_urls: the same page at the blog's other addresses (`almanac import --also-old-base`), absolute.
      const otherAddresses = Array.isArray(document.data.old_urls)
        ? document.data.old_urls.filter((url): url is string => typeof url === 'string')
        : [];
      if (document.permalink)
        this.add(document.permalink, document.originalUrl, [...document.redirectFrom, ...otherAddresses]);
    }
  }

  /** The new permalink (with the link's fragment kept) for a link to an old URL, or undefined. */
  resolve(url: string, base?: string): string | undefined {
    const parsed = parseOldUrl(url, base);
    if (!parsed) return undefined;
    const target =
      this.byKey.get(parsed.key) ?? (this.hosts.has(parsed.host) ? this.byPath.get(parsed.path) : undefined);
    return target === undefined ? undefined : target + parsed.fragment;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Plain data, to hand the index to a worker thread. */
  toJSON(): OldUrlIndexData {
    return { byKey: [...this.byKey], byPath: [...this.byPath], hosts: [...this.hosts] };
  }

  static fromJSON(data: OldUrlIndexData): OldUrlIndex {
    const index = new OldUrlIndex();
    for (const [key, permalink] of data.byKey) index.byKey.set(key, permalink);
    for (const [oldPath, permalink] of data.byPath) index.byPath.set(oldPath, permalink);
    for (const host of data.hosts) index.hosts.add(host);
    return index;
  }
}

export interface OldUrlIndexData {
  byKey: [string, string][];
  byPath: [string, string][];
  hosts: string[];
}
