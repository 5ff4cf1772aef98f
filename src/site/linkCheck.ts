import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Parser } from 'htmlparser2';
import { scanContent } from '../content/contentIndex.ts';

/**
 * The built site checked as a visitor would walk it: every internal link and asset resolves
 * to a file (and its #fragment to an id on that page), every redirect_from points at a page
 * that exists, and no real page sits where a redirect must answer.
 */
export interface Problem {
  /** The page (site path) or content file the problem is in. */
  where: string;
  message: string;
}

interface Page {
  ids: Set<string>;
  links: { url: string; attribute: string }[];
  refresh: boolean;
}

const LINK_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src'],
  source: ['src'],
  iframe: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
};

async function htmlFiles(dir: string, relative = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      // Pagefind's own bundle is checked by Pagefind.
      if (child !== 'pagefind') found.push(...(await htmlFiles(dir, child)));
    } else if (entry.name.endsWith('.html')) found.push(child);
  }
  return found;
}

function parsePage(html: string): Page {
  const page: Page = { ids: new Set(), links: [], refresh: false };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (attributes.id) page.ids.add(attributes.id);
        if (name === 'a' && attributes.name) page.ids.add(attributes.name);
        if (name === 'meta' && attributes['http-equiv']?.toLowerCase() === 'refresh') page.refresh = true;
        if (name === 'link' && !/\b(stylesheet|icon|alternate|preload|prev|next)\b/i.test(attributes.rel ?? '')) return;
        for (const attribute of LINK_ATTRIBUTES[name] ?? []) {
          const url = attributes[attribute];
          if (url !== undefined) page.links.push({ url: url.trim(), attribute });
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return page;
}

/** The file a site path is served from (`/a/` → `a/index.html`), or undefined when there is none. */
export function fileForPath(site: string, sitePath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(sitePath);
  } catch {
    return undefined;
  }
  const candidate = path.join(site, decoded);
  if (!candidate.startsWith(path.resolve(site))) return undefined;
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  const index = path.join(candidate, 'index.html');
  if (existsSync(index)) return index;
  return undefined;
}

function isExternal(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
}

export interface CheckOptions {
  site: string;
  /** The content folder, for redirect_from checks; skipped when absent. */
  content?: string;
}

export async function checkSite(options: CheckOptions): Promise<{ problems: Problem[]; pages: number; links: number }> {
  const site = path.resolve(options.site);
  const problems: Problem[] = [];
  const files = await htmlFiles(site);
  const pages = new Map<string, Page>();
  for (const file of files) pages.set(path.join(site, file), parsePage(await readFile(path.join(site, file), 'utf8')));

  let links = 0;
  for (const file of files) {
    const page = pages.get(path.join(site, file))!;
    const pageUrl = `/${file.replace(/(^|\/)index\.html$/, '$1')}`;
    for (const { url } of page.links) {
      if (url === '' || isExternal(url)) continue;
      links++;
      const resolved = new URL(url, `http://site.invalid${pageUrl}`);
      const target =
        resolved.pathname === new URL(pageUrl, 'http://site.invalid').pathname && url.startsWith('#')
          ? path.join(site, file)
          : fileForPath(site, resolved.pathname);
      if (!target) {
        problems.push({ where: pageUrl, message: `broken link to ${url}` });
        continue;
      }
      const fragment = resolved.hash.slice(1);
      const targetPage = pages.get(target);
      if (fragment && targetPage && !targetPage.refresh) {
        let id = fragment;
        try {
          id = decodeURIComponent(fragment);
        } catch {
          // Kept as written.
        }
        if (!targetPage.ids.has(id))
          problems.push({ where: pageUrl, message: `broken anchor ${url} (no id "${id}" on that page)` });
      }
    }
  }

  if (options.content && existsSync(options.content)) {
    const { documents } = await scanContent(options.content);
    const permalinks = new Map(
      documents
        .filter((document) => document.data.draft !== true && document.permalink)
        .map((document) => [document.permalink!, document.file]),
    );
    for (const document of documents) {
      if (document.data.draft === true || document.redirectFrom.length === 0) continue;
      const where = path.join(options.content, document.file);
      if (!document.permalink || !fileForPath(site, document.permalink)) {
        problems.push({
          where,
          message: `redirect_from target ${document.permalink ?? '(no permalink)'} is not in the site`,
        });
      }
      for (const from of document.redirectFrom) {
        const existing = fileForPath(site, from.split(/[?#]/)[0]);
        if (!existing) continue;
        const page = pages.get(existing);
        if (page?.refresh) continue;
        const owner = permalinks.get(from);
        problems.push({
          where,
          message: `the old URL ${from} is shadowed by a page of the site${owner ? ` (${owner})` : ''}; its redirect can never answer`,
        });
      }
    }
  }
  return { problems, pages: files.length, links };
}
