import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE, loadConfig } from '../../site/config.ts';
import { buildPages, importConfiguredSources, runPagefind } from '../../site/build.ts';
import { CheckFailed, shownPath } from '../../errors.ts';
import { contentLockFile, lockFolder, outputLockFile } from '../../folderLock.ts';
import { exitStatusFor, interruption, stopsGently } from '../../interrupt.ts';
import type { Command } from '../main.ts';
import redirects from './redirects.ts';

const usage = `
Usage: almanac build [--config FILE] [--content DIR] [--out DIR] [--force] [--no-search] [--wait]

Builds the knowledge base: imports every source listed in the config (unchanged input
writes nothing), renders content/ with Eleventy into the output folder, writes the
redirects the config asks for, and indexes the articles for search with Pagefind.
Pages the last build wrote and this one does not (a post deleted or made a draft, a tag
no longer used) are removed from the output folder; files you put there yourself stay.

Options:
  --config FILE   the config (default: ${CONFIG_FILE}): sources to import, redirects, site title and URL
  --content DIR   build this folder as it is, importing nothing (default: content, after imports)
  --out DIR       the output folder (default: _site)
  --force         render every page even when nothing changed since the last build
                  (by default an unchanged site is left as it is, like make)
  --no-search     leave the Pagefind search index out (a quicker preview; search will not work)
  --wait          when another almanac is using the content or output folder, wait for it
                  (by default the build refuses, naming that process)

The site is built into a new folder beside the output folder and swapped in when complete:
a build that fails (a full disk) or is stopped (Ctrl-C, SIGTERM: exit 130/143) leaves the
last site as it was. Ctrl-C during an import stops after the documents in hand.

Examples:
  almanac build                                  # import the configured sources, build _site/
  almanac build --content content --out public   # build what is already in content/
  almanac serve                                  # the same, served at http://localhost:8080
`;

const command: Command = {
  summary: 'import the configured sources and build the site (Eleventy + search)',
  usage,
  async run(args) {
    const { values } = parseArgs({ args, allowNegative: true, options: { config: { type: 'string' }, content: { type: 'string' }, out: { type: 'string', default: '_site' }, force: { type: 'boolean', default: false }, search: { type: 'boolean', default: true }, wait: { type: 'boolean', default: false } } });
    const built = await buildSite({ config: values.config, content: values.content, out: values.out!, force: values.force, search: values.search, wait: values.wait });
    return built.interrupted ? exitStatusFor(built.interrupted) : 0;
  },
};

export default command;

export interface BuildOptions {
  config?: string;
  content?: string;
  out: string;
  force?: boolean;
  /** false: no Pagefind index (`--no-search`). */
  search?: boolean;
  /** Wait for another almanac using the content or output folder (`--wait`). */
  wait?: boolean;
}

export interface SiteBuilt {
  content: string;
  out: string;
  configFile?: string;
  /** Stopped by this signal during the imports (src/interrupt.ts): nothing was built. */
  interrupted?: 'SIGINT' | 'SIGTERM';
}

/**
 * The whole build, shared with `almanac serve`, holding the content and output folders'
 * locks (src/folderLock.ts; content first, as every build takes them). Prints what it did; returns the folders used.
 */
export async function buildSite(options: BuildOptions): Promise<SiteBuilt> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const content = path.resolve(options.content ?? 'content');
  const out = path.resolve(options.out);
  const releaseContent = await lockFolder(contentLockFile(content), content, { wait: options.wait, log });
  try {
    const releaseOut = await lockFolder(outputLockFile(out), out, { wait: options.wait, log });
    try {
      return await buildLocked(options, content, out, log);
    } finally {
      releaseOut();
    }
  } finally {
    releaseContent();
  }
}

async function buildLocked(options: BuildOptions, content: string, out: string, log: (line: string) => void): Promise<SiteBuilt> {
  const started = performance.now();
  const config = await loadConfig(options.config);
  if (!options.content) {
    // Ctrl-C here stops after the documents in hand, then the build stops too: the site is left as it was.
    await stopsGently(() => importConfiguredSources(config, content, log));
    const signal = interruption();
    if (signal) {
      log(`almanac build: interrupted (${signal}) during the imports; ${shownPath(out)}/ is left as the last build made it`);
      return { content, out, configFile: config.file, interrupted: signal };
    }
  }
  let redirects = '';
  let indexed: number | undefined;
  const { pages, upToDate, removed, recordOutputs } = await buildPages({
    content,
    out,
    configFile: config.file ?? '',
    log,
    force: options.force,
    // Into the new folder, before it is swapped in: a deploy never has pages without their search index or redirects.
    beforePublish: async (folder) => {
      redirects = await writeRedirects(config.redirects, content, out, folder);
      indexed = options.search === false ? undefined : await runPagefind(folder);
    },
  });
  // What the last build wrote and this one did not: deleted or drafted documents, tags and months no longer used.
  if (removed.length > 0) log(`Removed ${removed.length} ${removed.length === 1 ? 'file' : 'files'} the last build wrote and this one did not (deleted or drafted documents, tags or archives no longer used): ${removed.slice(0, 3).join(', ')}${removed.length > 3 ? ', …' : ''}`);
  if (upToDate) redirects = await writeRedirects(config.redirects, content, out, out);
  const where = `${path.relative(process.cwd(), out) || '.'}/`;
  if (upToDate && existsSync(path.join(out, 'pagefind/pagefind-ui.js'))) {
    recordOutputs();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Up to date: ${pages} pages in ${where}, nothing changed since the last build (${seconds} s; --force renders them again)${redirects ? `; redirects: ${redirects}` : ''}.\n`);
    return { content, out, configFile: config.file };
  }
  if (upToDate && options.search !== false) indexed = await runPagefind(out);
  // The search index and redirects are in the output folder too: recorded, the next build finds them as they are.
  recordOutputs();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const search = indexed === undefined ? 'no search index (--no-search)' : `search index of ${indexed} pages`;
  process.stdout.write(`Built ${pages} pages into ${where} in ${seconds} s; ${search}${redirects ? `; redirects: ${redirects}` : ''}.\n`);
  return { content, out, configFile: config.file };
}

/** Formats a static host reads from the site's own folder; the others are server configs, kept out of what is published. */
const SITE_ROOT_FILES: Record<string, string> = { netlify: '_redirects', cloudflare: '_redirects', vercel: 'vercel.json', htaccess: '.htaccess', html: '' };

/**
 * The redirect formats the config lists, through `almanac redirects`, for the pages this build made
 * (`--site`, in `site`, the folder being built): host files into the site, server configs beside the output folder in `<out>-redirects/<format>`.
 */
async function writeRedirects(formats: string[], content: string, out: string, site: string): Promise<string> {
  const written: string[] = [];
  for (const format of formats) {
    const target = format in SITE_ROOT_FILES ? path.join(site, SITE_ROOT_FILES[format]) : path.join(`${out.replace(/[\\/]+$/, '')}-redirects`, format);
    const status = await redirects.run(['--content', content, '--format', format, '--site', site, '--out', target]);
    if (status !== 0) throw new CheckFailed(`almanac build: the redirects for ${format} were not written (see above); fix the content or drop "${format}" from "redirects" in the config`);
    // Named where it will be once the new folder is swapped in.
    const shown = format in SITE_ROOT_FILES ? path.join(out, SITE_ROOT_FILES[format]) : target;
    written.push(`${format} → ${path.relative(process.cwd(), shown) || '.'}`);
  }
  return written.join(', ');
}
